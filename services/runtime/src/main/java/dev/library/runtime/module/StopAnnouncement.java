package dev.library.runtime.module;

import dev.library.runtime.grpc.GrpcServer;
import io.dropwizard.lifecycle.Managed;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of a stop: every hosted service reports NOT_SERVING in {@code grpc.health.v1}
 * and on {@code /healthcheck}, before the REST gateway and the gRPC servers stop accepting calls
 * (which Dropwizard does next, in reverse order of registration: gateway, then each server
 * draining its calls in flight, then the modules' own objects and pools, then PostgreSQL).
 */
final class StopAnnouncement implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(StopAnnouncement.class);

  private final List<GrpcServer> servers;

  StopAnnouncement(List<GrpcServer> servers) {
    this.servers = servers;
  }

  @Override
  public void stop() {
    LOG.info("stopping: every service reports NOT_SERVING; calls in flight may finish");
    servers.forEach(GrpcServer::startDraining);
  }
}
