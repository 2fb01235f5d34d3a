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

  private final Set<String> trustedProxies;

  /** @param trustedProxies comma-separated IP addresses */
  public ClientAddress(String trustedProxies) {
    this.trustedProxies =
        Arrays.stream(trustedProxies.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(ClientAddress::normalize)
            .collect(Collectors.toUnmodifiableSet());
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
    if (!trustedProxies.contains(peer)) {
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
