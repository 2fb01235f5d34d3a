package dev.library.runtime.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The address of the client a call comes from, for login throttling and the audit trail: the
 * connection's peer, or, when the peer is a configured trusted proxy (Envoy, the gateway), the
 * last entry of {@code x-forwarded-for}, which that proxy appended. Entries before it were sent
 * by the client and prove nothing, and a peer that is not a trusted proxy cannot set the address
 * at all.
 */
public final class ClientAddress implements ServerInterceptor {
  public static final Metadata.Key<String> FORWARDED_FOR =
      Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> KEY = Context.key("library-client-address");

  /** How long a proxy's host name stays resolved (compose restarts containers on new IPs). */
  private static final long NAME_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

  private final Set<String> trustedProxies;
  private final Set<String> trustedNames;
  private volatile Set<String> resolvedNames = Set.of();
  private volatile long resolvedAt;

  /**
   * @param trustedProxies comma-separated IP addresses, or host names (such as compose's
   *     {@code envoy}), resolved when first needed and every 30 s after
   */
  public ClientAddress(String trustedProxies) {
    Set<String> entries =
        Arrays.stream(trustedProxies.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    this.trustedProxies =
        entries.stream()
            .filter(ClientAddress::isLiteral)
            .map(ClientAddress::normalize)
            .collect(Collectors.toUnmodifiableSet());
    this.trustedNames =
        entries.stream().filter(e -> !isLiteral(e)).collect(Collectors.toUnmodifiableSet());
  }

  /** The current call's client address; "" outside a call. */
  public static String current() {
    String address = KEY.get();
    return address == null ? "" : address;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String address = resolve(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), headers);
    return Contexts.interceptCall(Context.current().withValue(KEY, address), call, headers, next);
  }

  /** The client address of a call from {@code remote} with {@code headers}. */
  public String resolve(SocketAddress remote, Metadata headers) {
    String peer = peer(remote);
    if (!trustedProxies.contains(peer) && !namedProxies().contains(peer)) {
      return peer;
    }
    Iterable<String> forwarded = headers.getAll(FORWARDED_FOR);
    String last = null;
    if (forwarded != null) {
      for (String header : forwarded) {
        for (String entry : header.split(",")) {
          if (!entry.isBlank()) {
            last = entry.trim();
          }
        }
      }
    }
    return last == null ? peer : normalize(last);
  }

  private Set<String> namedProxies() {
    if (trustedNames.isEmpty()) {
      return Set.of();
    }
    long now = System.nanoTime();
    if (resolvedAt == 0 || now - resolvedAt > NAME_TTL_NANOS) {
      Set<String> addresses = new java.util.HashSet<>();
      for (String name : trustedNames) {
        try {
          for (InetAddress address : InetAddress.getAllByName(name)) {
            addresses.add(address.getHostAddress());
          }
        } catch (java.net.UnknownHostException e) {
          // Not up yet (compose starts the proxy after the services): trusted once it resolves.
        }
      }
      resolvedNames = Set.copyOf(addresses);
      resolvedAt = now;
    }
    return resolvedNames;
  }

  private static boolean isLiteral(String entry) {
    String bare = entry.startsWith("[") && entry.endsWith("]")
        ? entry.substring(1, entry.length() - 1)
        : entry;
    return bare.matches("[0-9a-fA-F:.]+") && (bare.contains(":") || bare.matches("[0-9.]+"));
  }

  private static String peer(SocketAddress remote) {
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return normalize(inet.getAddress().getHostAddress());
    }
    return remote == null ? "" : remote.toString();
  }

  /** One spelling per address ("::1" and "0:0:0:0:0:0:0:1" alike); non-IP text as given. */
  private static String normalize(String address) {
    String bare = address.startsWith("[") && address.endsWith("]")
        ? address.substring(1, address.length() - 1)
        : address;
    if (!bare.matches("[0-9a-fA-F:.]+")) {
      // Only literal IPs: never a host name lookup.
      return bare.length() > 64 ? bare.substring(0, 64) : bare;
    }
    try {
      return InetAddress.getByName(bare).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return bare;
    }
  }
}
