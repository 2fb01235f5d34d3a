package dev.library.author.db;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A stored author. {@code birthDate} is null when unknown. */
public record AuthorRow(
    UUID id, String name, String biography, LocalDate birthDate, Instant createdAt, Instant updatedAt) {}
