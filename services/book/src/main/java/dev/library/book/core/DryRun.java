package dev.library.book.core;

import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs a circulation transaction for real, or (AIP-163 {@code validate_only}) runs the very same
 * statements and rolls them back: the checks, locks and refusals are those of the real call, so
 * the answer cannot drift from it.
 */
final class DryRun {
  private DryRun() {}

  static <R> R inTransaction(
      Jdbi jdbi, boolean validateOnly, HandleCallback<R, RuntimeException> work) {
    if (!validateOnly) {
      return jdbi.inTransaction(work);
    }
    try {
      jdbi.inTransaction(
          h -> {
            throw new RolledBack(work.withHandle(h));
          });
      throw new IllegalStateException("unreachable");
    } catch (RolledBack done) {
      @SuppressWarnings("unchecked")
      R result = (R) done.result;
      return result;
    }
  }

  /** Carries the dry run's answer out of the transaction it rolls back. */
  private static final class RolledBack extends RuntimeException {
    private final transient Object result;

    RolledBack(Object result) {
      super(null, null, false, false);
      this.result = result;
    }
  }
}
