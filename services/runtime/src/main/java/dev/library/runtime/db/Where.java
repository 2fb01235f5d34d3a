package dev.library.runtime.db;

/**
 * Builds WHERE clauses of list queries from fragments: a clause is empty (no filter) or starts
 * with {@code " WHERE "}, and a condition is added to it with AND.
 */
public final class Where {
  private Where() {}

  /** {@code where} and also {@code condition}; either may be empty. */
  public static String and(String where, String condition) {
    if (condition.isEmpty()) {
      return where;
    }
    return where.isEmpty() ? " WHERE " + condition : where + " AND " + condition;
  }
}
