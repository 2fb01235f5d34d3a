package dev.library.runtime.security;

import dev.library.runtime.errors.ApiErrors;
import io.grpc.Context;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who is making the current call: a signed-in user (id and roles from a verified access token),
 * another service (it presented the server key), or nobody (a public RPC). Set by {@link
 * AuthInterceptor}; service code asks {@link #current()}.
 */
public final class Caller {
  static final Context.Key<Caller> KEY = Context.key("library-caller");

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

  /** The caller of the current gRPC call; anonymous outside one. */
  public static Caller current() {
    Caller caller = KEY.get();
    return caller == null ? ANONYMOUS : caller;
  }

  public boolean isService() {
    return kind == Kind.SERVICE;
  }

  public boolean isUser() {
    return kind == Kind.USER;
  }

  public String userId() {
    return userId;
  }

  public Set<Role> roles() {
    return Collections.unmodifiableSet(roles);
  }

  public boolean hasAnyRole(Role... wanted) {
    return Arrays.stream(wanted).anyMatch(roles::contains);
  }

  /** A signed-in user holding one of the roles, else PERMISSION_DENIED. */
  public Caller requireRole(Role... anyOf) {
    if (!isUser()) {
      throw ApiErrors.unauthenticated("an access token is required");
    }
    if (!hasAnyRole(anyOf)) {
      throw ApiErrors.permissionDenied("requires role " + describe(anyOf));
    }
    return this;
  }

  /** Any signed-in user (every role), else UNAUTHENTICATED / PERMISSION_DENIED. */
  public Caller requireSignedIn() {
    return requireRole(Role.values());
  }

  /** Another service, or any signed-in user: for reads other services make too. */
  public Caller requireServiceOrSignedIn() {
    return isService() ? this : requireSignedIn();
  }

  /** Another service (server key), else PERMISSION_DENIED: for internal RPCs. */
  public Caller requireService() {
    if (!isService()) {
      throw ApiErrors.permissionDenied("this method is for service-to-service calls only");
    }
    return this;
  }

  /** Another service, or a user holding one of the roles. */
  public Caller requireServiceOrRole(Role... anyOf) {
    return isService() ? this : requireRole(anyOf);
  }

  private static String describe(Role... roles) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < roles.length; i++) {
      if (i > 0) {
        out.append(i == roles.length - 1 ? " or " : ", ");
      }
      out.append(roles[i].claim());
    }
    return out.toString();
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
