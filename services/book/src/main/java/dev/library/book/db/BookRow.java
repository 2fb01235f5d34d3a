package dev.library.book.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored book. */
public record BookRow(
    UUID id,
    String title,
    UUID authorId,
    String authorName,
    String isbn,
    int publicationYear,
    String publisher,
    String description,
    int totalCopies,
    int availableCopies,
    int heldCopies,
    List<UUID> categoryIds,
    Instant createdAt,
    Instant updatedAt) {}
