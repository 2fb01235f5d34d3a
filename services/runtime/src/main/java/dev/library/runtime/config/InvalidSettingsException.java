package dev.library.runtime.config;

/** A configuration that must not start: its message names the setting's path. */
public final class InvalidSettingsException extends IllegalStateException {
  public InvalidSettingsException(String message) {
    super(message);
  }
}
