package dev.library.book.outbox;

import dev.library.runtime.BackgroundThreads;
import dev.library.book.core.CategoryCatalog;
import dev.library.book.db.BookDao;
import dev.library.book.db.OutboxDao;
import dev.library.book.db.OutboxDao.Entry;
import dev.library.runtime.errors.DomainException;
import dev.library.runtime.grpc.FaultLog;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the category-link outbox to the Category service. A book change commits its outbox
 * entry with the change; the request then tries to deliver it at once ({@link #deliverNow}) and,
 * if the Category service is down, a background loop retries with backoff until it succeeds. The
 * call it repeats (UpdateItemCategories with the complete set) is idempotent, so a delivery that
 * succeeded but was not recorded, and is repeated, leaves no duplicate.
 *
 * <p>No database transaction is open while the Category service is called: an entry is claimed
 * (a lease, in one short statement), delivered, and its outcome recorded in another short
 * statement. A stalled Category service therefore holds no pooled connection and no book row.
 * While entries wait out a backoff the loop asks the Category service's health each pass, and
 * when it answers again every deferred entry is due at once: links follow within a pass of its
 * return, whatever the backoff had reached.
 */
public final class CategoryLinkRelay implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(CategoryLinkRelay.class);
  private static final int BATCH = 50;

  private final Jdbi jdbi;
  private final CategoryCatalog categories;
  private final Duration pollInterval;
  private final Duration maxBackoff;
  private final Duration lease;
  private final Clock clock;
  // A pass fails every poll interval while the book database is down: one line per burst.
  private final FaultLog passFailures = new FaultLog("category link relay");
  private ScheduledExecutorService loop;

  /**
   * @param lease how long a claimed entry is reserved for the relay delivering it; longer than
   *     the Category service's call timeout, so only a relay that died loses its claim
   */
  public CategoryLinkRelay(
      Jdbi jdbi,
      CategoryCatalog categories,
      Duration pollInterval,
      Duration maxBackoff,
      Duration lease,
      Clock clock) {
    this.jdbi = jdbi;
    this.categories = categories;
    this.pollInterval = pollInterval;
    this.maxBackoff = maxBackoff;
    this.lease = lease;
    this.clock = clock;
  }

  @Override
  public void start() {
    loop =
        BackgroundThreads.scheduler("category-link-relay");
    loop.scheduleWithFixedDelay(this::passQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    if (loop != null) {
      loop.shutdown();
      loop.awaitTermination(lease.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Delivers one entry right away, unless another relay holds it, it waits out a backoff, or an
   * older entry of the same book must go first. True when it was delivered.
   */
  public boolean deliverNow(long entryId) {
    Optional<Entry> claimed = jdbi.withHandle(h -> new OutboxDao(h).claim(entryId, lease));
    return claimed.isPresent() && attempt(claimed.get());
  }

  /** Delivers every due entry (oldest of each book first); returns how many went through. */
  public int deliverDue() {
    int delivered = 0;
    for (Entry entry : jdbi.withHandle(h -> new OutboxDao(h).claimDue(BATCH, lease))) {
      if (attempt(entry)) {
        delivered++;
      }
    }
    return delivered;
  }

  /** Entries not yet delivered. */
  public int pending() {
    return jdbi.withHandle(h -> new OutboxDao(h).pending());
  }

  /** How long the oldest undelivered entry has waited. */
  public Optional<Duration> oldestPendingAge() {
    return jdbi.withHandle(h -> new OutboxDao(h).oldestAge());
  }

  /** One pass of the loop: wake deferred entries if the Category service is back, deliver. */
  void pass() {
    boolean deferred = jdbi.withHandle(h -> new OutboxDao(h).anyDeferred());
    if (deferred && categories.isServing()) {
      int woken = jdbi.withHandle(h -> new OutboxDao(h).wakeDeferred());
      if (woken > 0) {
        LOG.info("category service is serving again: {} deferred link changes due now", woken);
      }
    }
    while (deliverDue() == BATCH) {
      // a full batch went through: there may be more due right now
    }
  }

  private void passQuietly() {
    try {
      pass();
    } catch (RuntimeException e) {
      passFailures.record("pass failed, retrying every " + pollInterval, e);
    }
  }

  private boolean attempt(Entry entry) {
    try {
      deliver(entry);
      jdbi.useHandle(h -> new OutboxDao(h).delete(entry.id()));
      if (entry.attempts() > 0) {
        LOG.info(
            "category links of book {} delivered after {} failed attempts",
            entry.bookId(),
            entry.attempts());
      }
      return true;
    } catch (DomainException e) {
      Duration backoff = backoff(entry.attempts());
      jdbi.useHandle(
          h ->
              new OutboxDao(h)
                  .reschedule(entry.id(), clock.instant().plus(backoff), e.reason()));
      if (entry.attempts() == 0) {
        LOG.warn(
            "category links of book {} not delivered ({}); retrying in the background",
            entry.bookId(),
            e.reason());
      }
      return false;
    }
  }

  /**
   * One delivery. The Category service refuses the whole set when an id in it names no category
   * (the ids could not be checked when the book was written because it was down, or the
   * category was deleted since): those ids are dropped from the book, logged, and the rest is
   * delivered.
   */
  private void deliver(Entry entry) {
    if (categories.link(entry.bookId(), entry.categoryIds())) {
      return;
    }
    Set<UUID> existing = categories.existing(entry.categoryIds());
    List<UUID> kept = new ArrayList<>(entry.categoryIds());
    kept.retainAll(existing);
    List<UUID> dropped = new ArrayList<>(entry.categoryIds());
    dropped.removeAll(existing);
    LOG.warn("book {}: categories {} no longer exist; dropped", entry.bookId(), dropped);
    jdbi.useHandle(h -> new BookDao(h).dropCategories(entry.bookId(), dropped));
    if (!categories.link(entry.bookId(), kept)) {
      throw new IllegalStateException("the category service refused existing categories " + kept);
    }
  }

  /** Doubling from half a second, capped: a long outage costs a call every maxBackoff. */
  Duration backoff(int attempts) {
    long millis = 500L << Math.min(attempts, 16);
    return millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
  }
}
