package dev.library.book.core;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * Which user ids name an account: asked of the Auth service, which owns accounts, before a
 * librarian lends to, takes back from, or lists the loans of someone else.
 */
public interface Members {
  /** The ids among these that name an account. */
  Set<UUID> existing(Collection<UUID> ids);
}
