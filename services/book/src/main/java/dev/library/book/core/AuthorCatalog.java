package dev.library.book.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the Book service needs to know of authors, who live in the Author service. Implemented by
 * a gRPC client; a failure to ask is an {@link dev.library.runtime.errors.UnavailableException}
 * (or TimedOutException), never a transport error.
 */
public interface AuthorCatalog {
  /** The names of the authors of these ids that exist (at most 100 ids: one call). */
  Map<UUID, String> names(Collection<UUID> ids);

  /** The ids of the authors whose name contains {@code nameQuery} (one call). */
  List<UUID> idsMatching(String nameQuery);
}
