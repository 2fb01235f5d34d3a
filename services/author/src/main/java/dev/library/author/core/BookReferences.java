package dev.library.author.core;

import java.util.UUID;

/** How many books name an author: asked of the Book service, which owns books. */
public interface BookReferences {
  /**
   * @throws dev.library.runtime.errors.UnavailableException when the Book service cannot answer
   */
  int countBooksByAuthor(UUID authorId);
}
