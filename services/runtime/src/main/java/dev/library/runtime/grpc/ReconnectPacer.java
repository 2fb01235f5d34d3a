package dev.library.runtime.grpc;

import dev.library.runtime.BackgroundThreads;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps channels to a service that is down trying to reconnect at a steady pace. After a failed
 * connection attempt grpc-java waits out an exponential backoff (1 s growing to 2 minutes) before
 * the next, and meanwhile fails every call at once: a service that comes back after a minute's
 * outage would stay unreachable for up to another minute. While a channel is in
 * TRANSIENT_FAILURE this resets its backoff every {@code interval}, so callers see the service
 * within about that interval of its return. A connection attempt to a service that is down costs
 * a refused TCP connect.
 */
public final class ReconnectPacer implements AutoCloseable {
  /** How long after a service's return its callers may still find it unreachable. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);

  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;

  public ReconnectPacer(Duration interval) {
    timer =
        BackgroundThreads.scheduler("grpc-reconnect-pacer");
    timer.scheduleWithFixedDelay(
        this::nudge, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Paces {@code channel} from now on; returns it. */
  public ManagedChannel pace(ManagedChannel channel) {
    channels.add(channel);
    return channel;
  }

  private void nudge() {
    for (ManagedChannel channel : channels) {
      if (channel.isShutdown()) {
        channels.remove(channel);
      } else if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
        channel.resetConnectBackoff();
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    channels.clear();
  }
}
