package dev.library.book.outbox;

import dev.library.book.client.CategoryDirectory;
import dev.library.book.db.OutboxDao;
import dev.library.book.db.OutboxDao.Entry;
import io.dropwizard.lifecycle.Managed;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the category-link outbox to the Category service. A book change commits its outbox
 * entry with the change; the request then tries to deliver it at once ({@link #deliverNow}) and,
 * if the Category service is down, a background loop retries with backoff until it succeeds. The
 * call it repeats (UpdateItemCategories with the complete set) is idempotent, so a delivery that
 * succeeded but was not recorded, and is repeated, leaves no duplicate.
 */
public final class CategoryLinkRelay implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(CategoryLinkRelay.class);
  private static final long CALL_DEADLINE_MS = 3_000;
  private static final int BATCH = 50;

  private final Jdbi jdbi;
  private final CategoryDirectory categories;
  private final Duration pollInterval;
  private final Duration maxBackoff;
  private final Clock clock;
  private ScheduledExecutorService loop;

  public CategoryLinkRelay(
      Jdbi jdbi,
      CategoryDirectory categories,
      Duration pollInterval,
      Duration maxBackoff,
      Clock clock) {
    this.jdbi = jdbi;
    this.categories = categories;
    this.pollInterval = pollInterval;
    this.maxBackoff = maxBackoff;
    this.clock = clock;
  }

  @Override
  public void start() {
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "category-link-relay");
              thread.setDaemon(true);
              return thread;
            });
    loop.scheduleWithFixedDelay(
        this::deliverDueQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    if (loop != null) {
      loop.shutdown();
      loop.awaitTermination(CALL_DEADLINE_MS * 2, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Delivers one entry right away, unless another relay holds it or an older entry of the same
   * book must go first. True when it was delivered.
   */
  public boolean deliverNow(long entryId) {
    return jdbi.inTransaction(
        h -> {
          OutboxDao outbox = new OutboxDao(h);
          Optional<Entry> claimed = outbox.claim(entryId);
          if (claimed.isEmpty() || outbox.hasOlderPending(entryId, claimed.get().bookId())) {
            return false;
          }
          return attempt(h, claimed.get());
        });
  }

  /** Delivers every due entry (oldest of each book first); returns how many went through. */
  public int deliverDue() {
    return jdbi.inTransaction(
        h -> {
          int delivered = 0;
          for (Entry entry : new OutboxDao(h).claimDue(BATCH)) {
            if (attempt(h, entry)) {
              delivered++;
            }
          }
          return delivered;
        });
  }

  /** Entries not yet delivered. */
  public int pending() {
    return jdbi.withHandle(h -> new OutboxDao(h).pending());
  }

  private void deliverDueQuietly() {
    try {
      while (deliverDue() == BATCH) {
        // a full batch went through: there may be more due right now
      }
    } catch (RuntimeException e) {
      LOG.warn("category link relay pass failed; retrying in {}", pollInterval, e);
    }
  }

  private boolean attempt(Handle handle, Entry entry) {
    OutboxDao outbox = new OutboxDao(handle);
    try {
      deliver(handle, entry);
      outbox.delete(entry.id());
      if (entry.attempts() > 0) {
        LOG.info(
            "category links of book {} delivered after {} failed attempts",
            entry.bookId(),
            entry.attempts());
      }
      return true;
    } catch (StatusRuntimeException e) {
      Duration backoff = backoff(entry.attempts());
      String error = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
      outbox.reschedule(entry.id(), clock.instant().plus(backoff), error);
      if (entry.attempts() == 0) {
        LOG.warn(
            "category links of book {} not delivered ({}); retrying in the background",
            entry.bookId(),
            e.getStatus().getCode());
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
  private void deliver(Handle handle, Entry entry) {
    try {
      categories.setBookCategories(entry.bookId(), entry.categoryIds(), CALL_DEADLINE_MS);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT
          && e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
      Set<UUID> existing = categories.categories(entry.categoryIds()).keySet();
      List<UUID> kept = new ArrayList<>(entry.categoryIds());
      kept.retainAll(existing);
      List<UUID> dropped = new ArrayList<>(entry.categoryIds());
      dropped.removeAll(existing);
      LOG.warn("book {}: categories {} no longer exist; dropped", entry.bookId(), dropped);
      handle
          .createUpdate(
              "UPDATE books SET category_ids = ARRAY(SELECT c FROM unnest(category_ids) c "
                  + "WHERE NOT (c = ANY(:dropped))) WHERE id = :book")
          .bind("dropped", dropped.toArray(UUID[]::new))
          .bind("book", entry.bookId())
          .execute();
      categories.setBookCategories(entry.bookId(), kept, CALL_DEADLINE_MS);
    }
  }

  /** Doubling from half a second, capped: a long outage costs a call every maxBackoff. */
  private Duration backoff(int attempts) {
    long millis = 500L << Math.min(attempts, 16);
    return millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
  }
}
