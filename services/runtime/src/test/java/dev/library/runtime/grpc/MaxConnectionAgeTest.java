package dev.library.runtime.grpc;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * grpcMaxConnectionAge: the server closes a client's connection (GOAWAY) once it is that old, so
 * the client reconnects, resolving the service's name again and finding replicas added since.
 */
class MaxConnectionAgeTest {
  @Test
  void anOldConnectionIsClosedAndTheClientReconnects() throws Exception {
    GrpcServer server =
        new GrpcServer(
            "probe",
            0,
            List.of(),
            List.of(),
            Duration.ofSeconds(1),
            TransportSecurity.plaintext(),
            Duration.ofSeconds(1));
    server.start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("localhost", server.port()).usePlaintext().build();
    try {
      assertThat(health(channel)).isEqualTo(ServingStatus.SERVING);

      // The channel's own idle timeout is 30 minutes: only the server's GOAWAY makes it idle.
      await().atMost(Duration.ofSeconds(60))
          .alias("the server's GOAWAY to idle the channel")
          .until(() -> channel.getState(false), ConnectivityState.IDLE::equals);
      assertThat(health(channel)).isEqualTo(ServingStatus.SERVING);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.stop();
    }
  }

  private static ServingStatus health(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }
}
