package dev.library.book.db;

import java.time.Instant;
import java.util.UUID;

/** One stored circulation event; {@code userId} null once anonymized, ids null when not concerned. */
public record EventRow(
    long id,
    EventType type,
    Instant occurredAt,
    UUID userId,
    UUID bookId,
    UUID loanId,
    UUID holdId,
    UUID actorId) {}
