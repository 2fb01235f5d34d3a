package dev.library.runtime;

import dev.library.openapi.DocsServlet;
import dev.library.runtime.cli.MigrateCommand;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.module.ModuleHost;
import dev.library.runtime.module.ModuleRegistry;
import dev.library.runtime.observe.Telemetry;
import dev.library.runtime.observe.Tracing;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.function.Function;
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
  private final Function<String, Tracing> tracing;

  /** Traces only where the environment configures an OTLP endpoint (off by default). */
  public LibraryApplication() {
    this(serviceName -> Tracing.fromEnvironment(System.getenv(), serviceName));
  }

  /** Every span of the process goes to {@code spans} (tests, tools). */
  public LibraryApplication(SpanExporter spans) {
    this(serviceName -> Tracing.exportingTo(spans, serviceName));
  }

  private LibraryApplication(Function<String, Tracing> tracing) {
    this.tracing = tracing;
  }

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
    StopOnSigterm.serverStarting(environment.lifecycle());
    // Every service's HTTP port serves Swagger UI and the OpenAPI documents of the whole API.
    environment.servlets().addServlet("docs", new DocsServlet()).addMapping("/docs/*", "/docs", "/openapi/*");
    Telemetry telemetry = new Telemetry(tracing.apply(serviceName(configuration.getTarget())));
    telemetry.install(environment);
    host.start(registry, configuration, environment, telemetry);
  }

  /** The OpenTelemetry service name: {@code library}, or {@code library-<target>} for a part. */
  static String serviceName(String target) {
    String modules = target.trim().replaceAll("\\s*,\\s*", "+");
    return modules.equals("all") ? "library" : "library-" + modules;
  }

  /** What this process hosts, for tests and tools. */
  public ModuleHost host() {
    return host;
  }
}
