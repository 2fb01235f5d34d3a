package dev.library.runtime.grpc;

import dev.library.runtime.config.TlsConfig;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The credentials of the process's gRPC servers and of its channels to other services, from the
 * {@code tls} block. Files are read when a server or channel is built, so a missing or unreadable
 * certificate stops the start with the file's name rather than failing the first call.
 */
public final class TransportSecurity {
  private final TlsConfig config;

  public TransportSecurity(TlsConfig config) {
    this.config = config;
  }

  /** Plaintext everywhere: what a process without a {@code tls} block gets. */
  public static TransportSecurity plaintext() {
    return new TransportSecurity(new TlsConfig());
  }

  public ServerCredentials serverCredentials() {
    if (!config.serversUseTls()) {
      return InsecureServerCredentials.create();
    }
    try {
      return TlsServerCredentials.create(
          readable(config.getCertFile(), "tls.certFile"), readable(config.getKeyFile(), "tls.keyFile"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS certificate or key: " + e.getMessage(), e);
    }
  }

  public ChannelCredentials channelCredentials() {
    if (!config.channelsUseTls()) {
      return InsecureChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder()
          .trustManager(readable(config.getTrustFile(), "tls.trustFile"))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS trust file: " + e.getMessage(), e);
    }
  }

  public boolean serversUseTls() {
    return config.serversUseTls();
  }

  private static File readable(String path, String setting) {
    File file = new File(path);
    if (!file.canRead()) {
      throw new IllegalStateException(setting + " names " + path + ", which cannot be read");
    }
    return file;
  }
}
