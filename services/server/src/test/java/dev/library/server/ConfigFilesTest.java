package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.auth.AuthSettings;
import dev.library.book.BookSettings;
import dev.library.gateway.GatewaySettings;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.config.StrictSettings;
import dev.library.runtime.module.ModuleRegistry;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped configuration (the one-process file, the compose file, one sample per target)
 * parses, validates and names targets this artifact has, as the application would load it.
 */
class ConfigFilesTest {
  static Stream<Path> configFiles() throws Exception {
    Path config = Path.of("../../config").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.walk(config)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("configFiles")
  void loadsAndNamesKnownTargets(Path file) throws Exception {
    LibraryConfiguration configuration =
        // The factory the application uses: strict about Dropwizard's own keys.
        new DefaultConfigurationFactoryFactory<LibraryConfiguration>()
            .create(
                LibraryConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
            .build(
                new SubstitutingSourceProvider(
                    new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
                file.toString());
    ModuleRegistry registry = ModuleRegistry.discover();
    boolean hostsSomething =
        !registry.select(configuration.getTarget()).isEmpty()
            || !registry.selectEdges(configuration.getTarget()).isEmpty();
    assertThat(hostsSomething).as(file + " hosts nothing").isTrue();

    // The service-specific blocks are bound when a module starts; bind them here too, as the
    // modules do, so a misspelled setting fails this test rather than a deployment.
    registry.checkConfigured(configuration);
    Validator validator = Validators.newValidator();
    AuthSettings auth =
        StrictSettings.bind(
            "services.auth.settings",
            configuration.service("auth").getSettings(),
            AuthSettings.class,
            validator);
    // Variables left unset (`${JWT_SIGNING_KEY_FILE:-}`) mean the default, not null: `make run`
    // once failed at start on exactly this.
    assertThat(auth.getSigningKeyFile()).as(file + " signingKeyFile").isNotNull();
    StrictSettings.bind(
        "services.book.settings", configuration.service("book").getSettings(), BookSettings.class, validator);
    for (String withoutSettings : List.of("author", "category")) {
      StrictSettings.requireEmpty(
          "services." + withoutSettings + ".settings",
          configuration.service(withoutSettings).getSettings());
    }
    GatewaySettings.from(configuration.edgeSettings("gateway"));
  }
}
