package dev.library.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code (library.access)} option of one RPC, checked: exactly one kind of rule is set. Read
 * by the services' auth interceptor, the REST edge, the OpenAPI generator and the tests, so who
 * may call an RPC is written once, in the proto.
 */
public record AccessRule(Kind kind, Set<Role> roles, boolean servicesAllowed) {
  /** The kinds of rule, from the most open to the most closed. */
  public enum Kind {
    /** Anyone, without a token. */
    PUBLIC,
    /** Any signed-in user. */
    SIGNED_IN,
    /** A signed-in user holding one of {@link #roles()}. */
    ROLES,
    /** The library's own services only (server key); never over REST. */
    INTERNAL
  }

  public AccessRule {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  /**
   * The rule of {@code method}.
   *
   * @throws IllegalStateException when the RPC declares no rule, or more than one kind
   */
  public static AccessRule of(MethodDescriptor method) {
    if (!method.getOptions().hasExtension(AccessProto.access)) {
      throw new IllegalStateException(
          method.getFullName() + " declares no (library.access) option: every RPC must say who"
              + " may call it");
    }
    Access access = method.getOptions().getExtension(AccessProto.access);
    int kinds =
        (access.getPublic() ? 1 : 0)
            + (access.getSignedIn() ? 1 : 0)
            + (access.getRolesCount() > 0 ? 1 : 0)
            + (access.getInternal() ? 1 : 0);
    if (kinds != 1) {
      throw new IllegalStateException(
          method.getFullName()
              + ": (library.access) must set exactly one of public, signed_in, roles, internal");
    }
    if (access.getRolesList().contains(Role.ROLE_UNSPECIFIED)
        || access.getRolesList().contains(Role.UNRECOGNIZED)) {
      throw new IllegalStateException(method.getFullName() + ": (library.access) names no role");
    }
    if (access.getServices() && (access.getPublic() || access.getInternal())) {
      throw new IllegalStateException(
          method.getFullName() + ": (library.access) services goes with signed_in or roles only");
    }
    if (access.getPublic()) {
      return new AccessRule(Kind.PUBLIC, Set.of(), true);
    }
    if (access.getSignedIn()) {
      return new AccessRule(Kind.SIGNED_IN, Set.of(), access.getServices());
    }
    if (access.getInternal()) {
      return new AccessRule(Kind.INTERNAL, Set.of(), true);
    }
    return new AccessRule(
        Kind.ROLES, EnumSet.copyOf(access.getRolesList()), access.getServices());
  }

  /** Whether another service of the library (server key) passes. */
  public boolean admitsServices() {
    return servicesAllowed;
  }

  /** Whether a caller needs an access token (or the server key) at all. */
  public boolean needsCredentials() {
    return kind != Kind.PUBLIC;
  }

  /** Whether a signed-in user holding {@code held} passes. */
  public boolean admitsUser(Set<Role> held) {
    return switch (kind) {
      case PUBLIC, SIGNED_IN -> true;
      case ROLES -> held.stream().anyMatch(roles::contains);
      case INTERNAL -> false;
    };
  }
}
