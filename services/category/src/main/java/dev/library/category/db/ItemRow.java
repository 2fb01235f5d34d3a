package dev.library.category.db;

import java.util.UUID;

/** An item that has category links: its type (such as "book") and its id. */
public record ItemRow(String itemType, UUID itemId) {}
