package dev.library.gateway;

import dev.library.gateway.EnvoyConfig.Cluster;
import dev.library.runtime.grpc.AddressList;
import dev.library.runtime.grpc.ReconnectPacer;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gRPC channel per upstream cluster. These are not the runtime's service channels:
 * those add the server key to every call, and a call relayed for an outside caller must never
 * carry it.
 */
final class UpstreamChannels implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamChannels.class);

  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
  private final Function<String, String> addresses;
  private final Map<String, Cluster> clusters;
  private final ChannelCredentials credentials;
  private final ReconnectPacer pacer = new ReconnectPacer(ReconnectPacer.DEFAULT_INTERVAL);

  /**
   * @param addresses cluster name to the host:port this process reaches it at
   * @param clusters Envoy's clusters, for their connect timeouts
   * @param credentials plaintext, or TLS when the services' servers use it
   */
  UpstreamChannels(
      Function<String, String> addresses,
      Map<String, Cluster> clusters,
      ChannelCredentials credentials) {
    this.addresses = addresses;
    this.clusters = clusters;
    this.credentials = credentials;
  }

  synchronized ManagedChannel channel(String cluster) {
    return channels.computeIfAbsent(cluster, this::open);
  }

  private ManagedChannel open(String cluster) {
    String address = addresses.apply(cluster);
    Cluster envoyCluster = clusters.get(cluster);
    long connectTimeoutMillis =
        envoyCluster == null ? 5_000 : envoyCluster.connectTimeout().toMillis();
    LOG.info("cluster {} -> {}", cluster, address);
    // Paced like the services' own channels: a restarted service is reachable again at once.
    return pacer.pace(NettyChannelBuilder.forTarget(AddressList.target(address), credentials)
        // Envoy's connect_timeout: a blackholed host fails the call instead of hanging it.
        .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeoutMillis)
        // The upstreams are the same services Envoy balances round robin (STRICT_DNS).
        .defaultLoadBalancingPolicy("round_robin")
        .build());
  }

  @Override
  public synchronized void close() throws InterruptedException {
    pacer.close();
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
    channels.clear();
  }
}
