package dev.library.auth;

import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.LoginRequest;
import dev.library.auth.v1.LoginResponse;
import dev.library.auth.v1.RefreshTokenRequest;
import dev.library.auth.v1.RefreshTokenResponse;
import dev.library.auth.v1.RegisterRequest;
import dev.library.auth.v1.Role;
import dev.library.auth.v1.SetUserRolesRequest;
import dev.library.auth.v1.VerifyTokenRequest;
import dev.library.auth.v1.VerifyTokenResponse;
import dev.library.runtime.testing.Credentials;
import dev.library.runtime.testing.LibrarySystem;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The auth service over real gRPC against the real process on embedded PostgreSQL. */
class AuthFlowTest {
  private static LibrarySystem system;
  private static AuthServiceGrpc.AuthServiceBlockingStub auth;

  @BeforeAll
  static void start() {
    system = LibrarySystem.start("auth");
    auth = AuthServiceGrpc.newBlockingStub(system.channel("auth"));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  static String register(String username) {
    return auth.register(
            RegisterRequest.newBuilder()
                .setUsername(username)
                .setEmail(username + "@example.org")
                .setPassword("correct horse battery")
                .build())
        .getUserId();
  }

  static LoginResponse login(String username, String password) {
    return auth.login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build());
  }

  static VerifyTokenResponse verify(String token) {
    return auth.verifyToken(VerifyTokenRequest.newBuilder().setToken(token).build());
  }

  @Test
  void registerLoginVerifyRefreshRotates() {
    String username = unique("reader");
    String userId = register(username);
    assertThat(userId).matches("[0-9a-f-]{36}");

    LoginResponse login = login(username, "correct horse battery");
    assertThat(login.getTokenType()).isEqualTo("Bearer");
    VerifyTokenResponse verified = verify(login.getAccessToken());
    assertThat(verified.getValid()).isTrue();
    assertThat(verified.getUserId()).isEqualTo(userId);
    assertThat(verified.getRolesList()).containsExactly(Role.MEMBER);

    RefreshTokenResponse refreshed =
        auth.refreshToken(
            RefreshTokenRequest.newBuilder().setRefreshToken(login.getRefreshToken()).build());
    assertThat(refreshed.getRefreshToken()).isNotEqualTo(login.getRefreshToken());
    VerifyTokenResponse verifiedNew = verify(refreshed.getAccessToken());
    assertThat(verifiedNew.getValid()).isTrue();
    assertThat(verifiedNew.getUserId()).isEqualTo(userId);

    assertThatThrownBy(
            () ->
                auth.refreshToken(
                    RefreshTokenRequest.newBuilder()
                        .setRefreshToken(login.getRefreshToken())
                        .build()))
        .satisfies(e -> assertCode(e, Status.Code.UNAUTHENTICATED));

    // The replay above looks like theft: every access token of the user is revoked too,
    // the one the legitimate refresh just issued included.
    assertThat(verify(refreshed.getAccessToken()).getValid()).isFalse();
  }

  @Test
  void replayingASpentRefreshTokenRevokesTheFamily() {
    String username = unique("victim");
    register(username);
    LoginResponse login = login(username, "correct horse battery");
    RefreshTokenResponse first =
        auth.refreshToken(
            RefreshTokenRequest.newBuilder().setRefreshToken(login.getRefreshToken()).build());
    // An attacker replays the spent token: refused, and the legitimate new one dies with it.
    assertThatThrownBy(
            () ->
                auth.refreshToken(
                    RefreshTokenRequest.newBuilder()
                        .setRefreshToken(login.getRefreshToken())
                        .build()))
        .satisfies(e -> assertCode(e, Status.Code.UNAUTHENTICATED));
    assertThatThrownBy(
            () ->
                auth.refreshToken(
                    RefreshTokenRequest.newBuilder()
                        .setRefreshToken(first.getRefreshToken())
                        .build()))
        .satisfies(e -> assertCode(e, Status.Code.UNAUTHENTICATED));
  }

