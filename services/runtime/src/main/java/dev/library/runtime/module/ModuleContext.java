package dev.library.runtime.module;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.grpc.ServiceChannels;
import dev.library.runtime.observe.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.dropwizard.core.setup.Environment;
import jakarta.validation.ConstraintViolation;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** What a module gets from the runtime when it starts. */
public final class ModuleContext {
  private final String name;
  private final Environment environment;
  private final LibraryConfiguration configuration;
  private final Jdbi jdbi;
  private final ServiceChannels channels;
  private final Telemetry telemetry;

  public ModuleContext(
      String name,
      Environment environment,
      LibraryConfiguration configuration,
      Jdbi jdbi,
      ServiceChannels channels,
      Telemetry telemetry) {
    this.telemetry = telemetry;
    this.name = name;
    this.environment = environment;
    this.configuration = configuration;
    this.jdbi = jdbi;
    this.channels = channels;
  }

  public String name() {
    return name;
  }

  public Environment environment() {
    return environment;
  }

  public LibraryConfiguration configuration() {
    return configuration;
  }

  /** This module's own database; no module sees another's. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** Channels to the other services, carrying the server key. */
  public ServiceChannels channels() {
    return channels;
  }

  /**
   * The process's meter registry: meters registered here are scraped at {@code
   * /metrics/prometheus} on the admin port (name them {@code library.<module>.<what>}).
   */
  public MeterRegistry meters() {
    return telemetry.meters();
  }

  /**
   * Binds {@code services.<name>.settings} to the module's settings class and validates it, so a
   * typo in a setting fails at startup rather than at the first request.
   */
  public <T> T settings(Class<T> type) {
    JsonNode node = configuration.service(name).getSettings();
    T settings;
    try {
      settings = environment.getObjectMapper().treeToValue(node, type);
    } catch (Exception e) {
      throw new IllegalStateException(
          "services." + name + ".settings is invalid: " + e.getMessage(), e);
    }
    Set<ConstraintViolation<T>> violations = environment.getValidator().validate(settings);
    if (!violations.isEmpty()) {
      throw new IllegalStateException(
          "services."
              + name
              + ".settings is invalid: "
              + violations.stream()
                  .map(v -> v.getPropertyPath() + " " + v.getMessage())
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    return settings;
  }
}
