package dev.library.book.core;

import dev.library.book.db.BookDao;
import dev.library.book.db.EventDao;
import dev.library.book.db.EventType;
import dev.library.book.db.HoldDao;
import dev.library.book.db.HoldRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Where a copy goes when it becomes free: to the first WAITING hold of its book, else to the
 * shelf. Callers hold the book row's lock (every change of a book's holds and copy counts does),
 * so a copy is given once and in queue order.
 */
public final class HoldQueue {
  private final Duration pickupWindow;

  public HoldQueue(Duration pickupWindow) {
    this.pickupWindow = pickupWindow;
  }

  /**
   * Gives {@code freed} copies of a locked book to its queue, then the shelf; {@code fromHeld} of
   * them were kept for holds that just closed. Returns the holds made READY.
   */
  public List<HoldRow> release(Handle h, UUID bookId, int freed, int fromHeld, Instant now) {
    List<HoldRow> ready =
        freed > 0 ? new HoldDao(h).makeReady(bookId, freed, now, now.plus(pickupWindow)) : List.of();
    if (freed != 0 || fromHeld != 0) {
      new BookDao(h).moveCopies(bookId, freed - ready.size(), ready.size() - fromHeld);
    }
    EventDao events = new EventDao(h);
    for (HoldRow hold : ready) {
      events.record(EventType.HOLD_READY, now, hold.userId(), bookId, null, hold.id(), null);
    }
    return ready;
  }

  /**
   * Expires the locked book's READY holds whose pickup deadline has passed and passes their
   * copies on: what the sweep does, done also before a borrow decides, so a deadline holds
   * exactly whenever the sweep last ran.
   */
  public int expireDue(Handle h, UUID bookId, Instant now) {
    List<HoldRow> expired = new HoldDao(h).expireReady(bookId, now);
    EventDao events = new EventDao(h);
    for (HoldRow hold : expired) {
      events.record(EventType.HOLD_EXPIRED, now, hold.userId(), bookId, null, hold.id(), null);
    }
    if (!expired.isEmpty()) {
      release(h, bookId, expired.size(), expired.size(), now);
    }
    return expired.size();
  }
}
