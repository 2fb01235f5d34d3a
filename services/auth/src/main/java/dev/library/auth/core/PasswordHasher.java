package dev.library.auth.core;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt at a configured cost. bcrypt reads at most 72 bytes; a longer password is first hashed
 * with SHA-512 (the library's long-password strategy) so that every byte of it counts. Passwords
 * up to 72 bytes hash exactly as before, so stored hashes stay valid.
 */
public final class PasswordHasher {
  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
  /** The salt (22 characters) and hash (31 characters) of a bcrypt hash. */
  private static final String DECOY_SALT_AND_HASH =
      "nEnWsYrMZG3s1cyeyV6qT.P5Q7cWDhoi5zk9kT5CfVxf7emWEOtya";

  private final int cost;
  private final BCrypt.Hasher hasher =
      BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
  private final BCrypt.Verifyer verifyer =
      BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
  /**
   * Checked against when the user does not exist, so both failures take the same time; the
   * outcome is thrown away. Only its cost decides how long a check takes, so it is written out
   * rather than hashed: hashing it cost every start a third of a second.
   */
  private final String decoy;

  public PasswordHasher(int cost) {
    this.cost = cost;
    this.decoy = String.format("$2a$%02d$%s", cost, DECOY_SALT_AND_HASH);
  }

  public String hash(String password) {
    return hasher.hashToString(cost, password.toCharArray());
  }

  public boolean matches(String password, String hash) {
    return verifyer
        .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
        .verified;
  }

  /** The hash unknown users are checked against: a well-formed bcrypt hash at this cost. */
  String decoy() {
    return decoy;
  }

  /** Spends the time of one verification, for unknown users. */
  public void burnVerification(String password) {
    matches(password, decoy);
  }
}
