package dev.library.book.db;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored hold. {@code queuePosition} is computed when read: 1-based place among the book's
 * WAITING holds, 0 otherwise. {@code bookTitle} joined for display.
 */
public record HoldRow(
    UUID id,
    UUID bookId,
    UUID userId,
    HoldStatus status,
    Instant placedAt,
    Instant readyAt,
    Instant pickupDeadline,
    Instant closedAt,
    int queuePosition,
    String bookTitle) {

  public boolean isOpen() {
    return status == HoldStatus.WAITING || status == HoldStatus.READY;
  }
}
