package dev.library.runtime.api;

import java.util.List;

/** A row of a list and its position in the list's order (for the next page's token). */
public record Keyed<T>(T row, List<String> position) {}
