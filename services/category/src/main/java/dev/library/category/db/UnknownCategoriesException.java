package dev.library.category.db;

import java.util.Set;
import java.util.UUID;

/** A link change named categories that do not exist; the transaction was rolled back. */
public final class UnknownCategoriesException extends RuntimeException {
  private final Set<UUID> missing;

  UnknownCategoriesException(Set<UUID> missing) {
    super("unknown categories " + missing, null, false, false);
    this.missing = Set.copyOf(missing);
  }

  public Set<UUID> missing() {
    return missing;
  }
}
