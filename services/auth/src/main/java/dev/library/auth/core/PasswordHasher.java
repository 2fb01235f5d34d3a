package dev.library.auth.core;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt at a configured cost. */
public final class PasswordHasher {
  private final int cost;
  /** Checked against when the user does not exist, so both failures take the same time. */
  private final String decoy;

  public PasswordHasher(int cost) {
    this.cost = cost;
    this.decoy = hash("decoy password that matches nothing");
  }

  public String hash(String password) {
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  public boolean matches(String password, String hash) {
    if (password.getBytes(StandardCharsets.UTF_8).length > RegistrationPolicy.MAX_PASSWORD_BYTES) {
      return false;
    }
    return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
  }

  /** Spends the time of one verification, for unknown users. */
  public void burnVerification(String password) {
    matches(password, decoy);
  }
}
