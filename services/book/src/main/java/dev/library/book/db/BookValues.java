package dev.library.book.db;

import java.util.List;
import java.util.UUID;

/** The columns a catalog write sets, as the core checked them. */
public record BookValues(
    String title,
    UUID authorId,
    String authorName,
    String isbn,
    int publicationYear,
    String publisher,
    String description,
    int totalCopies,
    List<UUID> categoryIds) {}
