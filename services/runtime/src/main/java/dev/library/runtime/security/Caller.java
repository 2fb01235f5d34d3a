package dev.library.runtime.security;

import dev.library.runtime.errors.NotAllowedException;
import dev.library.runtime.errors.UnauthenticatedException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who is making a request: a signed-in user (id and roles from a verified access token), another
 * service of the library (it presented the server key), or nobody (a public RPC). The transport
 * establishes it and passes it to the core explicitly; the core never looks it up.
 *
 * <p>Which RPCs a caller may reach is declared in the protos and enforced before the core runs;
 * what is left here are the rules that depend on the request itself.
 */
public final class Caller {
  private static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, "", EnumSet.noneOf(Role.class));
  private static final Caller SERVICE = new Caller(Kind.SERVICE, "", EnumSet.noneOf(Role.class));

  private enum Kind {
    ANONYMOUS,
    USER,
    SERVICE
  }

  private final Kind kind;
  private final String userId;
  private final EnumSet<Role> roles;

  private Caller(Kind kind, String userId, Set<Role> roles) {
    this.kind = kind;
    this.userId = userId;
    this.roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
  }

  public static Caller user(String userId, Set<Role> roles) {
    return new Caller(Kind.USER, userId, roles);
  }

  public static Caller service() {
    return SERVICE;
  }

  public static Caller anonymous() {
    return ANONYMOUS;
  }

  public boolean isService() {
    return kind == Kind.SERVICE;
  }

  public boolean isUser() {
    return kind == Kind.USER;
  }

  /** The user's id as the token names it; empty for services and anonymous callers. */
  public String userId() {
    return userId;
  }

  public Set<Role> roles() {
    return Collections.unmodifiableSet(roles);
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }

  /** The signed-in user's id, else UNAUTHENTICATED (a service or anonymous caller has none). */
  public UUID requireUser() {
    if (!isUser()) {
      throw new UnauthenticatedException("USER_TOKEN_REQUIRED", "a user's access token is required");
    }
    return UUID.fromString(userId);
  }

  /**
   * The member a request acts for: the caller themselves when none is named; another member
   * only when the caller is a librarian (the library-wide rule for acting for someone else).
   */
  public UUID actingFor(Optional<UUID> member) {
    UUID self = requireUser();
    if (member.isEmpty() || member.get().equals(self)) {
      return self;
    }
    if (!hasRole(Role.LIBRARIAN)) {
      throw new NotAllowedException(
          "LIBRARIAN_REQUIRED_TO_ACT_FOR_ANOTHER_MEMBER",
          "only a librarian may act for another member",
          Map.of("user_id", member.get().toString()));
    }
    return member.get();
  }

  /** Whether the caller acts for someone other than themselves on {@code member}'s behalf. */
  public boolean isActingForAnother(UUID member) {
    return !(isUser() && member.toString().equals(userId));
  }

  @Override
  public String toString() {
    return switch (kind) {
      case USER -> "user " + userId + " " + roles;
      case SERVICE -> "service";
      case ANONYMOUS -> "anonymous";
    };
  }
}
