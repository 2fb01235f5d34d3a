package dev.library.runtime.security;

import dev.library.api.AccessRule;
import dev.library.runtime.errors.DomainException;
import dev.library.runtime.errors.NotAllowedException;
import dev.library.runtime.errors.UnauthenticatedException;
import dev.library.runtime.grpc.CallerContext;
import dev.library.runtime.grpc.StatusMapping;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Establishes the {@link Caller} of every call and enforces the RPC's {@code (library.access)}
 * option, read from the proto descriptors of the services it guards. A {@code server-key} header,
 * when present, must match (constant-time) and makes the caller a service, which may call only
 * the RPCs whose rule admits services. Otherwise a non-public method needs {@code authorization: Bearer <jwt>} that passes
 * {@link AccessTokenVerifier}, and the token's roles must satisfy the rule.
 */
public final class AuthInterceptor implements ServerInterceptor {
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "bearer ";

  private final AccessTokenVerifier verifier;
  private final ServerKey serverKey;
  private final Map<String, AccessRule> rules;

  private AuthInterceptor(
      AccessTokenVerifier verifier, ServerKey serverKey, Map<String, AccessRule> rules) {
    this.verifier = verifier;
    this.serverKey = serverKey;
    this.rules = Map.copyOf(rules);
  }

  /**
   * Guards {@code services}; every method must carry its access option in its proto descriptor.
   *
   * @throws IllegalStateException naming a method without one (a startup error)
   */
  public static AuthInterceptor guarding(
      AccessTokenVerifier verifier, ServerKey serverKey, Collection<ServerServiceDefinition> services) {
    Map<String, AccessRule> rules = new HashMap<>();
    for (ServerServiceDefinition service : services) {
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        rules.put(
            method.getMethodDescriptor().getFullMethodName(), ruleOf(method.getMethodDescriptor()));
      }
    }
    return new AuthInterceptor(verifier, serverKey, rules);
  }

  /** The access rule of a gRPC method, from the proto descriptor it was generated from. */
  public static AccessRule ruleOf(io.grpc.MethodDescriptor<?, ?> method) {
    if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier proto) {
      return AccessRule.of(proto.getMethodDescriptor());
    }
    throw new IllegalStateException(
        method.getFullMethodName() + " has no proto descriptor to read its access rule from");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Caller caller;
    try {
      AccessRule rule = rules.get(call.getMethodDescriptor().getFullMethodName());
      if (rule == null) {
        throw new NotAllowedException("UNGUARDED_METHOD", "this method is not served here");
      }
      caller = admit(rule, headers);
    } catch (DomainException e) {
      StatusRuntimeException status = StatusMapping.toStatus(e);
      call.close(status.getStatus(), status.getTrailers());
      return new ServerCall.Listener<>() {};
    } catch (StatusRuntimeException e) {
      // The keys could not be fetched: UNAVAILABLE, not the caller's fault.
      call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(CallerContext.with(caller), call, headers, next);
  }

  private Caller admit(AccessRule rule, Metadata headers) {
    String presentedKey = headers.get(ServerKey.HEADER);
    if (presentedKey != null) {
      if (!serverKey.matches(presentedKey)) {
        throw new UnauthenticatedException("INVALID_SERVER_KEY", "invalid server key");
      }
      if (!rule.admitsServices()) {
        // The key proves a service, not a user with roles.
        throw new UnauthenticatedException(
            "USER_TOKEN_REQUIRED", "a user's access token is required");
      }
      return Caller.service();
    }
    if (!rule.needsCredentials()) {
      return Caller.anonymous();
    }
    if (rule.kind() == AccessRule.Kind.INTERNAL) {
      throw new NotAllowedException(
          "INTERNAL_METHOD", "this method is for service-to-service calls only");
    }
    Caller user = user(headers);
    if (!rule.admitsUser(user.roles().stream().map(AuthInterceptor::toProto).collect(Collectors.toSet()))) {
      throw new NotAllowedException(
          "ROLE_REQUIRED",
          "requires role " + describe(rule.roles()),
          Map.of("roles", rule.roles().stream().map(r -> Role.of(r).claim()).sorted().collect(Collectors.joining(","))));
    }
    return user;
  }

  private Caller user(Metadata headers) {
    String authorization = headers.get(AUTHORIZATION);
    if (authorization == null || authorization.isBlank()) {
      throw new UnauthenticatedException(
          "MISSING_TOKEN", "missing access token: send 'authorization: Bearer <token>'");
    }
    if (authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new UnauthenticatedException(
          "MALFORMED_AUTHORIZATION", "authorization must be 'Bearer <token>'");
    }
    try {
      VerifiedToken token = verifier.verify(authorization.substring(BEARER.length()).trim());
      return Caller.user(token.userId(), token.roles());
    } catch (InvalidTokenException e) {
      throw new UnauthenticatedException(e.reason(), e.getMessage());
    }
  }

  private static dev.library.api.Role toProto(Role role) {
    return dev.library.api.Role.valueOf("ROLE_" + role.name());
  }

  private static String describe(Set<dev.library.api.Role> roles) {
    return roles.stream()
        .map(r -> Role.of(r).claim())
        .sorted()
        .collect(Collectors.joining(" or "));
  }
}
