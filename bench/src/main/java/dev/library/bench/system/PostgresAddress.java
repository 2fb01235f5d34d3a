package dev.library.bench.system;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a PostgreSQL database is, taken apart from its JDBC URL: what pgbench needs as
 * {@code -h -p -U} and a database name, and what the bench needs to name sibling databases on
 * the same server.
 */
public record PostgresAddress(String host, int port, String database, String user, String password) {

  /** Parses {@code jdbc:postgresql://host[:port]/database[?user=...&password=...]}. */
  public static PostgresAddress parse(String jdbcUrl, String user, String password) {
    if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    Map<String, String> query = query(uri.getRawQuery());
    String path = uri.getPath() == null ? "" : uri.getPath();
    return new PostgresAddress(
        uri.getHost() == null ? "localhost" : uri.getHost(),
        uri.getPort() < 0 ? 5432 : uri.getPort(),
        path.startsWith("/") && path.length() > 1 ? path.substring(1) : "postgres",
        blank(user) ? query.getOrDefault("user", "postgres") : user,
        blank(password) ? query.getOrDefault("password", "") : password);
  }

  /** The same server and credentials, another database. */
  public PostgresAddress withDatabase(String name) {
    return new PostgresAddress(host, port, name, user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> values = new LinkedHashMap<>();
    if (rawQuery == null) {
      return values;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  @Override
  public String toString() {
    // Never print the password.
    return user + "@" + host + ":" + port + "/" + database;
  }
}
