package dev.library.auth.core;

import dev.library.runtime.errors.FieldViolations;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** What a new account must look like. README.md documents the same rules. */
public final class RegistrationPolicy {
  static final int MAX_PASSWORD_BYTES = 72; // bcrypt ignores anything longer
  static final int MIN_PASSWORD_CHARS = 8;
  /** The longest username registration accepts (see USERNAME). */
  static final int MAX_USERNAME_CHARS = 50;
  /** No valid password is longer (MAX_PASSWORD_BYTES of UTF-8 is at most this many chars). */
  static final int MAX_PASSWORD_CHARS = MAX_PASSWORD_BYTES;
  private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{2,49}$");
  private static final Pattern EMAIL =
      Pattern.compile(
          "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
              + "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

  private RegistrationPolicy() {}

  public static void check(String username, String email, String password) {
    FieldViolations violations = new FieldViolations();
    if (username.isEmpty()) {
      violations.add("username", "is required");
    } else if (!USERNAME.matcher(username).matches()) {
      violations.add(
          "username",
          "must be 3 to 50 characters: letters, digits, '.', '_' or '-', starting with a letter "
              + "or digit");
    }
    if (email.isEmpty()) {
      violations.add("email", "is required");
    } else if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      violations.add("email", "must be a valid e-mail address");
    }
    if (password.isEmpty()) {
      violations.add("password", "is required");
    } else if (password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS) {
      violations.add("password", "must be at least " + MIN_PASSWORD_CHARS + " characters");
    } else if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      violations.add("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
    }
    violations.throwIfAny();
  }
}
