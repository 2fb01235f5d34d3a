package dev.library.book.db;

import java.time.Instant;
import java.util.UUID;

/** A stored loan; {@code returnedAt} null while active. {@code bookTitle} joined for display;
 * {@code renewalsUsed} counts RenewLoan calls. */
public record LoanRow(
    UUID id,
    UUID bookId,
    UUID userId,
    Instant borrowedAt,
    Instant dueAt,
    Instant returnedAt,
    String bookTitle,
    int renewalsUsed) {}
