package dev.library.author;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.author.db.AuthorDao;
import dev.library.runtime.api.NamePageRequest;
import dev.library.runtime.api.PageTokens;
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

  private static final PageTokens TOKENS = new PageTokens(new byte[32]);

  static NamePageRequest request(String nameQuery, String pageToken) {
    return NamePageRequest.of(TOKENS, "ListAuthors", 0, 20, pageToken, nameQuery, 200);
  }

  @Test
  void pagesReadTheNameIndexInOrder() {
    assertThat(explain(request("", ""))).contains("authors_name_order_idx");
  }

  @Test
  void nameSearchesUseTheTrigramIndex() {
    assertThat(explain(request("a1b2", ""))).contains("authors_name_trgm_idx");
  }

  @Test
  void aPageByTokenSeeksIntoTheNameIndex() {
    String token = jdbi.withHandle(h -> new AuthorDao(h).page(request("", ""))).nextPageToken();
    String plan = explain(request("", token));
    assertThat(plan).contains("Index Scan using authors_name_order_idx").contains("Index Cond");
  }

  private static String explain(NamePageRequest request) {
    return jdbi.withHandle(h -> new AuthorDao(h).explainPage(request));
  }
}
