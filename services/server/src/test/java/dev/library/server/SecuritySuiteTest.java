package dev.library.server;

import static org.awaitility.Awaitility.await;
import dev.library.testing.FreePorts;
import static dev.library.runtime.testing.StatusAssertions.errorInfo;
import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.library.auth.v1.AuditEvent;
import dev.library.auth.v1.AuditEventType;
import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.ChangePasswordRequest;
import dev.library.auth.v1.ListAuditEventsRequest;
import dev.library.auth.v1.ListAuditEventsResponse;
import dev.library.auth.v1.LoginRequest;
import dev.library.auth.v1.LoginResponse;
import dev.library.auth.v1.LogoutRequest;
import dev.library.auth.v1.RefreshTokenRequest;
import dev.library.auth.v1.RegisterRequest;
import dev.library.auth.v1.Role;
import dev.library.auth.v1.SetUserRolesRequest;
import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.CreateAuthorRequest;
import dev.library.runtime.grpc.ClientAddress;
import dev.library.runtime.testing.Credentials;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Rest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The account-security promises of README's Security section, against two real processes: the
 * auth service in one, the Author service and the REST gateway in another (which learns of
 * revocations only through ListRevocations and verifies tokens against the JWKS). Throttling,
 * the password policy, canonical names, revocation across processes over gRPC and REST, and the
 * audit trail, all on one pair of started processes.
 */
class SecuritySuiteTest {
  /** What the issue promises: refused everywhere within 5 s of the change. */
  private static final Duration REVOCATION_PROMISE = Duration.ofSeconds(5);
  private static final String PASSWORD = "a perfectly fine passphrase";
  private static final String KEK =
      java.util.Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

  private static LibrarySystem authProcess;
  private static LibrarySystem edgeProcess;
  private static AuthServiceGrpc.AuthServiceBlockingStub auth;
  private static TestAccounts accounts;
  private static Rest rest;

  @BeforeAll
  static void start() {
    int authPort = FreePorts.next();
    authProcess =
        LibrarySystem.start(
            "auth",
            Map.of(
                "services.auth.grpcPort", "" + authPort,
                // Other tests of this class log in from loopback too: only the address limit of
                // the throttling test below may block it.
                "services.auth.settings.throttle.addressFreeFailures", "60",
                "services.auth.settings.keyEncryptionKey", KEK,
                "services.auth.settings.keyReloadInterval", "500ms"));
    edgeProcess =
        LibrarySystem.start(
            "author,gateway",
            Map.of(
                "services.auth.address", "localhost:" + authPort,
                "security.jwksUrl",
                "http://localhost:" + authProcess.httpPort() + "/.well-known/jwks.json"));
    auth = AuthServiceGrpc.newBlockingStub(authProcess.channel("auth"));
    accounts = new TestAccounts(authProcess);
    rest = new Rest(edgeProcess.gatewayPort());
  }

  @AfterAll
  static void stop() {
    if (edgeProcess != null) {
      edgeProcess.close();
    }
    if (authProcess != null) {
      authProcess.close();
    }
  }

  // --- throttling ---------------------------------------------------------------------------

