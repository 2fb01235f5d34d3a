package dev.library.auth.core;

import dev.library.runtime.errors.FieldViolations;

/**
 * OWASP ASVS 4.0 V2.1: at least 8 characters, up to 128 (long passphrases welcome; bcrypt's
 * 72-byte limit is lifted by {@link PasswordHasher}), any characters, no composition rules, and
 * none of the most common passwords. README.md documents the same rules.
 */
public final class PasswordPolicy {
  static final int MIN_CHARS = 8;
  static final int MAX_CHARS = 128;

  private final CommonPasswords common;

  public PasswordPolicy(CommonPasswords common) {
    this.common = common;
  }

  /** Adds to {@code violations} why {@code password} may not be chosen, if it may not. */
  public void check(String field, String password, FieldViolations violations) {
    int chars = password.codePointCount(0, password.length());
    if (password.isEmpty()) {
      violations.add(field, "is required");
    } else if (chars < MIN_CHARS) {
      violations.add(field, "must be at least " + MIN_CHARS + " characters");
    } else if (chars > MAX_CHARS) {
      violations.add(field, "must be at most " + MAX_CHARS + " characters");
    } else if (password.codePoints().distinct().count() == 1) {
      // Eight spaces or "aaaaaaaa": guessed at once by any attacker, whatever a list says.
      violations.add(field, "must not repeat a single character");
    } else if (common.contains(password)) {
      violations.add(
          field,
          "is one of the " + common.size() / 1000 + ",000 most common passwords, which attackers "
              + "try first; choose another (a few unrelated words make a strong one)");
    }
  }
}
