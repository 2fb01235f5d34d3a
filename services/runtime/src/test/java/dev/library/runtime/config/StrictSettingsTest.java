package dev.library.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationParsingException;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import dev.library.runtime.module.ModuleRegistry;
import jakarta.validation.constraints.Min;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unknown keys stop the start, at every level of the configuration, naming path and known keys. */
class StrictSettingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A settings class of the shape modules have: durations, numbers, a nested block. */
  static class Sample {
    @JsonProperty Duration pollInterval = Duration.seconds(1);
    @Min(1) @JsonProperty int maxLoans = 5;
    @JsonProperty Nested admin = new Nested();
  }

  static class Nested {
    @JsonProperty String username = "";
    @JsonProperty String password = "";
  }

  @Test
  void bindsKnownKeys() throws Exception {
    Sample sample =
        StrictSettings.bind(
            "services.x.settings",
            JSON.readTree("{\"pollInterval\": \"5s\", \"admin\": {\"username\": \"a\"}}"),
            Sample.class);

    assertThat(sample.pollInterval).isEqualTo(Duration.seconds(5));
    assertThat(sample.admin.username).isEqualTo("a");
  }

  @Test
  void anEmptyValueKeepsTheDefault() throws Exception {
    // What `password: ${ADMIN_PASSWORD:-}` becomes when the variable is unset.
    Sample sample =
        StrictSettings.bind(
            "services.x.settings",
            JSON.readTree("{\"pollInterval\": null, \"admin\": {\"password\": null}}"),
            Sample.class);

    assertThat(sample.pollInterval).isEqualTo(Duration.seconds(1));
    assertThat(sample.admin.password).isEmpty();
  }

  @Test
  void anUnknownKeyNamesItsPathTheKnownKeysAndTheNearestOne() {
    assertThatThrownBy(
            () ->
                StrictSettings.bind(
                    "services.book.settings", JSON.readTree("{\"polInterval\": \"5s\"}"), Sample.class))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessage(
            "unknown setting services.book.settings.polInterval; known here: [admin, maxLoans,"
                + " pollInterval]; did you mean pollInterval?");
  }

  @Test
  void anUnknownKeyInANestedBlockNamesTheNestedPath() {
    assertThatThrownBy(
            () ->
                StrictSettings.bind(
                    "services.auth.settings",
                    JSON.readTree("{\"admin\": {\"user\": \"a\"}}"),
                    Sample.class))
        .hasMessageStartingWith(
            "unknown setting services.auth.settings.admin.user; known here: [password, username]");
  }

  @Test
  void aValueOfTheWrongFormNamesItsPath() {
    assertThatThrownBy(
            () ->
                StrictSettings.bind(
                    "services.book.settings", JSON.readTree("{\"maxLoans\": \"many\"}"), Sample.class))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("services.book.settings.maxLoans is invalid");
  }

  @Test
  void constraintsAreChecked() {
    assertThatThrownBy(
            () ->
                StrictSettings.bind(
                    "services.book.settings",
                    JSON.readTree("{\"maxLoans\": 0}"),
                    Sample.class,
                    Validators.newValidator()))
        .hasMessageStartingWith("services.book.settings.maxLoans must be greater than or equal to 1");
  }

  @Test
  void somethingWithoutSettingsRefusesAnyKey() throws Exception {
    StrictSettings.requireEmpty("services.author.settings", JSON.readTree("{}"));
    assertThatThrownBy(
            () ->
                StrictSettings.requireEmpty(
                    "services.author.settings", JSON.readTree("{\"pageSize\": 5}")))
        .hasMessage("services.author.settings is set, but this takes no settings");
  }

  /**
   * Dropwizard's own part of the file is already strict: the factory it makes for the
   * application ({@link DefaultConfigurationFactoryFactory}) fails on unknown keys, naming the
   * path and the keys near it.
   */
  @Test
  void dropwizardRefusesAnUnknownKeyOfItsOwnWithThePathAndSuggestions() {
    assertThatThrownBy(() -> load("grpcShutdownGracePerod: 5s\n"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("Unrecognized field at: grpcShutdownGracePerod")
        .hasMessageContaining("grpcShutdownGracePeriod");
    assertThatThrownBy(() -> load("services:\n  probe:\n    grpcPrt: 1\n"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("Unrecognized field at: services.probe.grpcPrt")
        .hasMessageContaining("grpcPort");
    assertThatThrownBy(() -> load("server:\n  adminConnector: []\n"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("Unrecognized field at: server.adminConnector")
        .hasMessageContaining("adminConnectors");
  }

  /**
   * The keys of the open maps (services, edges) are checked against what is known: the modules
   * found (here only the probe) and the services of the descriptor set (which a process may call).
   */
  @Test
  void aBlockForAModuleThatDoesNotExistIsRefused() throws Exception {
    ModuleRegistry registry = ModuleRegistry.discover();
    registry.checkConfigured(load("services:\n  probe:\n    grpcPort: 1\n"));

    assertThatThrownBy(() -> registry.checkConfigured(load("services:\n  prob:\n    grpcPort: 1\n")))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessage(
            "unknown setting services.prob; known here: [auth, author, book, category, probe];"
                + " did you mean probe?");
    assertThatThrownBy(() -> registry.checkConfigured(load("edges:\n  gatway:\n    port: 1\n")))
        .hasMessageStartingWith("unknown setting edges.gatway; known here: " + registry.edgeNames());
  }

  @Test
  void theNearestKeyIsOnlyOfferedWhenClose() {
    assertThat(StrictSettings.nearest("outboxPolInterval", List.of("outboxPollInterval", "loanPeriod")))
        .hasValue("outboxPollInterval");
    assertThat(StrictSettings.nearest("colour", List.of("outboxPollInterval", "loanPeriod"))).isEmpty();
  }

  private static LibraryConfiguration load(String yaml) throws Exception {
    // The factory LibraryApplication's bootstrap uses (it sets no factory of its own).
    return new DefaultConfigurationFactoryFactory<LibraryConfiguration>()
        .create(LibraryConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml");
  }
}