  @Test
  void guessingIsThrottledPerAccountWithoutLockingTheOwnerOut() {
    String victim = unique("victim");
    register(victim, PASSWORD);
    AuthServiceGrpc.AuthServiceBlockingStub attacker = from("203.0.113.7");

    StatusRuntimeException throttled = guessUntilThrottled(attacker, victim);
    assertThat(errorInfo(throttled).orElseThrow().getReason()).isEqualTo("TOO_MANY_LOGIN_ATTEMPTS");
    Duration retry = retryDelay(throttled);
    assertThat(retry).isPositive();
    // Throttled before the password is checked: the right one is refused from there too.
    StatusRuntimeException stillThrottled =
        failure(() -> attacker.login(login(victim, PASSWORD)));
    assertThat(stillThrottled.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    // The owner, from an address with no failures, still gets in.
    LoginResponse owner = from("198.51.100.20").login(login(victim, PASSWORD));
    assertThat(owner.getAccessToken()).isNotEmpty();
  }

  @Test
  void throttledRestLoginIs429WithRetryAfter() {
    String victim = unique("restvictim");
    register(victim, PASSWORD);
    Rest.Reply reply = null;
    for (int attempt = 0; attempt < 40; attempt++) {
      reply =
          rest.post("/api/v1/auth/login")
              .body(Map.of("username", victim, "password", "wrong " + attempt))
              .send();
      if (reply.status() != 401) {
        break;
      }
    }
    assertThat(reply.status()).isEqualTo(429);
    assertThat(Long.parseLong(reply.header("retry-after").orElseThrow())).isPositive();
    assertThat(reply.json().path("code").asInt()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
  }

  @Test
  void clientAddressComesFromXForwardedForOnlyThroughATrustedProxy() {
    ClientAddress trusting = new ClientAddress("127.0.0.1");
    Metadata headers = new Metadata();
    headers.put(ClientAddress.FORWARDED_FOR, "6.6.6.6, 192.0.2.1");
    var fromProxy = new java.net.InetSocketAddress("127.0.0.1", 40000);
    var fromElsewhere = new java.net.InetSocketAddress("192.0.2.99", 40000);
    assertThat(trusting.resolve(fromProxy, headers)).isEqualTo("192.0.2.1");
    assertThat(trusting.resolve(fromElsewhere, headers)).isEqualTo("192.0.2.99");
    assertThat(trusting.resolve(fromProxy, new Metadata())).isEqualTo("127.0.0.1");
    // By host name, as compose names Envoy.
    assertThat(new ClientAddress("localhost").resolve(fromProxy, headers)).isEqualTo("192.0.2.1");
  }

  // --- password policy, canonical names -----------------------------------------------------

  @Test
  void commonAndDegeneratePasswordsAreRefusedSayingWhy() {
    for (String weak : List.of("password", "12345678", "        ", "Password1", "qwertyuiop")) {
      StatusRuntimeException error =
          failure(
              () ->
                  auth.register(
                      RegisterRequest.newBuilder()
                          .setUsername(unique("weak"))
                          .setEmail(unique("weak") + "@example.org")
                          .setPassword(weak)
                          .build()));
      assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(violatedFields(error)).containsExactly("password");
      assertThat(error.getStatus().getDescription()).containsAnyOf("common", "repeat");
    }
  }

  @Test
  void longPassphrasesCountInFullBeyondBcrypts72Bytes() {
    String base = "x".repeat(30) + " the quick brown fox jumps over the lazy dog again and again ";
    String passphrase = base + "ending one";
    assertThat(passphrase.length()).isGreaterThan(72).isLessThanOrEqualTo(128);
    String username = unique("long");
    register(username, passphrase);
    assertThat(auth.login(login(username, passphrase)).getAccessToken()).isNotEmpty();
    // Same first 72 bytes, another tail: bcrypt alone would have accepted it.
    assertThat(failure(() -> auth.login(login(username, base + "ending two"))).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void usernamesCompareAsAsciiOnly() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    register("kisec" + suffix, PASSWORD);
    assertThat(auth.login(login("KISEC" + suffix, PASSWORD)).getAccessToken()).isNotEmpty();
    for (String lookalike :
        List.of("\u212Aisec" + suffix, "k\u0130sec" + suffix, "K\u0130SEC" + suffix)) {
      StatusRuntimeException error = failure(() -> auth.login(login(lookalike, PASSWORD)));
      assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(error.getStatus().getDescription()).isEqualTo("invalid username or password");
    }
  }

  // --- revocation across processes ----------------------------------------------------------

  @Test
  void demotionReachesTheOtherProcessOverGrpcAndRestWithinSeconds() {
    TestAccounts.User librarian = accounts.librarian();
    assertCanCreateAuthors(librarian.token());
    auth.withCallCredentials(accounts.admin().credentials())
        .setUserRoles(
            SetUserRolesRequest.newBuilder().setUserId(librarian.id()).addRoles(Role.MEMBER).build());
    assertRefusedWithinPromise(librarian.token());
  }

  @Test
  void passwordChangeLogoutEverywhereAndRefreshReuseRevokeAccessTokens() {
    // Password change.
    String username = unique("changer");
    TestAccounts.User changer = librarianNamed(username);
    assertCanCreateAuthors(changer.token());
    auth.withCallCredentials(changer.credentials())
        .changePassword(
            ChangePasswordRequest.newBuilder()
                .setCurrentPassword(PASSWORD)
                .setNewPassword("another fine passphrase")
                .build());
    assertRefusedWithinPromise(changer.token());
    assertThat(failure(() -> auth.login(login(username, PASSWORD))).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    LoginResponse fresh = auth.login(login(username, "another fine passphrase"));
    assertCanCreateAuthors(fresh.getAccessToken());

    // Logout of one session leaves access tokens alone; logout everywhere does not.
    LoginResponse second = auth.login(login(username, "another fine passphrase"));
    auth.logout(LogoutRequest.newBuilder().setRefreshToken(second.getRefreshToken()).build());
    assertThat(
            failure(
                    () ->
                        auth.refreshToken(
                            RefreshTokenRequest.newBuilder()
                                .setRefreshToken(second.getRefreshToken())
                                .build()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    auth.logout(
        LogoutRequest.newBuilder()
            .setRefreshToken(fresh.getRefreshToken())
            .setEverywhere(true)
            .build());
    assertRefusedWithinPromise(fresh.getAccessToken());

    // A replayed refresh token ends every session.
    LoginResponse third = auth.login(login(username, "another fine passphrase"));
    auth.refreshToken(
        RefreshTokenRequest.newBuilder().setRefreshToken(third.getRefreshToken()).build());
    failure(
        () ->
            auth.refreshToken(
                RefreshTokenRequest.newBuilder().setRefreshToken(third.getRefreshToken()).build()));
    assertRefusedWithinPromise(third.getAccessToken());
  }

  @Test
  void changePasswordNeedsTheCurrentOneAndAPolicyConformingNewOne() {
    String username = unique("careful");
    register(username, PASSWORD);
    String token = auth.login(login(username, PASSWORD)).getAccessToken();
    var asUser = auth.withCallCredentials(Credentials.bearer(token));
    assertThat(
            failure(
                    () ->
                        asUser.changePassword(
                            ChangePasswordRequest.newBuilder()
                                .setCurrentPassword("not the password")
                                .setNewPassword("another fine passphrase")
                                .build()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    StatusRuntimeException weak =
        failure(
            () ->
                asUser.changePassword(
                    ChangePasswordRequest.newBuilder()
                        .setCurrentPassword(PASSWORD)
                        .setNewPassword("password1")
                        .build()));
    assertThat(violatedFields(weak)).containsExactly("new_password");
    // Unchanged: the old password still works.
    assertThat(auth.login(login(username, PASSWORD)).getAccessToken()).isNotEmpty();
    // REST: the path exists and needs a token.
    rest.post("/api/v1/auth/password")
        .body(Map.of("currentPassword", PASSWORD, "newPassword", "another fine passphrase"))
        .send()
        .expect(401);
  }

  // --- audit trail ----------------------------------------------------------------------------

  @Test
  void everySecurityEventIsInTheAppendOnlyAuditTrail() throws SQLException {
    String username = unique("audited");
    String userId = register(username, PASSWORD);
    AuthServiceGrpc.AuthServiceBlockingStub attacker = from("203.0.113.99");
    guessUntilThrottled(attacker, username);
    LoginResponse session = from("198.51.100.99").login(login(username, PASSWORD));
    auth.withCallCredentials(accounts.admin().credentials())
        .setUserRoles(
            SetUserRolesRequest.newBuilder().setUserId(userId).addRoles(Role.LIBRARIAN).build());
    auth.withCallCredentials(Credentials.bearer(session.getAccessToken()))
        .changePassword(
            ChangePasswordRequest.newBuilder()
                .setCurrentPassword(PASSWORD)
                .setNewPassword("another fine passphrase")
                .build());
    LoginResponse next = auth.login(login(username, "another fine passphrase"));
    dev.library.auth.v1.RefreshTokenResponse rotated =
        auth.refreshToken(
            RefreshTokenRequest.newBuilder().setRefreshToken(next.getRefreshToken()).build());
    failure(
        () ->
            auth.refreshToken(
                RefreshTokenRequest.newBuilder().setRefreshToken(next.getRefreshToken()).build()));
    LoginResponse last = auth.login(login(username, "another fine passphrase"));
    auth.logout(LogoutRequest.newBuilder().setRefreshToken(last.getRefreshToken()).build());

    var asAdmin = auth.withCallCredentials(accounts.admin().credentials());
    List<AuditEvent> events = new ArrayList<>();
    String token = "";
    do {
      ListAuditEventsResponse page =
          asAdmin.listAuditEvents(
              ListAuditEventsRequest.newBuilder()
                  .setUserId(userId)
                  .setPageSize(3)
                  .setPageToken(token)
                  .build());
      events.addAll(page.getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    Set<AuditEventType> types = EnumSet.noneOf(AuditEventType.class);
    events.forEach(e -> types.add(e.getType()));
    assertThat(types)
        .contains(
            AuditEventType.USER_REGISTERED,
            AuditEventType.LOGIN_FAILED,
            AuditEventType.LOGIN_THROTTLED,
            AuditEventType.LOGIN_SUCCEEDED,
            AuditEventType.ROLES_CHANGED,
            AuditEventType.PASSWORD_CHANGED,
            AuditEventType.REFRESH_TOKEN_REUSED,
            AuditEventType.LOGGED_OUT);
    assertThat(events).extracting(AuditEvent::getId).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    AuditEvent roles =
        events.stream().filter(e -> e.getType() == AuditEventType.ROLES_CHANGED).findFirst().get();
    assertThat(roles.getDetailsMap())
        .containsEntry("before", "member")
        .containsEntry("after", "member,librarian");
    assertThat(roles.getActorUserId()).isNotEmpty().isNotEqualTo(userId);
    assertThat(events)
        .filteredOn(e -> e.getType() == AuditEventType.LOGIN_FAILED)
        .extracting(AuditEvent::getClientAddress)
        .contains("203.0.113.99");
    assertThat(events.toString()).doesNotContain(PASSWORD).doesNotContain(next.getRefreshToken());
    assertThat(rotated.getAccessToken()).isNotEmpty();

    // Filters by type; members may not read the trail; the table refuses changes.
    assertThat(
            asAdmin
                .listAuditEvents(
                    ListAuditEventsRequest.newBuilder()
                        .setUserId(userId)
                        .setType(AuditEventType.LOGIN_THROTTLED)
                        .build())
                .getEventsList())
        .isNotEmpty()
        .allMatch(e -> e.getType() == AuditEventType.LOGIN_THROTTLED);
    rest.get("/api/v1/auth/audit-events?type=PASSWORD_CHANGED&userId=" + userId)
        .bearer(accounts.admin().token())
        .send()
        .expect(200);
    rest.get("/api/v1/auth/audit-events").bearer(accounts.member().token()).send().expect(403);
    try (Connection db = authProcess.connect("auth");
        Statement sql = db.createStatement()) {
      for (String change :
          List.of(
              "UPDATE audit_events SET username = 'x'",
              "DELETE FROM audit_events",
              "TRUNCATE audit_events")) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sql.execute(change))
            .hasMessageContaining("append-only");
      }
    }
  }

  // --- keys -------------------------------------------------------------------------------------

  @Test
  void keysRotateWithOverlapWhileForgedKidsFlood() throws Exception {
    String oldToken = accounts.librarian().token();
    String oldKid = com.auth0.jwt.JWT.decode(oldToken).getKeyId();
    java.util.concurrent.atomic.AtomicBoolean flooding =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger forged = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger admitted =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread flood =
        new Thread(
            () -> {
              var authors = AuthorServiceGrpc.newBlockingStub(edgeProcess.channel("author"));
              java.security.interfaces.RSAPrivateKey attackerKey = attackerKey();
              while (flooding.get()) {
                String token =
                    com.auth0.jwt.JWT.create()
                        .withKeyId(UUID.randomUUID().toString())
                        .withIssuer("library-auth")
                        .withSubject(UUID.randomUUID().toString())
                        .withClaim("roles", List.of("member", "librarian"))
                        .withExpiresAt(java.time.Instant.now().plusSeconds(600))
                        .sign(com.auth0.jwt.algorithms.Algorithm.RSA256(null, attackerKey));
                Status.Code code =
                    codeOf(
                        () ->
                            authors
                                .withCallCredentials(Credentials.bearer(token))
                                .createAuthor(CreateAuthorRequest.newBuilder().setName("Forged").build()));
                forged.incrementAndGet();
                if (code != Status.Code.UNAUTHENTICATED) {
                  admitted.incrementAndGet();
                }
              }
            },
            "forged-kid-flood");
    flood.start();
    try {
      var database = authProcess.application().host().database("auth");
      org.jdbi.v3.core.Jdbi jdbi =
          org.jdbi.v3.core.Jdbi.create(database.getUrl(), database.getUser(), database.getPassword());
      var rotation =
          dev.library.auth.core.KeyRotation.rotate(
              jdbi,
              dev.library.auth.core.KeyEncryptionKey.configured(KEK, ""),
              java.time.Instant.now(),
              Duration.ofSeconds(3),
              Duration.ofMinutes(15));
      assertThat(rotation.kid()).isNotEqualTo(oldKid);

      // Published before it signs; once it signs, a new login carries it. The old key stays
      // published all along. The pause is long: this polls a schedule of seconds.
      String newToken =
          await().atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .alias("a token signed with the rotated-in key")
              .until(() -> {
                    String token = accounts.librarian().token();
                    assertThat(jwksKids()).contains(oldKid);
                    return token;
                  },
                  token -> rotation.kid().equals(com.auth0.jwt.JWT.decode(token).getKeyId()));
      assertThat(jwksKids()).contains(oldKid, rotation.kid());
      // Whatever the flood did to the other process's key cache, both keys' tokens pass there.
      assertCanCreateAuthors(newToken);
      assertCanCreateAuthors(oldToken);
    } finally {
      flooding.set(false);
      flood.join();
    }
    assertThat(forged.get()).isPositive();
    assertThat(admitted.get()).as("forged tokens admitted").isZero();
    try (Connection db = authProcess.connect("auth");
        Statement sql = db.createStatement();
        var rows = sql.executeQuery("SELECT count(*) FROM signing_keys WHERE NOT sealed")) {
      rows.next();
      assertThat(rows.getInt(1)).as("signing keys stored unencrypted").isZero();
    }
    assertThat(
            auth.withCallCredentials(accounts.admin().credentials())
                .listAuditEvents(
                    ListAuditEventsRequest.newBuilder()
                        .setType(AuditEventType.SIGNING_KEY_ROTATED)
                        .build())
                .getEventsCount())
        .isPositive();
  }

  private static java.security.interfaces.RSAPrivateKey attackerKey() {
    try {
      var generator = java.security.KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return (java.security.interfaces.RSAPrivateKey) generator.generateKeyPair().getPrivate();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> jwksKids() throws Exception {
    List<String> kids = new ArrayList<>();
    Rest.JSON
        .readTree(new Rest(authProcess.httpPort()).get("/.well-known/jwks.json").send().body())
        .path("keys")
        .forEach(k -> kids.add(k.path("kid").asText()));
    return kids;
  }

  // --- helpers --------------------------------------------------------------------------------

  private static StatusRuntimeException guessUntilThrottled(
      AuthServiceGrpc.AuthServiceBlockingStub from, String username) {
    // Each failure past the free ones blocks for longer (1 s, 2 s, 4 s, ...), so under any load
    // some attempt lands inside a block; 30 is far more than that takes.
    for (int attempt = 0; attempt < 30; attempt++) {
      int n = attempt;
      StatusRuntimeException error = failure(() -> from.login(login(username, "guess " + n)));
      if (error.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
        return error;
      }
      assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    throw new AssertionError("30 wrong passwords and never throttled");
  }

  private static Duration retryDelay(StatusRuntimeException error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    for (Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          var delay = detail.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no RetryInfo in " + status);
  }

  /** The auth service as reached through a trusted proxy that names {@code address}. */
  private static AuthServiceGrpc.AuthServiceBlockingStub from(String address) {
    Metadata headers = new Metadata();
    headers.put(ClientAddress.FORWARDED_FOR, address);
    return auth.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static void assertCanCreateAuthors(String token) {
    AuthorServiceGrpc.newBlockingStub(edgeProcess.channel("author"))
        .withCallCredentials(Credentials.bearer(token))
        .createAuthor(CreateAuthorRequest.newBuilder().setName(unique("Author ")).build());
    rest.post("/api/v1/authors").bearer(token).body(Map.of("name", unique("Author "))).send().expect(200);
  }

  /** The token is refused by the other process, directly and through REST, within 5 s. */
  private static void assertRefusedWithinPromise(String token) {
    record Answers(Status.Code grpc, int http) {}
    long start = System.nanoTime();
    var authors =
        AuthorServiceGrpc.newBlockingStub(edgeProcess.channel("author"))
            .withCallCredentials(Credentials.bearer(token));
    await().atMost(REVOCATION_PROMISE)
        .alias("the revoked token refused over gRPC (UNAUTHENTICATED) and REST (401)")
        .until(() ->
                new Answers(
                    codeOf(() -> authors.createAuthor(CreateAuthorRequest.newBuilder().setName(unique("Late ")).build())),
                    rest.post("/api/v1/authors").bearer(token).body(Map.of("name", unique("Late "))).send().status()),
            answers -> answers.grpc() == Status.Code.UNAUTHENTICATED && answers.http() == 401);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("revocation reached the other process after %d ms%n", took.toMillis());
    assertThat(
            failure(() -> authors.createAuthor(CreateAuthorRequest.newBuilder().setName("x").build())))
        .satisfies(e -> assertThat(errorInfo(e).orElseThrow().getReason()).isEqualTo("TOKEN_REVOKED"));
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static TestAccounts.User librarianNamed(String username) {
    String id = register(username, PASSWORD);
    auth.withCallCredentials(accounts.admin().credentials())
        .setUserRoles(
            SetUserRolesRequest.newBuilder().setUserId(id).addRoles(Role.LIBRARIAN).build());
    return new TestAccounts.User(id, auth.login(login(username, PASSWORD)).getAccessToken());
  }

  private static String register(String username, String password) {
    return auth.register(
            RegisterRequest.newBuilder()
                .setUsername(username)
                .setEmail(username + "@example.org")
                .setPassword(password)
                .build())
        .getUserId();
  }

  private static LoginRequest login(String username, String password) {
    return LoginRequest.newBuilder().setUsername(username).setPassword(password).build();
  }

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }
}
