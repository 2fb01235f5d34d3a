package dev.library.runtime.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.library.runtime.db.RequestOutcomeDao;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.ProbeModule;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runtime hosting a module: migrations, a durable database, error translation, graceful
 * shutdown.
 */
class ModuleHostTest {

  @Test
  void migratesThenServesDurablyAndHidesDatabaseErrors() {
    try (LibrarySystem system = LibrarySystem.start("probe")) {
      ManagedChannel channel = system.channel("probe");
      // Read through the module's own pool: what every service transaction runs with.
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        assertThat(ClientCalls.blockingUnaryCall(channel, ProbeModule.SHOW, CallOptions.DEFAULT, setting))
            .as(setting)
            .isEqualTo("on");
      }
      assertThat(ClientCalls.blockingUnaryCall(channel, ProbeModule.ECHO, CallOptions.DEFAULT, "hi"))
          .isEqualTo("migrated hi");

      assertThatThrownBy(
              () ->
                  ClientCalls.blockingUnaryCall(
                      channel, ProbeModule.BROKEN_SQL, CallOptions.DEFAULT, "x"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
              });
    }
  }

  @Test
  void aRequestClaimSkipsTheFlushWaitForItselfOnly() throws Exception {
    try (LibrarySystem system = LibrarySystem.start("probe");
        java.sql.Connection connection = system.connect("probe");
        org.jdbi.v3.core.Handle handle = org.jdbi.v3.core.Jdbi.open(connection)) {
      RequestOutcomeDao outcomes = new RequestOutcomeDao(handle);
      RequestOutcomeDao.Key key =
          new RequestOutcomeDao.Key("member-1", "probe.Probe/Echo", java.util.UUID.randomUUID());
      assertThat(outcomes.claim(key, new byte[] {1}, java.time.Duration.ofSeconds(30))).isTrue();
      // The pooled connection goes on to run other requests' work: that must still wait for
      // the flush. A session-wide setting here would make every later commit on it lossy.
      assertThat(handle.createQuery("SHOW synchronous_commit").mapTo(String.class).one())
          .isEqualTo("on");
      assertThat(outcomes.find(key)).isPresent();
    }
  }

  @Test
  void aStopLetsTheCallInFlightFinishAndRefusesNewOnes() throws Exception {
    ProbeModule.slowStarted = new CountDownLatch(1);
    ProbeModule.slowRelease = new CountDownLatch(1);
    LibrarySystem system = LibrarySystem.start("probe");
    // Channels of our own: the harness closes its channels before stopping the process.
    ManagedChannel channel = plaintext(system.grpcPort("probe"));
    ManagedChannel second = plaintext(system.grpcPort("probe"));
    CompletableFuture<String> inFlight =
        CompletableFuture.supplyAsync(
            () ->
                ClientCalls.blockingUnaryCall(
                    channel, ProbeModule.SLOW, CallOptions.DEFAULT, "loan"));
    assertThat(ProbeModule.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(system::close);
    // While the server drains, a new call is refused...
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 1000 && !stopping.isDone(); i++) {
                ClientCalls.blockingUnaryCall(second, ProbeModule.ECHO, CallOptions.DEFAULT, "late");
              }
              throw new IllegalStateException("process stopped before refusing a call");
            })
        .isInstanceOf(StatusRuntimeException.class);
    // ...and the one in flight still completes once its work is done.
    ProbeModule.slowRelease.countDown();
    assertThat(inFlight.get(20, TimeUnit.SECONDS)).isEqualTo("finished loan");
    stopping.get(30, TimeUnit.SECONDS);
    channel.shutdownNow();
    second.shutdownNow();
  }

  private static ManagedChannel plaintext(int port) {
    return NettyChannelBuilder.forAddress("localhost", port).usePlaintext().build();
  }
}
