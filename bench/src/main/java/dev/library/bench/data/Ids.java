package dev.library.bench.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Ids that Java and SQL compute alike: {@code md5(key)} read as a UUID, which is exactly
 * PostgreSQL's {@code CAST(md5(key) AS uuid)}. So the pgbench script can name the same books
 * and members as the load generator without a lookup table in the service's database.
 */
public final class Ids {
  private Ids() {}

  public static UUID md5(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
      ByteBuffer bytes = ByteBuffer.wrap(digest);
      return new UUID(bytes.getLong(), bytes.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  public static UUID book(int index) {
    return md5("book-" + index);
  }

  public static UUID author(int index) {
    return md5("author-" + index);
  }

  public static UUID category(int index) {
    return md5("category-" + index);
  }

  /** A member of a run: distinct runs (service, pgbench warm-up, pgbench) never share members. */
  public static UUID member(long key) {
    return md5("member-" + key);
  }
}
