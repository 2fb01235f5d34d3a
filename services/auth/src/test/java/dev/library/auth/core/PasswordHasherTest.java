package dev.library.auth.core;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
  @ParameterizedTest
  @ValueSource(ints = {4, 10, 12, 14})
  void theDecoyForUnknownUsersIsAWellFormedHashAtTheConfiguredCost(int cost) {
    PasswordHasher hasher = new PasswordHasher(cost);
    // An unknown user's check must cost what a real user's does: same version, same cost.
    BCrypt.Result parsed =
        BCrypt.verifyer(BCrypt.Version.VERSION_2A)
            .verify(new byte[0], hasher.decoy().getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.validFormat).as(parsed.formatErrorMessage).isTrue();
    assertThat(parsed.details.cost).isEqualTo(cost);
    assertThat(parsed.details.version).isEqualTo(BCrypt.Version.VERSION_2A);
    assertThat(hasher.decoy()).startsWith(String.format("$2a$%02d$", cost));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "decoy password that matches nothing", "correct horse battery staple"})
  void hashesVerifyTheirOwnPasswordOnly(String password) {
    PasswordHasher hasher = new PasswordHasher(4);
    String hash = hasher.hash(password);
    assertThat(hasher.matches(password, hash)).isTrue();
    assertThat(hasher.matches(password + "x", hash)).isFalse();
  }
}
