package dev.library.book.core;

import dev.library.book.db.BookDao;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The author-name sort key of books. It is the name the Author service gave when the book was
 * last written, and it is brought up to date whenever a read of the book sees a newer name, so
 * sorting by author follows renames without this service reading the Author database.
 */
public final class AuthorNames {
  private final Jdbi jdbi;

  public AuthorNames(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void refresh(UUID authorId, String name) {
    jdbi.useHandle(h -> new BookDao(h).refreshAuthorName(authorId, name));
  }
}
