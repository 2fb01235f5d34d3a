package dev.library.runtime.module;

import dev.library.runtime.api.PageTokens;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.config.StrictSettings;
import dev.library.runtime.grpc.ServiceChannels;
import dev.library.runtime.observe.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.dropwizard.core.setup.Environment;
import org.jdbi.v3.core.Jdbi;

/** What a module gets from the runtime when it starts. */
public final class ModuleContext {
  private final String name;
  private final Environment environment;
  private final LibraryConfiguration configuration;
  private final Jdbi jdbi;
  private final ServiceChannels channels;
  private final PageTokens pageTokens;
  private boolean settingsBound;
  private final Telemetry telemetry;

  public ModuleContext(
      String name,
      Environment environment,
      LibraryConfiguration configuration,
      Jdbi jdbi,
      ServiceChannels channels,
      Telemetry telemetry,
      PageTokens pageTokens) {
    this.telemetry = telemetry;
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
   * The process's meter registry: meters registered here are scraped at {@code
   * /metrics/prometheus} on the admin port (name them {@code library.<module>.<what>}).
   */
  public MeterRegistry meters() {
    return telemetry.meters();
  }

  /**
   * Binds {@code services.<name>.settings} to the module's settings class and validates it, so a
   * misspelt or invalid setting stops the start (naming its path) rather than keeping a default.
   */
  public <T> T settings(Class<T> type) {
    settingsBound = true;
    return StrictSettings.bind(
        settingsPath(), configuration.service(name).getSettings(), type, environment.getValidator());
  }

  /** Whether the module read its settings; a module that did not takes none (see ModuleHost). */
  boolean settingsBound() {
    return settingsBound;
  }

  String settingsPath() {
    return "services." + name + ".settings";
  }
}
