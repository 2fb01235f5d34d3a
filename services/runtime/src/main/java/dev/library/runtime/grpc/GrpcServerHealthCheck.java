package dev.library.runtime.grpc;

import com.codahale.metrics.health.HealthCheck;

/** Dropwizard's view of a module's gRPC server: healthy while it accepts calls. */
public final class GrpcServerHealthCheck extends HealthCheck {
  private final GrpcServer server;

  public GrpcServerHealthCheck(GrpcServer server) {
    this.server = server;
  }

  @Override
  protected Result check() {
    return server.isServing()
        ? Result.healthy("gRPC serving on port %d", server.port())
        : Result.unhealthy("gRPC server of %s is not running", server.module());
  }
}
