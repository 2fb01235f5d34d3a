package dev.library.bench.data;

import dev.library.bench.data.CatalogGenerator.AuthorEntry;
import dev.library.bench.data.CatalogGenerator.BookEntry;
import dev.library.bench.data.CatalogGenerator.CategoryEntry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

/**
 * Bulk-loads the generated catalog with COPY, each part into the database of the service that
 * owns it: authors into the Author service's, categories and the books' item links into the
 * Category service's, books (with their author name sort key and category ids) into the Book
 * service's. That is the state the services' own writes would leave, so every service reads only
 * its own database. The catalog grows in steps; each step adds what the new size needs.
 */
public final class CatalogLoader {
  /** Opens a connection to a service's own database. */
  @FunctionalInterface
  public interface Databases {
    Connection connect(String service) throws SQLException;
  }

  public record Step(int fromBooks, int toBooks, int authorsAdded, long linksAdded, double seconds) {}

  private final CatalogGenerator generator;
  private final Databases databases;
  private int books;

  public CatalogLoader(CatalogGenerator generator, Databases databases) {
    this.generator = generator;
    this.databases = databases;
  }

  public int books() {
    return books;
  }

  /** Adds books (and the authors, categories and links they need) up to {@code size} books. */
  public Step growTo(int size) throws Exception {
    if (size <= books) {
      return new Step(books, books, 0, 0, 0);
    }
    long start = System.nanoTime();
    int from = books;
    int authorsBefore = from == 0 ? 0 : CatalogGenerator.authorsFor(from);
    int authorsAfter = CatalogGenerator.authorsFor(size);
    if (from == 0) {
      loadCategories();
    }
    loadAuthors(authorsBefore, authorsAfter);
    // Books and their category links go to two PostgreSQL backends: they load on both cores.
    CompletableFuture<Long> links =
        CompletableFuture.supplyAsync(() -> unchecked(() -> loadItemLinks(from, size)));
    loadBooks(from, size);
    long linksAdded = links.join();
    books = size;
    return new Step(from, size, authorsAfter - authorsBefore, linksAdded, (System.nanoTime() - start) / 1e9);
  }

  private void loadCategories() throws SQLException {
    try (Connection db = databases.connect("category");
        CopyWriter copy = new CopyWriter(db, "COPY categories (id, name, description) FROM STDIN")) {
      for (int i = 0; i < CatalogGenerator.CATEGORIES; i++) {
        CategoryEntry category = generator.category(i);
        copy.row(category.id(), category.name(), category.description());
      }
      copy.finish();
      analyze(db, "categories");
    }
  }

  private void loadAuthors(int from, int to) throws SQLException {
    try (Connection db = databases.connect("author");
        CopyWriter copy =
            new CopyWriter(db, "COPY authors (id, name, biography, birth_date) FROM STDIN")) {
      for (int i = from; i < to; i++) {
        AuthorEntry author = generator.author(i);
        copy.row(author.id(), author.name(), author.biography(), author.birthDate());
      }
      copy.finish();
      analyze(db, "authors");
    }
  }

  private void loadBooks(int from, int to) throws SQLException {
    try (Connection db = databases.connect("book");
        CopyWriter copy =
            new CopyWriter(
                db,
                "COPY books (id, title, author_id, author_name, isbn, publication_year, publisher, "
                    + "description, total_copies, available_copies, category_ids) FROM STDIN")) {
      for (int i = from; i < to; i++) {
        BookEntry book = generator.book(i);
        copy.row(
            book.id(), book.title(), book.authorId(), book.authorName(), book.isbn(),
            book.publicationYear(), book.publisher(), book.description(), book.totalCopies(),
            book.totalCopies(), book.categoryIds());
      }
      copy.finish();
      analyze(db, "books");
    }
  }

  private long loadItemLinks(int from, int to) throws SQLException {
    try (Connection db = databases.connect("category");
        CopyWriter copy =
            new CopyWriter(db, "COPY item_categories (item_type, item_id, category_id) FROM STDIN")) {
      for (int i = from; i < to; i++) {
        BookEntry book = generator.book(i);
        for (var category : book.categoryIds()) {
          copy.row("book", book.id(), category);
        }
      }
      long copied = copy.finish();
      analyze(db, "item_categories");
      return copied;
    }
  }

  private static void analyze(Connection db, String table) throws SQLException {
    // Fresh statistics, as autovacuum would gather soon after a real bulk import.
    try (Statement sql = db.createStatement()) {
      sql.execute("ANALYZE " + table);
    }
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private static <T> T unchecked(SqlWork<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
