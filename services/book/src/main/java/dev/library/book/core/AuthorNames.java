package dev.library.book.core;

import dev.library.runtime.BackgroundThreads;
import dev.library.book.db.BookDao;
import io.dropwizard.lifecycle.Managed;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The author-name sort key of books. It is the name the Author service gave when the book was
 * last written; when a read of books sees a newer name it leaves a note here, and the notes are
 * written down in the background, so sorting by author follows renames without this service
 * reading the Author database and without a read ever writing.
 */
public final class AuthorNames implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorNames.class);
  /** Enough for every author on a large page, many times over; more notes wait for the next. */
  private static final int MAX_PENDING = 10_000;

  private final Jdbi jdbi;
  private final Map<UUID, String> pending = new ConcurrentHashMap<>();
  private ScheduledExecutorService loop;

  public AuthorNames(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The Author service now calls {@code authorId} {@code name}. */
  public void noteRenamed(UUID authorId, String name) {
    if (pending.size() < MAX_PENDING) {
      pending.put(authorId, name);
    }
  }

  /** Writes every noted name; returns how many books changed. */
  public int flush() {
    int changed = 0;
    for (UUID author : pending.keySet()) {
      String name = pending.remove(author);
      if (name == null) {
        continue;
      }
      try {
        changed += jdbi.withHandle(h -> new BookDao(h).refreshAuthorName(author, name));
      } catch (RuntimeException e) {
        pending.putIfAbsent(author, name);
        throw e;
      }
    }
    return changed;
  }

  @Override
  public void start() {
    loop =
        BackgroundThreads.scheduler("author-names");
    loop.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    if (loop != null) {
      loop.shutdown();
      loop.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("author names not refreshed now ({}); retrying later", e.getMessage());
    }
  }
}
