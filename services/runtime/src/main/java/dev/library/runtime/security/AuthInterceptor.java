package dev.library.runtime.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/**
 * Establishes the {@link Caller} of every call to a module's services. A {@code server-key}
 * header, when present, must match (constant-time) and makes the caller a service. Otherwise a
 * non-public method needs {@code authorization: Bearer <jwt>} that passes {@link
 * AccessTokenVerifier}. Role checks are left to the service code, which knows what each RPC
 * needs.
 */
public final class AuthInterceptor implements ServerInterceptor {
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "bearer ";

  private final AccessTokenVerifier verifier;
  private final ServerKey serverKey;
  private final Set<String> publicMethods;

  public AuthInterceptor(AccessTokenVerifier verifier, ServerKey serverKey, Set<String> publicMethods) {
    this.verifier = verifier;
    this.serverKey = serverKey;
    this.publicMethods = Set.copyOf(publicMethods);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Caller caller;
    try {
      caller = identify(call.getMethodDescriptor().getFullMethodName(), headers);
    } catch (StatusRuntimeException e) {
      call.close(e.getStatus(), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(Caller.KEY, caller);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private Caller identify(String method, Metadata headers) {
    String presentedKey = headers.get(ServerKey.HEADER);
    if (presentedKey != null) {
      if (!serverKey.matches(presentedKey)) {
        throw Status.UNAUTHENTICATED.withDescription("invalid server key").asRuntimeException();
      }
      return Caller.service();
    }
    if (publicMethods.contains(method)) {
      return Caller.anonymous();
    }
    String authorization = headers.get(AUTHORIZATION);
    if (authorization == null || authorization.isBlank()) {
      throw Status.UNAUTHENTICATED
          .withDescription("missing access token: send 'authorization: Bearer <token>'")
          .asRuntimeException();
    }
    if (authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw Status.UNAUTHENTICATED
          .withDescription("authorization must be 'Bearer <token>'")
          .asRuntimeException();
    }
    try {
      VerifiedToken token = verifier.verify(authorization.substring(BEARER.length()).trim());
      return Caller.user(token.userId(), token.roles());
    } catch (InvalidTokenException e) {
      throw Status.UNAUTHENTICATED.withDescription(e.getMessage()).asRuntimeException();
    }
  }
}
