package dev.library.bench.report;

import dev.library.bench.load.LoadResult;

/** One measured row: what ran ({@code variant}), with how many clients, and what it saw. */
public record Measurement(String variant, int concurrency, LoadResult result) {}
