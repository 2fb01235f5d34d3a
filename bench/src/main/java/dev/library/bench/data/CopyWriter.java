package dev.library.bench.data;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.StringJoiner;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows streamed into one {@code COPY ... FROM STDIN} (text format) through PostgreSQL JDBC's
 * CopyManager, in chunks of about a megabyte. Generated values never contain tabs, newlines or
 * backslashes, so they need no escaping.
 */
final class CopyWriter implements AutoCloseable {
  private static final int FLUSH_AT = 1 << 20;

  private final CopyIn copy;
  private final StringBuilder buffer = new StringBuilder(FLUSH_AT + 4096);
  private long rows;

  CopyWriter(Connection connection, String copySql) throws SQLException {
    this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
  }

  void row(Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        buffer.append('\t');
      }
      buffer.append(values[i] == null ? "\\N" : text(values[i]));
    }
    buffer.append('\n');
    rows++;
    if (buffer.length() >= FLUSH_AT) {
      flush();
    }
  }

  private static String text(Object value) {
    if (value instanceof Collection<?> items) {
      StringJoiner array = new StringJoiner(",", "{", "}");
      items.forEach(item -> array.add(item.toString()));
      return array.toString();
    }
    return value.toString();
  }

  private void flush() throws SQLException {
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    buffer.setLength(0);
  }

  /** Sends the rest and ends the COPY; the number of rows PostgreSQL took. */
  long finish() throws SQLException {
    flush();
    long copied = copy.endCopy();
    if (copied != rows) {
      throw new IllegalStateException("COPY took " + copied + " of " + rows + " rows");
    }
    return copied;
  }

  @Override
  public void close() throws SQLException {
    if (copy.isActive()) {
      copy.cancelCopy();
    }
  }
}
