package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Rest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The auth service's REST API through the gateway, black box: only HTTP requests to the
 * gateway's port and what comes back.
 */
class RestAuthTest {
  private static final String PASSWORD = "correct horse battery";
  /** RFC 3339 date-time, as proto3 JSON prints a google.protobuf.Timestamp. */
  private static final Pattern RFC_3339 =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
  private static final String BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest";

  private static LibrarySystem system;
  private static Rest rest;

  @BeforeAll
  static void start() {
    system = LibrarySystem.start("auth,author,gateway");
    rest = new Rest(system.gatewayPort());
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void registerLoginVerifyAndRefreshAsAClientSeesThem() {
    String username = uniqueName("ada");
    JsonNode registered = register(username).expect(200);
    String userId = registered.path("userId").asText();
    assertThat(UUID.fromString(userId)).isNotNull();

    Instant beforeLogin = Instant.now().minusSeconds(5);
    JsonNode login = login(username, PASSWORD).expect(200);
    assertTokenPair(login, beforeLogin);

    JsonNode verified =
        rest.post("/api/v1/auth/verify")
            .body(Map.of("token", login.path("accessToken").asText()))
            .send()
            .expect(200);
    assertThat(verified.path("valid").asBoolean()).isTrue();
    assertThat(verified.path("userId").asText()).isEqualTo(userId);
    assertThat(texts(verified.path("roles"))).containsExactly("MEMBER");
    assertThat(verified.path("expiresAt").asText()).matches(RFC_3339);

    String oldRefresh = login.path("refreshToken").asText();
    JsonNode refreshed = refresh(oldRefresh).expect(200);
    assertTokenPair(refreshed, beforeLogin);
    assertThat(refreshed.path("refreshToken").asText()).isNotEqualTo(oldRefresh);
    assertThat(refreshed.path("accessToken").asText())
        .isNotEqualTo(login.path("accessToken").asText());
    JsonNode verifiedAgain =
        rest.post("/api/v1/auth/verify")
            .body(Map.of("token", refreshed.path("accessToken").asText()))
            .send()
            .expect(200);
    assertThat(verifiedAgain.path("valid").asBoolean()).isTrue();
    assertThat(verifiedAgain.path("userId").asText()).isEqualTo(userId);

    // The spent token is refused, with the google.rpc.Status body of UNAUTHENTICATED ...
    refresh(oldRefresh).expectError(401, 16);
    // ... and, being a replay, it revoked the token that replaced it too.
    refresh(refreshed.path("refreshToken").asText()).expectError(401, 16);
  }

  @Test
  void badRegistrationInputIsA400NamingEveryField() {
    JsonNode error =
        rest.post("/api/v1/auth/register")
            .body(Map.of("username", "x", "email", "not an address", "password", "short"))
            .send()
            .expectError(400, 3);

    List<String> fields = new ArrayList<>();
    boolean badRequestSeen = false;
    for (JsonNode detail : error.path("details")) {
      if (BAD_REQUEST_TYPE.equals(detail.path("@type").asText())) {
        badRequestSeen = true;
        detail.path("fieldViolations").forEach(v -> fields.add(v.path("field").asText()));
      }
    }
    assertThat(badRequestSeen).as("a %s detail in %s", BAD_REQUEST_TYPE, error).isTrue();
    assertThat(fields).contains("username", "email", "password");
  }

  @Test
  void aTakenUsernameIsA409() {
    String username = uniqueName("grace");
    register(username).expect(200);

    rest.post("/api/v1/auth/register")
        .body(
            Map.of(
                "username", username.toUpperCase(),
                "email", "other-" + username + "@example.org",
                "password", PASSWORD))
        .send()
        .expectError(409, 6);
  }

  @Test
  void aWrongPasswordOrUnknownUserIsA401() {
    String username = uniqueName("alan");
    register(username).expect(200);

    JsonNode wrongPassword = login(username, "not the password").expectError(401, 16);
    JsonNode unknownUser = login(uniqueName("nobody"), PASSWORD).expectError(401, 16);
    assertThat(unknownUser.path("message").asText())
        .as("an unknown user is not told apart from a wrong password")
        .isEqualTo(wrongPassword.path("message").asText());
  }

  @Test
  void onlyAnAdminSetsRoles() {
    String username = uniqueName("barbara");
    String userId = register(username).expect(200).path("userId").asText();
    String memberToken = login(username, PASSWORD).expect(200).path("accessToken").asText();
    String adminToken =
        login("admin", TestAccounts.ADMIN_PASSWORD).expect(200).path("accessToken").asText();
    String path = "/api/v1/auth/users/" + userId + "/roles";
    Map<String, Object> librarian = Map.of("roles", List.of("LIBRARIAN"));

    rest.put(path).body(librarian).send().expectError(401, 16);
    rest.put(path).body(librarian).bearer(memberToken).send().expectError(403, 7);

    JsonNode changed = rest.put(path).body(librarian).bearer(adminToken).send().expect(200);
    assertThat(changed.path("userId").asText()).isEqualTo(userId);
    assertThat(texts(changed.path("roles"))).containsExactlyInAnyOrder("MEMBER", "LIBRARIAN");

    // The new role is in the user's next access token.
    String newToken = login(username, PASSWORD).expect(200).path("accessToken").asText();
    JsonNode verified =
        rest.post("/api/v1/auth/verify").body(Map.of("token", newToken)).send().expect(200);
    assertThat(texts(verified.path("roles"))).containsExactlyInAnyOrder("MEMBER", "LIBRARIAN");
  }

  @Test
  void verifyingGarbageIsAValidFalseAnswer() {
    JsonNode verified =
        rest.post("/api/v1/auth/verify")
            .body(Map.of("token", "not.a.jwt"))
            .send()
            .expect(200);
    // always_print_primitive_fields: `valid: false` is present, not omitted.
    assertThat(verified.has("valid")).as("valid is printed: %s", verified).isTrue();
    assertThat(verified.path("valid").asBoolean()).isFalse();
    assertThat(verified.path("userId").asText("")).isEmpty();
    assertThat(texts(verified.path("roles"))).isEmpty();
  }

  private static Rest.Reply register(String username) {
    return rest.post("/api/v1/auth/register")
        .body(
            Map.of(
                "username", username,
                "email", username + "@example.org",
                "password", PASSWORD))
        .send();
  }

  private static Rest.Reply login(String username, String password) {
    return rest.post("/api/v1/auth/login")
        .body(Map.of("username", username, "password", password))
        .send();
  }

  private static Rest.Reply refresh(String refreshToken) {
    return rest.post("/api/v1/auth/refresh").body(Map.of("refreshToken", refreshToken)).send();
  }

  private static void assertTokenPair(JsonNode pair, Instant notBefore) {
    assertThat(pair.path("accessToken").asText()).as("accessToken in %s", pair).isNotBlank();
    assertThat(pair.path("accessToken").asText().split("\\.")).as("a JWT").hasSize(3);
    assertThat(pair.path("refreshToken").asText()).as("refreshToken in %s", pair).isNotBlank();
    assertThat(pair.path("tokenType").asText()).isEqualTo("Bearer");
    Instant access = timestamp(pair, "accessTokenExpiresAt");
    Instant refresh = timestamp(pair, "refreshTokenExpiresAt");
    assertThat(access).isAfter(notBefore.plus(Duration.ofMinutes(1)));
    assertThat(refresh).isAfter(access);
  }

  private static Instant timestamp(JsonNode message, String field) {
    JsonNode value = message.path(field);
    assertThat(value.isTextual()).as("%s is an RFC 3339 string in %s", field, message).isTrue();
    assertThat(value.asText()).matches(RFC_3339);
    return OffsetDateTime.parse(value.asText()).toInstant();
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
