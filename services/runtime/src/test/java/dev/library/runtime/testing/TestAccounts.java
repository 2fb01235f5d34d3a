package dev.library.runtime.testing;

import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.LoginRequest;
import dev.library.auth.v1.RegisterRequest;
import dev.library.auth.v1.Role;
import dev.library.auth.v1.SetUserRolesRequest;
import io.grpc.CallCredentials;
import java.util.List;
import java.util.UUID;

/**
 * Real accounts for tests of other services, made through the auth service of a running
 * {@link LibrarySystem}: the configured admin, fresh members, fresh librarians.
 */
public final class TestAccounts {
  public static final String ADMIN_PASSWORD = "admin-password";
  private static final String PASSWORD = "a test password";

  private final AuthServiceGrpc.AuthServiceBlockingStub auth;

  public TestAccounts(LibrarySystem system) {
    this(system.channel("auth"));
  }

  /** Accounts made through the auth service behind {@code auth} (another process's, say). */
  public TestAccounts(io.grpc.Channel auth) {
    this.auth = AuthServiceGrpc.newBlockingStub(auth);
  }

  /** A signed-in user: id and access token. */
  public record User(String id, String token) {
    public CallCredentials credentials() {
      return Credentials.bearer(token);
    }
  }

  public User admin() {
    String token =
        auth.login(LoginRequest.newBuilder().setUsername("admin").setPassword(ADMIN_PASSWORD).build())
            .getAccessToken();
    return new User(new com.auth0.jwt.JWT().decodeJwt(token).getSubject(), token);
  }

  public User member() {
    String username = "member-" + UUID.randomUUID().toString().substring(0, 8);
    String id = register(username);
    return new User(id, login(username));
  }

  public User librarian() {
    return withRoles(Role.LIBRARIAN);
  }

  /** A new user holding {@code roles} (and member, which every user holds). */
  public User withRoles(Role... roles) {
    String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
    String id = register(username);
    auth.withCallCredentials(admin().credentials())
        .setUserRoles(
            SetUserRolesRequest.newBuilder().setUserId(id).addAllRoles(List.of(roles)).build());
    return new User(id, login(username));
  }

  private String register(String username) {
    return auth.register(
            RegisterRequest.newBuilder()
                .setUsername(username)
                .setEmail(username + "@example.org")
                .setPassword(PASSWORD)
                .build())
        .getUserId();
  }

  private String login(String username) {
    return auth.login(LoginRequest.newBuilder().setUsername(username).setPassword(PASSWORD).build())
        .getAccessToken();
  }
}
