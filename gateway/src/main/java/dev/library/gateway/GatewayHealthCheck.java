package dev.library.gateway;

import com.codahale.metrics.health.HealthCheck;

/** Healthy while the gateway's HTTP server is serving. */
final class GatewayHealthCheck extends HealthCheck {
  private final GatewayServer server;

  GatewayHealthCheck(GatewayServer server) {
    this.server = server;
  }

  @Override
  protected Result check() {
    return server.isRunning()
        ? Result.healthy("serving on port %d", server.port())
        : Result.unhealthy("not serving");
  }
}
