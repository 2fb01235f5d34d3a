package dev.library.runtime.security;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** The pre-shared key that marks a call as coming from another service of the library. */
public final class ServerKey {
  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("server-key", Metadata.ASCII_STRING_MARSHALLER);

  private final byte[] key;

  private ServerKey(String key) {
    this.key = key.getBytes(StandardCharsets.UTF_8);
  }

  /** The configured key, or a random one when none is configured (one-process deployments). */
  public static ServerKey of(String configured) {
    if (configured == null || configured.isBlank()) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      return new ServerKey(Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }
    return new ServerKey(configured);
  }

  /** Constant-time: how much of a wrong key matched must not show in the response time. */
  public boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds the key to every call made through the intercepted channel. */
  public ClientInterceptor clientInterceptor() {
    String value = new String(key, StandardCharsets.UTF_8);
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            headers.put(HEADER, value);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  /**
   * A key for another purpose (page tokens), derived so that it never equals the server key itself
   * and so that each purpose gets its own: HMAC-SHA256(server key, purpose).
   */
  public byte[] derive(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "ServerKey<hidden>";
  }
}
