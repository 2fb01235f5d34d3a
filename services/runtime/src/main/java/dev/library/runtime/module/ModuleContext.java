package dev.library.runtime.module;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.grpc.ServiceChannels;
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
  private final PageTokens pageTokens;

  public ModuleContext(
      String name,
      Environment environment,
      LibraryConfiguration configuration,
      Jdbi jdbi,
      ServiceChannels channels,
      PageTokens pageTokens) {
    this.name = name;
    this.environment = environment;
    this.configuration = configuration;
    this.jdbi = jdbi;
    this.channels = channels;
    this.pageTokens = pageTokens;
  }

  /**
   * The page token codec of list RPCs, keyed from the server key: every process of a deployment
   * shares the server key, so a token one replica issued is accepted by the others.
   */
  public PageTokens pageTokens() {
    return pageTokens;
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
