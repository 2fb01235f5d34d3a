package dev.library.runtime.db;

import java.sql.SQLException;

/** Reads PostgreSQL's SQLSTATE out of whatever wraps it (JDBI, the pool). */
public final class SqlErrors {
  public static final String UNIQUE_VIOLATION = "23505";
  public static final String FOREIGN_KEY_VIOLATION = "23503";

  private SqlErrors() {}

  public static boolean isUniqueViolation(Throwable error) {
    return hasState(error, UNIQUE_VIOLATION);
  }

  public static boolean isForeignKeyViolation(Throwable error) {
    return hasState(error, FOREIGN_KEY_VIOLATION);
  }

  /** The violated constraint's name, when PostgreSQL reported one. */
  public static String constraint(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
        return p.getServerErrorMessage().getConstraint();
      }
    }
    return null;
  }

  private static boolean hasState(Throwable error, String state) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
