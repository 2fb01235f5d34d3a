package dev.library.auth.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Usernames compare as ASCII case-folded and nothing else. A presented name with any non-ASCII
 * character names no account: Unicode case folding (SQL's lower(), Java's toLowerCase) maps the
 * Kelvin sign U+212A to 'k' and U+0130 to 'i', which would let one account answer to several
 * spellings.
 */
public final class Usernames {
  private Usernames() {}

  /** The canonical form of a presented username; empty when it cannot name an account. */
  public static Optional<String> canonical(String presented) {
    for (int i = 0; i < presented.length(); i++) {
      if (presented.charAt(i) > 0x7f) {
        return Optional.empty();
      }
    }
    return Optional.of(presented.toLowerCase(Locale.ROOT));
  }
}
