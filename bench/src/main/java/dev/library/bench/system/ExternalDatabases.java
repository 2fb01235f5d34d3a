package dev.library.bench.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL server given by JDBC URL instead of the embedded one: the bench makes one fresh
 * database per service on it ({@code library_bench_<service>}, dropped first if a previous run
 * left it, and dropped again at the end), so a run never touches anything it did not create.
 */
final class ExternalDatabases implements AutoCloseable {
  private static final String PREFIX = "library_bench_";

  private final PostgresAddress server;
  private final List<String> services;

  private ExternalDatabases(PostgresAddress server, List<String> services) {
    this.server = server;
    this.services = services;
  }

  static ExternalDatabases create(PostgresAddress server, List<String> services) throws SQLException {
    ExternalDatabases databases = new ExternalDatabases(server, services);
    databases.dropAll();
    try (Connection admin = databases.connect();
        Statement sql = admin.createStatement()) {
      for (String service : services) {
        sql.execute("CREATE DATABASE " + PREFIX + service);
      }
    }
    return databases;
  }

  /** The config overrides that point each service at its database. */
  Map<String, String> overrides() {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String service : services) {
      String key = "services." + service + ".database.";
      overrides.put(key + "url", server.withDatabase(PREFIX + service).jdbcUrl());
      overrides.put(key + "user", server.user());
      overrides.put(key + "password", server.password());
    }
    return overrides;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
  }

  private void dropAll() throws SQLException {
    try (Connection admin = connect();
        Statement sql = admin.createStatement()) {
      for (String service : services) {
        sql.execute("DROP DATABASE IF EXISTS " + PREFIX + service + " WITH (FORCE)");
      }
    }
  }

  @Override
  public void close() throws SQLException {
    dropAll();
  }
}
