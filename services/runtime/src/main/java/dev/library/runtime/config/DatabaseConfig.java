package dev.library.runtime.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

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

  /**
   * The longest one SQL statement may run (PostgreSQL's statement_timeout); a longer one is
   * cancelled and the request answers DEADLINE_EXCEEDED, with nothing committed.
   */
  @NotNull @JsonProperty private Duration statementTimeout = Duration.seconds(5);

  /** A transaction left idle this long is ended by the server (idle_in_transaction_session_timeout). */
  @NotNull @JsonProperty private Duration idleInTransactionTimeout = Duration.seconds(10);

  /**
   * How long a request waits for a pooled connection before it answers UNAVAILABLE; also the
   * connect timeout of new connections.
   */
  @NotNull @JsonProperty private Duration connectionWait = Duration.seconds(2);

  /**
   * How long the driver waits for any answer on a connection: a frozen server (not down, not
   * answering) fails requests after this instead of holding them and their connections.
   */
  @NotNull @JsonProperty private Duration socketTimeout = Duration.seconds(10);

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

  public void setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  public Duration getStatementTimeout() {
    return statementTimeout;
  }

  public Duration getIdleInTransactionTimeout() {
    return idleInTransactionTimeout;
  }

  public Duration getConnectionWait() {
    return connectionWait;
  }

  public Duration getSocketTimeout() {
    return socketTimeout;
  }

  @Override
  public String toString() {
    // The password stays out of every log line and error message.
    return "DatabaseConfig{url=" + (isEmbedded() ? "<embedded>" : url) + ", user=" + user + "}";
  }
}