  @Test
  void unknownAndGarbageRefreshTokensAreUnauthenticated() {
    assertThatThrownBy(
            () ->
                auth.refreshToken(
                    RefreshTokenRequest.newBuilder().setRefreshToken("not-a-token").build()))
        .satisfies(e -> assertCode(e, Status.Code.UNAUTHENTICATED));
    assertThatThrownBy(() -> auth.refreshToken(RefreshTokenRequest.getDefaultInstance()))
        .satisfies(e -> assertField(e, "refresh_token"));
  }

  @Test
  void wrongPasswordAndUnknownUserLookAlike() {
    String username = unique("alike");
    register(username);
    StatusRuntimeException wrongPassword =
        failure(() -> login(username, "not the password"));
    StatusRuntimeException unknownUser =
        failure(() -> login(unique("nobody"), "not the password"));
    assertThat(wrongPassword.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(unknownUser.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(wrongPassword.getStatus().getDescription())
        .isEqualTo(unknownUser.getStatus().getDescription());
  }

  @Test
  void loginIsCaseInsensitiveOnUsername() {
    String username = unique("Mixed");
    register(username);
    assertThat(login(username.toUpperCase(), "correct horse battery").getAccessToken()).isNotEmpty();
  }

  @Test
  void verifyTokenNeverFailsForBadTokens() {
    for (String token : List.of("", "garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30.")) {
      VerifyTokenResponse response = verify(token);
      assertThat(response.getValid()).as(token).isFalse();
      assertThat(response.getUserId()).isEmpty();
    }
  }

  @Test
  void registrationRulesNameTheField() {
    assertInvalid("ab", "ab@example.org", "long enough pw", "username");
    assertInvalid("has space", "x@example.org", "long enough pw", "username");
    assertInvalid("x".repeat(51), "x@example.org", "long enough pw", "username");
    assertInvalid("_leading", "x@example.org", "long enough pw", "username");
    assertInvalid(unique("ok"), "not-an-email", "long enough pw", "email");
    assertInvalid(unique("ok"), "a@b", "long enough pw", "email");
    assertInvalid(unique("ok"), "ok@example.org", "short", "password");
    assertInvalid(unique("ok"), "ok@example.org", "é".repeat(40), "password");
    assertInvalid("", "", "", "username", "email", "password");
  }

  @Test
  void duplicateUsernameOrEmailIsAlreadyExistsRegardlessOfCase() {
    String username = unique("dup");
    register(username);
    StatusRuntimeException sameName =
        failure(
            () ->
                auth.register(
                    RegisterRequest.newBuilder()
                        .setUsername(username.toUpperCase())
                        .setEmail(unique("other") + "@example.org")
                        .setPassword("correct horse battery")
                        .build()));
    assertThat(sameName.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(sameName.getStatus().getDescription()).contains("username");

    StatusRuntimeException sameEmail =
        failure(
            () ->
                auth.register(
                    RegisterRequest.newBuilder()
                        .setUsername(unique("other"))
                        .setEmail(username.toUpperCase() + "@EXAMPLE.org")
                        .setPassword("correct horse battery")
                        .build()));
    assertThat(sameEmail.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(sameEmail.getStatus().getDescription()).contains("email");
  }

  @Test
  void twentyRacingRegistrationsYieldExactlyOneAccount() throws Exception {
    String username = unique("race");
    int clients = 20;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Status.Code>> results =
          IntStream.range(0, clients)
              .mapToObj(
                  i ->
                      pool.submit(
                          (Callable<Status.Code>)
                              () -> {
                                AuthServiceGrpc.AuthServiceBlockingStub own =
                                    AuthServiceGrpc.newBlockingStub(system.channel("auth"));
                                go.await();
                                try {
                                  own.register(
                                      RegisterRequest.newBuilder()
                                          .setUsername(username)
                                          .setEmail(username + i + "@example.org")
                                          .setPassword("correct horse battery")
                                          .build());
                                  return Status.Code.OK;
                                } catch (StatusRuntimeException e) {
                                  return e.getStatus().getCode();
                                }
                              }))
              .toList();
      go.countDown();
      List<Status.Code> codes = new java.util.ArrayList<>();
      for (Future<Status.Code> result : results) {
        codes.add(result.get());
      }
      assertThat(codes).filteredOn(c -> c == Status.Code.OK).hasSize(1);
      assertThat(codes).filteredOn(c -> c == Status.Code.ALREADY_EXISTS).hasSize(clients - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void adminGrantsLibrarianAndTheNextTokenCarriesIt() {
    String username = unique("future-librarian");
    String userId = register(username);
    LoginResponse member = login(username, "correct horse battery");

    LoginResponse admin = login("admin", "admin-password");
    assertThat(verify(admin.getAccessToken()).getRolesList())
        .containsExactly(Role.MEMBER, Role.LIBRARIAN, Role.ADMIN);

    assertThatThrownBy(
            () ->
                auth.withCallCredentials(Credentials.bearer(member.getAccessToken()))
                    .setUserRoles(
                        SetUserRolesRequest.newBuilder()
                            .setUserId(userId)
                            .addRoles(Role.ADMIN)
                            .build()))
        .satisfies(e -> assertCode(e, Status.Code.PERMISSION_DENIED));

    var granted =
        auth.withCallCredentials(Credentials.bearer(admin.getAccessToken()))
            .setUserRoles(
                SetUserRolesRequest.newBuilder().setUserId(userId).addRoles(Role.LIBRARIAN).build());
    assertThat(granted.getRolesList()).containsExactly(Role.MEMBER, Role.LIBRARIAN);

    RefreshTokenResponse next =
        auth.refreshToken(
            RefreshTokenRequest.newBuilder().setRefreshToken(member.getRefreshToken()).build());
    assertThat(verify(next.getAccessToken()).getRolesList())
        .containsExactly(Role.MEMBER, Role.LIBRARIAN);
  }

  @Test
  void setUserRolesValidatesItsInput() {
    var asAdmin =
        auth.withCallCredentials(
            Credentials.bearer(login("admin", "admin-password").getAccessToken()));
    assertThatThrownBy(
            () ->
                asAdmin.setUserRoles(
                    SetUserRolesRequest.newBuilder().setUserId("42").addRoles(Role.MEMBER).build()))
        .satisfies(e -> assertField(e, "user_id"));
    assertThatThrownBy(
            () ->
                asAdmin.setUserRoles(
                    SetUserRolesRequest.newBuilder()
                        .setUserId(UUID.randomUUID().toString())
                        .build()))
        .satisfies(e -> assertField(e, "roles"));
    assertThatThrownBy(
            () ->
                asAdmin.setUserRoles(
                    SetUserRolesRequest.newBuilder()
                        .setUserId(UUID.randomUUID().toString())
                        .addRoles(Role.ROLE_UNSPECIFIED)
                        .build()))
        .satisfies(e -> assertField(e, "roles"));
    assertThatThrownBy(
            () ->
                asAdmin.setUserRoles(
                    SetUserRolesRequest.newBuilder()
                        .setUserId(UUID.randomUUID().toString())
                        .addRoles(Role.LIBRARIAN)
                        .build()))
        .satisfies(e -> assertCode(e, Status.Code.NOT_FOUND));
  }

  static void assertInvalid(
      String username, String email, String password, String... expectedFields) {
    StatusRuntimeException error =
        failure(
            () ->
                auth.register(
                    RegisterRequest.newBuilder()
                        .setUsername(username)
                        .setEmail(email)
                        .setPassword(password)
                        .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violatedFields(error)).containsExactlyInAnyOrder(expectedFields);
    for (String field : expectedFields) {
      assertThat(error.getStatus().getDescription()).contains(field);
    }
    assertThat(error.getStatus().getDescription()).doesNotContain(password.isEmpty() ? "\u0000" : password);
  }

  static void assertField(Throwable e, String field) {
    assertCode(e, Status.Code.INVALID_ARGUMENT);
    assertThat(violatedFields((StatusRuntimeException) e)).containsExactly(field);
  }

  static void assertCode(Throwable e, Status.Code code) {
    assertThat(e).isInstanceOf(StatusRuntimeException.class);
    assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(code);
  }
}
