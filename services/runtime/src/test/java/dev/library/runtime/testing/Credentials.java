package dev.library.runtime.testing;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Call credentials for tests: a bearer token or the server key, as real clients send them. */
public final class Credentials {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SERVER_KEY =
      Metadata.Key.of("server-key", Metadata.ASCII_STRING_MARSHALLER);

  private Credentials() {}

  public static CallCredentials bearer(String token) {
    return header(AUTHORIZATION, "Bearer " + token);
  }

  public static CallCredentials authorization(String rawHeader) {
    return header(AUTHORIZATION, rawHeader);
  }

  public static CallCredentials serverKey(String key) {
    return header(SERVER_KEY, key);
  }

  private static CallCredentials header(Metadata.Key<String> key, String value) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(key, value);
        applier.apply(headers);
      }
    };
  }
}
