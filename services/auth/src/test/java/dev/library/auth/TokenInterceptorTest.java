package dev.library.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.LoginRequest;
import dev.library.auth.v1.Role;
import dev.library.auth.v1.SetUserRolesRequest;
import dev.library.runtime.testing.Credentials;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.testing.Rest;
import io.grpc.CallCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared token interceptor on a protected RPC (SetUserRoles), attacked with forged tokens.
 * The auth service signs with a key file this test wrote, so the test can also mint tokens with
 * the real key (expired, wrong issuer) and prove the valid path works.
 */
class TokenInterceptorTest {
  private static LibrarySystem system;
  private static AuthServiceGrpc.AuthServiceBlockingStub auth;
  private static KeyPair realKey;
  private static String realKid;

  @BeforeAll
  static void start() throws Exception {
    realKey = rsa();
    Path pem = Files.createTempFile("jwt-key", ".pem");
    Files.writeString(
        pem,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(realKey.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    system =
        LibrarySystem.start("auth", Map.of("services.auth.settings.signingKeyFile", pem.toString()));
    auth = AuthServiceGrpc.newBlockingStub(system.channel("auth"));
    String token =
        auth.login(
                LoginRequest.newBuilder().setUsername("admin").setPassword("admin-password").build())
            .getAccessToken();
    realKid = JWT.decode(token).getKeyId();
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void aTokenMintedWithTheRealKeyPasses() {
    // Positive control: the forged-token cases below fail for their flaw, not for the harness.
    String token = mint(realKey, realKid, "library-auth", Instant.now().plusSeconds(60), "admin");
    assertThat(callProtected(Credentials.bearer(token))).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void missingOrMalformedAuthorizationIsUnauthenticated() {
    assertThat(callProtected(null)).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(callProtected(Credentials.authorization("Basic YWRtaW46YWRtaW4=")))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(callProtected(Credentials.authorization("Bearer ")))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(callProtected(Credentials.bearer("not.a.jwt")))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void tokenSignedByAnotherKeyIsRefused() throws Exception {
    KeyPair attacker = rsa();
    Instant exp = Instant.now().plusSeconds(60);
    assertThat(callProtected(Credentials.bearer(mint(attacker, realKid, "library-auth", exp, "admin"))))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(callProtected(Credentials.bearer(mint(attacker, "attacker-kid", "library-auth", exp, "admin"))))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void algNoneAndHmacConfusionAreRefused() {
    String payload =
        base64Url(
            "{\"sub\":\"" + UUID.randomUUID() + "\",\"roles\":[\"admin\"],\"iss\":\"library-auth\","
                + "\"exp\":" + (Instant.now().getEpochSecond() + 60) + "}");
    String none = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + realKid + "\"}") + "." + payload + ".";
    assertThat(callProtected(Credentials.bearer(none))).isEqualTo(Status.Code.UNAUTHENTICATED);

    // The classic confusion: HS256 keyed with the (public) RSA key bytes.
    String hmac =
        JWT.create()
            .withKeyId(realKid)
            .withIssuer("library-auth")
            .withSubject(UUID.randomUUID().toString())
            .withClaim("roles", List.of("admin"))
            .withExpiresAt(Instant.now().plusSeconds(60))
            .sign(Algorithm.HMAC256(realKey.getPublic().getEncoded()));
    assertThat(callProtected(Credentials.bearer(hmac))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void expiredTamperedAndForeignIssuerTokensAreRefused() {
    String expired = mint(realKey, realKid, "library-auth", Instant.now().minusSeconds(5), "admin");
    StatusRuntimeException error = callProtectedError(Credentials.bearer(expired));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(error.getStatus().getDescription()).contains("expired");

    String foreign = mint(realKey, realKid, "someone-else", Instant.now().plusSeconds(60), "admin");
    assertThat(callProtected(Credentials.bearer(foreign))).isEqualTo(Status.Code.UNAUTHENTICATED);

    String member = mint(realKey, realKid, "library-auth", Instant.now().plusSeconds(60), "member");
    String[] parts = member.split("\\.");
    String elevated =
        base64Url(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"member\"", "\"admin\""));
    String tampered = parts[0] + "." + elevated + "." + parts[2];
    assertThat(callProtected(Credentials.bearer(tampered))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aWrongServerKeyIsUnauthenticatedAndTheRightOneIsNotAUser() {
    assertThat(callProtected(Credentials.serverKey("guess"))).isEqualTo(Status.Code.UNAUTHENTICATED);
    // The server key proves a service, not an admin: SetUserRoles still wants a user token.
    assertThat(callProtected(Credentials.serverKey(LibrarySystem.SERVER_KEY)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void healthNeedsNoToken() {
    HealthCheckResponse response =
        HealthGrpc.newBlockingStub(system.channel("auth"))
            .check(
                HealthCheckRequest.newBuilder()
                    .setService(AuthServiceGrpc.SERVICE_NAME)
                    .build());
    assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void jwksPublishesTheSigningKey() throws Exception {
    Rest.Reply response = new Rest(system.httpPort()).get("/.well-known/jwks.json").send();
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).contains("\"kid\":\"" + realKid + "\"").contains("\"RS256\"");
    assertThat(response.body()).doesNotContain("\"d\"");
  }

  @Test
  void theServiceServesTheApiDocumentsAndSwaggerUiOnItsHttpPort() throws Exception {
    Rest http = new Rest(system.httpPort());
    Rest.Reply document = http.get("/openapi/auth.swagger.json").send();
    assertThat(document.status()).isEqualTo(200);
    assertThat(document.body()).contains("\"/api/v1/auth/login\"");
    Rest.Reply ui = http.get("/docs/").send();
    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.body()).contains("swagger-ui");
  }

  private static Status.Code callProtected(CallCredentials credentials) {
    StatusRuntimeException error = callProtectedError(credentials);
    return error == null ? Status.Code.OK : error.getStatus().getCode();
  }

  private static StatusRuntimeException callProtectedError(CallCredentials credentials) {
    AuthServiceGrpc.AuthServiceBlockingStub stub =
        credentials == null ? auth : auth.withCallCredentials(credentials);
    try {
      stub.setUserRoles(
          SetUserRolesRequest.newBuilder()
              .setUserId(UUID.randomUUID().toString())
              .addRoles(Role.LIBRARIAN)
              .build());
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  private static String mint(KeyPair key, String kid, String issuer, Instant expiresAt, String role) {
    return JWT.create()
        .withKeyId(kid)
        .withIssuer(issuer)
        .withSubject(UUID.randomUUID().toString())
        .withClaim("roles", List.of(role))
        .withIssuedAt(expiresAt.minusSeconds(900))
        .withExpiresAt(expiresAt)
        .sign(
            Algorithm.RSA256(
                (RSAPublicKey) key.getPublic(), (RSAPrivateKey) key.getPrivate()));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
