package dev.library.auth;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.library.runtime.config.InvalidSettingsException;
import dev.library.runtime.config.StrictSettings;
import org.junit.jupiter.api.Test;

/** services.auth.settings is bound strictly, as AuthModule binds it (no server started). */
class AuthSettingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "services.auth.settings";

  @Test
  void aMisspeltSettingStopsTheStartNamingItsPathAndTheKnownKeys() {
    assertThatThrownBy(
            () ->
                StrictSettings.bind(
                    PATH, JSON.readTree("{\"accessTokenTTL\": \"5m\"}"), AuthSettings.class))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("unknown setting services.auth.settings.accessTokenTTL; known here: [")
        .hasMessageEndingWith("did you mean accessTokenTtl?");
  }

  @Test
  void aMisspeltSettingInTheAdminBlockNamesTheNestedPath() {
    assertThatThrownBy(
            () ->
                StrictSettings.bind(
                    PATH, JSON.readTree("{\"admin\": {\"passwd\": \"x\"}}"), AuthSettings.class))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("unknown setting services.auth.settings.admin.passwd; known here: [")
        .hasMessageContaining("password");
  }
}
