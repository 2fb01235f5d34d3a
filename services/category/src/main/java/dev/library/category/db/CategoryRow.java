package dev.library.category.db;

import java.time.Instant;
import java.util.UUID;

/** A stored category. {@code description} is empty when none was given. */
public record CategoryRow(
    UUID id, String name, String description, Instant createdAt, Instant updatedAt) {}
