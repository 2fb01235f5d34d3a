package dev.library.author;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.author.db.AuthorDao;
import dev.library.runtime.testing.LibrarySystem;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ListAuthors' statements on 200,000 authors: the name index for pages, trigrams for searches. */
class AuthorQueryPlanTest {
  private static LibrarySystem system;
  private static Jdbi jdbi;

  @BeforeAll
  static void load() throws Exception {
    system = LibrarySystem.start("author");
    try (Connection db = system.connect("author");
        Statement sql = db.createStatement()) {
      sql.execute(
          "INSERT INTO authors (id, name) SELECT gen_random_uuid(), 'Author ' || md5(i::text) "
              + "FROM generate_series(1, 200000) i");
      sql.execute("ANALYZE authors");
    }
    var database = system.application().host().database("author");
    jdbi = Jdbi.create(database.getUrl(), database.getUser(), database.getPassword());
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void pagesReadTheNameIndexInOrder() {
    assertThat(explain(Optional.empty(), 20, 0)).contains("authors_name_order_idx");
  }

  @Test
  void nameSearchesUseTheTrigramIndex() {
    assertThat(explain(Optional.of("%a1b2%"), 20, 0)).contains("authors_name_trgm_idx");
  }

  private static String explain(Optional<String> namePattern, int limit, long offset) {
    return jdbi.withHandle(h -> new AuthorDao(h).explainPage(namePattern, limit, offset));
  }
}
