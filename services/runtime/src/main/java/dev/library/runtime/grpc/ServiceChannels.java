package dev.library.runtime.grpc;

import com.codahale.metrics.MetricRegistry;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.config.ServiceConfig;
import dev.library.runtime.security.ServerKey;
import io.dropwizard.lifecycle.Managed;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Channels to other services, one per service, made on first use and closed at shutdown. Calls
 * through them carry the server key, so they pass the callee's service-to-service check. Even in
 * one process, services talk over these real gRPC channels, never by calling each other's code.
 */
public final class ServiceChannels implements Managed {
  /** How often an idle connection is probed, so a peer that vanished is noticed. */
  public static final long KEEPALIVE_SECONDS = 20;

  private final LibraryConfiguration configuration;
  private final ServerKey serverKey;
  private final ToIntFunction<String> defaultPorts;
  private final DownstreamCallCounter counter;
  private final List<ClientInterceptor> observers;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, Downstream> downstreams = new ConcurrentHashMap<>();
  private final TransportSecurity security;
  private final ReconnectPacer pacer = new ReconnectPacer(ReconnectPacer.DEFAULT_INTERVAL);

  /** Channels whose calls are counted in a registry of their own (tools and tests). */
  public ServiceChannels(
      LibraryConfiguration configuration, ServerKey serverKey, ToIntFunction<String> defaultPorts) {
    this(configuration, serverKey, defaultPorts, new MetricRegistry(), List.of());
  }

  /**
   * @param observers interceptors every call goes through (the process's metrics and tracing)
   */
  public ServiceChannels(
      LibraryConfiguration configuration,
      ServerKey serverKey,
      ToIntFunction<String> defaultPorts,
      MetricRegistry metrics,
      List<ClientInterceptor> observers) {
    this.configuration = configuration;
    this.serverKey = serverKey;
    this.defaultPorts = defaultPorts;
    this.counter = new DownstreamCallCounter(metrics);
    this.security = new TransportSecurity(configuration.getTls());
    this.observers = List.copyOf(observers);
  }

  /**
   * How this process reaches other services: TLS when {@code tls.trustFile} is set. Also used by
   * the gateway's upstream channels, which lead to the same services.
   */
  public ChannelCredentials credentials() {
    return security.channelCredentials();
  }

  /** A channel to {@code service} whose calls carry the server key and are counted. */
  public Channel serviceChannel(String service) {
    List<ClientInterceptor> interceptors = new ArrayList<>(observers);
    interceptors.add(serverKey.clientInterceptor());
    interceptors.add(counter);
    return ClientInterceptors.intercept(rawChannel(service), interceptors);
  }

  /** The way to call {@code service}: its deadline and the meaning of its failures. */
  public Downstream downstream(String service) {
    return downstreams.computeIfAbsent(
        service,
        s -> new Downstream(s, rawChannel(s), configuration.service(s).getCallTimeout()));
  }

  /**
   * host:port of a service (or a comma list of them, one per instance): its configured address,
   * else localhost and its gRPC port.
   */
  public String address(String service) {
    ServiceConfig config = configuration.service(service);
    if (config.getAddress() != null && !config.getAddress().isBlank()) {
      return config.getAddress();
    }
    int port =
        config.getGrpcPort() != null && config.getGrpcPort() > 0
            ? config.getGrpcPort()
            : defaultPorts.applyAsInt(service);
    return "localhost:" + port;
  }

  private ManagedChannel rawChannel(String service) {
    return channels.computeIfAbsent(
        service,
        s ->
            // Paced: callers find a service that was down within a fraction of a second of its
            // return, not after grpc-java's reconnect backoff (up to two minutes).
            pacer.pace(
                NettyChannelBuilder.forTarget(AddressList.target(address(s)), credentials())
                    // Several instances of a service (an address list, or a DNS name with
                    // several addresses such as a headless Kubernetes Service) share the calls.
                    .defaultLoadBalancingPolicy("round_robin")
                    .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                    .keepAliveTimeout(5, TimeUnit.SECONDS)
                    .build()));
  }

  @Override
  public void stop() throws InterruptedException {
    pacer.close();
    for (ManagedChannel channel : channels.values()) {
      channel.shutdown();
    }
    for (ManagedChannel channel : channels.values()) {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
  }
}
