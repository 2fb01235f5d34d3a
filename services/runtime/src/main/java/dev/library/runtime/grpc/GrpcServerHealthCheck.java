package dev.library.runtime.grpc;

import com.codahale.metrics.health.HealthCheck;

/**
 * Dropwizard's view of a module's gRPC server: healthy while it reports SERVING, as {@code
 * grpc.health.v1} does (not while its database is unreachable, nor once the process is stopping).
 */
public final class GrpcServerHealthCheck extends HealthCheck {
  private final GrpcServer server;

  public GrpcServerHealthCheck(GrpcServer server) {
    this.server = server;
  }

  @Override
  protected Result check() {
    if (!server.isRunning()) {
      return Result.unhealthy("gRPC server of %s is not running", server.module());
    }
    if (server.isDraining()) {
      return Result.unhealthy("%s is stopping: NOT_SERVING", server.module());
    }
    if (!server.isServing()) {
      return Result.unhealthy("%s cannot reach its database: NOT_SERVING", server.module());
    }
    return Result.healthy("gRPC serving on port %d", server.port());
  }
}
