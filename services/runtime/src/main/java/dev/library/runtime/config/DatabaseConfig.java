package dev.library.runtime.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/**
 * Where one service keeps its data. An empty {@code url} means "use the embedded PostgreSQL":
 * the runtime then creates a database named {@code library_<service>} in it.
 */
public class DatabaseConfig {
  @JsonProperty private String url = "";
  @JsonProperty private String user = "";
  @JsonProperty private String password = "";

  @Min(1)
  @JsonProperty
  private int maxConnections = 16;

  public boolean isEmbedded() {
    return url == null || url.isBlank();
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  @Override
  public String toString() {
    // The password stays out of every log line and error message.
    return "DatabaseConfig{url=" + (isEmbedded() ? "<embedded>" : url) + ", user=" + user + "}";
  }
}
