package dev.library.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.LoginRequest;
import dev.library.auth.v1.LoginResponse;
import dev.library.auth.v1.RefreshTokenRequest;
import dev.library.auth.v1.RegisterRequest;
import dev.library.auth.v1.VerifyTokenRequest;
import dev.library.runtime.testing.LibrarySystem;
import org.junit.jupiter.api.Test;

/** Stopping and starting the process keeps users, refresh tokens and the generated signing key. */
class RestartTest {
  @Test
  void usersAndKeysSurviveARestart() {
    try (LibrarySystem system = LibrarySystem.start("auth")) {
      AuthServiceGrpc.AuthServiceBlockingStub auth =
          AuthServiceGrpc.newBlockingStub(system.channel("auth"));
      String userId =
          auth.register(
                  RegisterRequest.newBuilder()
                      .setUsername("persistent")
                      .setEmail("persistent@example.org")
                      .setPassword("survives restarts")
                      .build())
              .getUserId();
      LoginResponse before =
          auth.login(
              LoginRequest.newBuilder()
                  .setUsername("persistent")
                  .setPassword("survives restarts")
                  .build());

      system.restart();

      AuthServiceGrpc.AuthServiceBlockingStub again =
          AuthServiceGrpc.newBlockingStub(system.channel("auth"));
      LoginResponse after =
          again.login(
              LoginRequest.newBuilder()
                  .setUsername("persistent")
                  .setPassword("survives restarts")
                  .build());
      assertThat(
              again.verifyToken(
                  VerifyTokenRequest.newBuilder().setToken(after.getAccessToken()).build()))
          .satisfies(v -> assertThat(v.getUserId()).isEqualTo(userId));
      // Same key after the restart: the token issued before it is still valid.
      assertThat(
              again
                  .verifyToken(
                      VerifyTokenRequest.newBuilder().setToken(before.getAccessToken()).build())
                  .getValid())
          .isTrue();
      assertThat(
              again
                  .refreshToken(
                      RefreshTokenRequest.newBuilder()
                          .setRefreshToken(before.getRefreshToken())
                          .build())
                  .getAccessToken())
          .isNotEmpty();
    }
  }
}
