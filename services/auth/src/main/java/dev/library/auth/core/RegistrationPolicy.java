package dev.library.auth.core;

import dev.library.runtime.errors.FieldViolations;
import java.util.regex.Pattern;

/** What a new account must look like. README.md documents the same rules. */
public final class RegistrationPolicy {
  /** The longest username registration accepts (see USERNAME). */
  static final int MAX_USERNAME_CHARS = 50;
  /**
   * ASCII only (no Pattern.UNICODE_CASE, no \p classes): names compare as ASCII case-folded, so
   * no two spellings (the Kelvin sign for K, a dotted capital I) can name one account.
   */
  private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{2,49}$");
  private static final Pattern EMAIL =
      Pattern.compile(
          "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
              + "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

  private final PasswordPolicy passwords;

  public RegistrationPolicy(PasswordPolicy passwords) {
    this.passwords = passwords;
  }

  public void check(String username, String email, String password) {
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
    passwords.check("password", password, violations);
    violations.throwIfAny();
  }
}
