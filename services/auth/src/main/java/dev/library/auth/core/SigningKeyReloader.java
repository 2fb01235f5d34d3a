package dev.library.auth.core;

import dev.library.runtime.BackgroundThreads;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Re-reads the key schedule now and then, so a rotation takes effect on every instance. */
public final class SigningKeyReloader implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeyReloader.class);

  private final SigningKeys keys;
  private final Duration interval;
  private ScheduledExecutorService executor;

  public SigningKeyReloader(SigningKeys keys, Duration interval) {
    this.keys = keys;
    this.interval = interval;
  }

  @Override
  public void start() {
    executor =
        BackgroundThreads.scheduler("signing-key-reloader");
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            keys.reload();
          } catch (Exception e) {
            // Keep signing with the keys in hand; the database may be back next time.
            LOG.warn("could not re-read the signing keys: {}", e.toString());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    if (executor != null) {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
