package dev.library.gateway;

import dev.library.runtime.grpc.ClientAddress;
import dev.library.runtime.security.ServerKey;
import io.grpc.Metadata;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which incoming request headers reach the upstream service as gRPC metadata: every end-to-end
 * header, as Envoy passes them, except the ones Envoy's virtual host removes. The server key is
 * removed whatever that file says: a caller outside the library must never present it.
 */
final class HeaderForwarding {
  /** Headers that describe this hop or that grpc-java sets itself for the next one. */
  private static final Set<String> HOP_HEADERS =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "upgrade",
          "te",
          "host",
          "expect",
          "content-length",
          "content-type",
          "content-encoding",
          "accept-encoding",
          "user-agent",
          "grpc-timeout",
          "grpc-encoding",
          "grpc-accept-encoding",
          "grpc-status",
          "grpc-message",
          "grpc-status-details-bin");

  private final Set<String> removed;

  /**
   * @param tracing whether the gateway traces calls itself: then its own span's trace context
   *     goes upstream instead of the caller's (which the gateway's span continues)
   */
  HeaderForwarding(Set<String> headersToRemove, boolean tracing) {
    Set<String> names = new HashSet<>();
    headersToRemove.forEach(h -> names.add(h.toLowerCase(Locale.ROOT)));
    names.add(ServerKey.HEADER.name());
    if (tracing) {
      names.add("traceparent");
      names.add("tracestate");
    }
    this.removed = Set.copyOf(names);
  }

  /** The metadata to send upstream for a call that arrived with {@code incoming}. */
  Metadata outgoing(Metadata incoming) {
    Metadata outgoing = new Metadata();
    for (String name : incoming.keys()) {
      if (!forwards(name)) {
        continue;
      }
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        Metadata.Key<byte[]> key = Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
        for (byte[] value : incoming.getAll(key)) {
          outgoing.put(key, value);
        }
      } else {
        Metadata.Key<String> key = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
        for (String value : incoming.getAll(key)) {
          outgoing.put(key, value);
        }
      }
    }
    return outgoing;
  }

  /**
   * Appends the client's address to {@code x-forwarded-for}, as Envoy does with
   * use_remote_address: the services take the last entry as the client when the call comes from
   * a trusted proxy. Entries the client sent stay before it, and prove nothing.
   */
  void appendForwardedFor(Metadata outgoing, java.net.InetAddress client) {
    if (client == null) {
      return;
    }
    Metadata.Key<String> key = ClientAddress.FORWARDED_FOR;
    Iterable<String> sent = outgoing.getAll(key);
    String joined = sent == null ? "" : String.join(", ", sent);
    outgoing.removeAll(key);
    String address = client.getHostAddress();
    outgoing.put(key, joined.isEmpty() ? address : joined + ", " + address);
  }

  boolean forwards(String name) {
    return !name.startsWith(":") && !HOP_HEADERS.contains(name) && !removed.contains(name);
  }
}
