package dev.library.runtime.grpc;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A service address may list several instances, {@code host1:port1,host2:port2}: a channel to it
 * balances calls over all of them (round robin). This is the {@code addresses:///} name resolver
 * such a list becomes; grpc-java resolves one host name (DNS), not a list. In Kubernetes the
 * list is not needed: a headless Service's DNS name resolves to every ready pod.
 */
public final class AddressList extends NameResolverProvider {
  static final String SCHEME = "addresses";
  private static final AddressList INSTANCE = new AddressList();

  static {
    NameResolverRegistry.getDefaultRegistry().register(INSTANCE);
  }

  /**
   * The channel target for a configured address: a comma list becomes an {@code addresses:///}
   * target; anything else (host:port, {@code dns:///...}) is used as it is.
   */
  public static String target(String address) {
    String trimmed = address.strip();
    if (!trimmed.contains(",")) {
      return trimmed;
    }
    return SCHEME + ":///" + trimmed.replace(" ", "");
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return Set.of(InetSocketAddress.class);
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) {
      return null;
    }
    String path = target.getPath() == null ? "" : target.getPath();
    List<String> hostPorts = new ArrayList<>();
    for (String part : path.replaceFirst("^/", "").split(",")) {
      if (!part.isBlank()) {
        hostPorts.add(part);
      }
    }
    if (hostPorts.isEmpty()) {
      throw new IllegalArgumentException("no address in " + target);
    }
    return new ListResolver(target.toString(), hostPorts);
  }

  /** Resolves each host:port of the list again at every refresh (their DNS may change). */
  private static final class ListResolver extends NameResolver {
    private final String authority;
    private final List<String> hostPorts;
    private Listener2 listener;

    ListResolver(String target, List<String> hostPorts) {
      this.authority = hostPorts.get(0);
      this.hostPorts = List.copyOf(hostPorts);
    }

    @Override
    public String getServiceAuthority() {
      // The first entry's host:port: what TLS host-name checks and :authority use.
      return authority;
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    private void resolve() {
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      for (String hostPort : hostPorts) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
          listener.onError(
              Status.INVALID_ARGUMENT.withDescription("not host:port: " + hostPort));
          return;
        }
        String host = hostPort.substring(0, colon).replaceAll("^\\[|]$", "");
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
          listener.onError(Status.UNAVAILABLE.withDescription("cannot resolve " + host));
          return;
        }
        groups.add(new EquivalentAddressGroup(address));
      }
      listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(
          io.grpc.StatusOr.fromValue(groups)).build());
    }

    @Override
    public void shutdown() {}
  }
}
