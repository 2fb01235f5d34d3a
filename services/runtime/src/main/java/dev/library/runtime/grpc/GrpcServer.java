package dev.library.runtime.grpc;

import io.dropwizard.lifecycle.Managed;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server of one hosted module, tied to the Dropwizard lifecycle. Besides the module's
 * own services it serves {@code grpc.health.v1} and server reflection, which stay outside the
 * module's interceptors (no token needed to ask whether a service is up).
 */
public final class GrpcServer implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);

  /**
   * A {@code grpc.health.v1} service name that answers SERVING while the process runs, whatever
   * its database does: for liveness probes, so that a database outage makes the pods unready
   * (no traffic) without making the orchestrator restart them. It turns NOT_SERVING only when
   * the process stops.
   */
  public static final String LIVENESS = "liveness";

  private final String module;
  private final int requestedPort;
  private final List<ServerServiceDefinition> services;
  private final List<ServerInterceptor> interceptors;
  private final Duration gracePeriod;
  private final TransportSecurity security;
  private final Duration maxConnectionAge;
  private final HealthStatusManager health = new HealthStatusManager();
  private volatile Server server;
  private volatile boolean databaseReachable = true;
  private volatile boolean draining;

  public GrpcServer(
      String module,
      int port,
      List<ServerServiceDefinition> services,
      List<ServerInterceptor> interceptors,
      Duration gracePeriod) {
    this(module, port, services, interceptors, gracePeriod, TransportSecurity.plaintext(), Duration.ZERO);
  }

  public GrpcServer(
      String module,
      int port,
      List<ServerServiceDefinition> services,
      List<ServerInterceptor> interceptors,
      Duration gracePeriod,
      TransportSecurity security,
      Duration maxConnectionAge) {
    this.security = security;
    this.maxConnectionAge = maxConnectionAge;
    this.module = module;
    this.requestedPort = port;
    this.services = List.copyOf(services);
    this.interceptors = List.copyOf(interceptors);
    this.gracePeriod = gracePeriod;
  }

  @Override
  public void start() throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(requestedPort), security.serverCredentials())
            // Callers probe idle connections (ServiceChannels.KEEPALIVE_SECONDS); allow it.
            .permitKeepAliveTime(ServiceChannels.KEEPALIVE_SECONDS / 2, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true);
    if (!maxConnectionAge.isZero() && !maxConnectionAge.isNegative()) {
      // Clients reconnect, and resolve the service's name again, every so often: replicas added
      // behind a DNS name get their share of long-lived callers.
      builder
          .maxConnectionAge(maxConnectionAge.toMillis(), TimeUnit.MILLISECONDS)
          .maxConnectionAgeGrace(gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
    }
    // interceptForward runs the first interceptor of the list first (outermost); RequestParsing
    // wraps the intercepted service, so the interceptors still see typed messages.
    List<ServerServiceDefinition> definitions =
        services.stream()
            .map(service -> ServerInterceptors.interceptForward(service, interceptors))
            .map(RequestParsing::refusingMalformed)
            .toList();
    definitions.forEach(builder::addService);
    builder.addService(health.getHealthService());
    builder.addService(ProtoReflectionServiceV1.newInstance());
    server = builder.build().start();
    for (ServerServiceDefinition definition : definitions) {
      health.setStatus(definition.getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(LIVENESS, ServingStatus.SERVING);
    LOG.info(
        "{}: gRPC server listening on port {}{}",
        module,
        server.getPort(),
        security.serversUseTls() ? " (TLS)" : "");
  }

  /**
   * Stops taking new calls, lets the ones in flight finish within the grace period, then cuts
   * what is left.
   */
  @Override
  public synchronized void stop() throws InterruptedException {
    Server current = server;
    if (current == null) {
      return;
    }
    startDraining();
    current.shutdown();
    if (!current.awaitTermination(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warn("{}: calls still running after {}; cancelling them", module, gracePeriod);
      current.shutdownNow();
      current.awaitTermination(5, TimeUnit.SECONDS);
    }
    LOG.info("{}: gRPC server stopped", module);
  }

  /**
   * Reports NOT_SERVING for good: the process is stopping. Calls are still accepted until {@link
   * #stop}, so a balancer has the time to notice and send new calls elsewhere.
   */
  public synchronized void startDraining() {
    if (!draining) {
      draining = true;
      health.enterTerminalState();
    }
  }

  /**
   * Marks the module's services serving or not in {@code grpc.health.v1} (while its database is
   * unreachable, say), so balancers and probes send calls elsewhere. Ignored once stopping.
   */
  public synchronized void setServing(boolean serving) {
    databaseReachable = serving;
    if (server == null || server.isShutdown() || draining) {
      return;
    }
    ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    for (ServerServiceDefinition definition : services) {
      health.setStatus(definition.getServiceDescriptor().getName(), status);
    }
    health.setStatus("", status);
  }

  public String module() {
    return module;
  }

  /** The bound port (useful when 0 was configured). */
  public int port() {
    Server current = server;
    return current == null ? requestedPort : current.getPort();
  }

  /** Whether the server accepts calls (it may still report NOT_SERVING). */
  public boolean isRunning() {
    Server current = server;
    return current != null && !current.isShutdown();
  }

  /** Whether the module reports SERVING: running, not stopping, its database reachable. */
  public boolean isServing() {
    return isRunning() && !draining && databaseReachable;
  }

  public boolean isDraining() {
    return draining;
  }
}
