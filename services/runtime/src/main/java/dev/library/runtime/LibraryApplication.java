package dev.library.runtime;

import dev.library.openapi.DocsServlet;
import dev.library.runtime.cli.MigrateCommand;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.module.ModuleHost;
import dev.library.runtime.module.ModuleRegistry;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * The one application of the library. What it runs is configuration: the {@code target} setting
 * names the modules ({@code all}, or some of auth, author, category, book) and each hosted module
 * gets its own gRPC server and database.
 */
public class LibraryApplication extends Application<LibraryConfiguration> {
  private final ModuleRegistry registry = ModuleRegistry.discover();
  private final ModuleHost host = new ModuleHost();

  public static void main(String[] args) throws Exception {
    StopOnSigterm.install();
    new LibraryApplication().run(args);
  }

  @Override
  public String getName() {
    return "library";
  }

  @Override
  public void initialize(Bootstrap<LibraryConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    bootstrap.addCommand(new MigrateCommand(registry));
    registry.modules().forEach(module -> module.commands().forEach(bootstrap::addCommand));
  }

  @Override
  public void run(LibraryConfiguration configuration, Environment environment) throws Exception {
    // Every service's HTTP port serves Swagger UI and the OpenAPI documents of the whole API.
    environment.servlets().addServlet("docs", new DocsServlet()).addMapping("/docs/*", "/docs", "/openapi/*");
    host.start(registry, configuration, environment);
  }

  /** What this process hosts, for tests and tools. */
  public ModuleHost host() {
    return host;
  }
}
