package dev.library.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresAddressTest {
  @Test
  void readsTheEmbeddedServersUrl() {
    PostgresAddress address =
        PostgresAddress.parse("jdbc:postgresql://localhost:34567/library_book?user=postgres", "postgres", "");
    assertThat(address).isEqualTo(new PostgresAddress("localhost", 34567, "library_book", "postgres", ""));
  }

  @Test
  void fillsInDefaultsAndNamesSiblingDatabases() {
    PostgresAddress server = PostgresAddress.parse("jdbc:postgresql://db.example/", "bench", "secret");
    assertThat(server.port()).isEqualTo(5432);
    assertThat(server.database()).isEqualTo("postgres");
    assertThat(server.withDatabase("library_bench_book").jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example:5432/library_bench_book");
    assertThat(server.toString()).doesNotContain("secret");
  }
}
