package dev.library.runtime.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** The embedded PostgreSQL started when a hosted service has no JDBC URL configured. */
public class EmbeddedPostgresConfig {
  /** Kept across restarts, so users, keys and books survive a stop and start. */
  @NotBlank @JsonProperty private String dataDirectory = "./data/postgres";

  /** 0 picks a free port at every start: nothing outside the process needs to know it. */
  @Min(0)
  @Max(65535)
  @JsonProperty
  private int port = 0;

  public String getDataDirectory() {
    return dataDirectory;
  }

  public void setDataDirectory(String dataDirectory) {
    this.dataDirectory = dataDirectory;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }
}
