package dev.library.book.sweep;

import dev.library.runtime.BackgroundThreads;
import dev.library.book.core.HoldQueue;
import dev.library.book.db.BookDao;
import dev.library.book.db.EventDao;
import dev.library.book.db.HoldDao;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background work of circulation, every {@code sweepInterval}: READY holds past their pickup
 * deadline expire and their copies pass to the next in line (or the shelf), and circulation events
 * older than the history retention are anonymized.
 *
 * <p>Safe with any number of book replicas sweeping the same database: a book's expiry runs under
 * its row lock taken with SKIP LOCKED (a replica skips a book another replica, or a borrow, holds,
 * and the expiry's own UPDATE only matches holds still READY and due, so nothing is expired or
 * passed on twice); anonymization claims disjoint batches with SKIP LOCKED.
 */
public final class CirculationSweep implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(CirculationSweep.class);
  private static final int BATCH = 100;
  private static final int ANONYMIZE_BATCH = 1000;

  private final Jdbi jdbi;
  private final HoldQueue queue;
  private final Duration interval;
  private final Duration retention;
  private final Clock clock;
  private ScheduledExecutorService loop;

  public CirculationSweep(Jdbi jdbi, HoldQueue queue, Duration interval, Duration retention, Clock clock) {
    this.jdbi = jdbi;
    this.queue = queue;
    this.interval = interval;
    this.retention = retention;
    this.clock = clock;
  }

  @Override
  public void start() {
    loop =
        BackgroundThreads.scheduler("circulation-sweep");
    loop.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    if (loop != null) {
      loop.shutdown();
      loop.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** One round; returns how many holds expired (the tests drive it too). */
  public int sweep() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    int expired = 0;
    List<UUID> books = jdbi.withHandle(h -> new HoldDao(h).booksWithExpiredReady(now, BATCH));
    for (UUID book : books) {
      expired +=
          jdbi.inTransaction(h -> new BookDao(h).lockIfFree(book) ? queue.expireDue(h, book, now) : 0);
    }
    Instant cutoff = now.minus(retention);
    int anonymized;
    do {
      anonymized = jdbi.withHandle(h -> new EventDao(h).anonymizeBefore(cutoff, ANONYMIZE_BATCH));
    } while (anonymized == ANONYMIZE_BATCH);
    return expired;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // The next round retries; a database outage must not end the loop.
      LOG.warn("circulation sweep failed: {}", e.toString());
    }
  }
}
