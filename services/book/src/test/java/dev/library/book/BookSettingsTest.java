package dev.library.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.library.runtime.config.InvalidSettingsException;
import dev.library.runtime.config.StrictSettings;
import io.dropwizard.jersey.validation.Validators;
import org.junit.jupiter.api.Test;

/** services.book.settings is bound strictly, as BookModule binds it (no server started). */
class BookSettingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "services.book.settings";

  @Test
  void bindsItsSettings() throws Exception {
    BookSettings settings =
        StrictSettings.bind(
            PATH,
            JSON.readTree("{\"outboxPollInterval\": \"5s\", \"maxActiveLoans\": 3}"),
            BookSettings.class,
            Validators.newValidator());

    assertThat(settings.getOutboxPollInterval().toSeconds()).isEqualTo(5);
    assertThat(settings.getMaxActiveLoans()).isEqualTo(3);
  }

  /** The example: a misspelt setting used to keep its default without a word. */
  @Test
  void aMisspeltSettingStopsTheStartNamingItsPathAndTheKnownKeys() {
    assertThatThrownBy(
            () ->
                StrictSettings.bind(
                    PATH, JSON.readTree("{\"outboxPolInterval\": \"5s\"}"), BookSettings.class))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("unknown setting services.book.settings.outboxPolInterval; known here: [")
        .hasMessageContaining("loanPeriod")
        .hasMessageEndingWith("did you mean outboxPollInterval?");
  }
}
