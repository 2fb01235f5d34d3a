package dev.library.runtime.security;

import dev.library.runtime.BackgroundThreads;
import com.google.protobuf.Timestamp;
import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.ListRevocationsRequest;
import dev.library.auth.v1.ListRevocationsResponse;
import dev.library.auth.v1.Revocation;
import dev.library.runtime.grpc.Downstream;
import dev.library.runtime.grpc.FaultLog;
import dev.library.runtime.grpc.ServiceChannels;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link RevokedTokens} fresh: asks the auth service's ListRevocations every {@code
 * interval} (through {@link Downstream}, with its deadline) for the revocations since the last
 * answer, less an overlap for revocations whose transactions were still committing. A revocation
 * thus reaches this process within one interval plus one call. While the auth service is down
 * the last known revocations keep applying, and the next answer catches up from where it left.
 */
public final class RevocationPoller implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationPoller.class);
  /** Longer than any revocation transaction takes to commit after stamping its time. */
  static final Duration OVERLAP = Duration.ofSeconds(10);

  private final RevokedTokens revoked;
  private final Downstream downstream;
  private final AuthServiceGrpc.AuthServiceBlockingStub auth;
  private final Duration interval;
  private final FaultLog faults = new FaultLog("revocation polls of the auth service");
  private ScheduledExecutorService executor;
  private Timestamp since = Timestamp.getDefaultInstance();

  public RevocationPoller(RevokedTokens revoked, ServiceChannels channels, Duration interval) {
    this.revoked = revoked;
    this.downstream = channels.downstream("auth");
    this.auth = AuthServiceGrpc.newBlockingStub(channels.serviceChannel("auth"));
    this.interval = interval;
  }

  @Override
  public void start() {
    executor =
        BackgroundThreads.scheduler("revocation-poller");
    executor.scheduleWithFixedDelay(
        this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    if (executor != null) {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** One poll; true when the auth service answered. */
  boolean poll() {
    ListRevocationsResponse answer =
        downstream.call(
            auth, stub -> stub.listRevocations(ListRevocationsRequest.newBuilder().setSince(since).build()));
    for (Revocation revocation : answer.getRevocationsList()) {
      revoked.revokeBelow(revocation.getUserId(), revocation.getGeneration());
    }
    Timestamp asOf = answer.getAsOf();
    since =
        Timestamp.newBuilder()
            .setSeconds(Math.max(0, asOf.getSeconds() - OVERLAP.toSeconds()))
            .setNanos(asOf.getNanos())
            .build();
    return true;
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      // Down or slow auth service: keep what is known, try again next interval.
      faults.record("poll failed", e);
      LOG.debug("revocation poll failed", e);
    }
  }
}
