package dev.library.bench.load;

import java.util.concurrent.CompletableFuture;

/**
 * One request of a workload, started without blocking. The future completes with
 * {@link Outcomes#OK} or the status that the call ended with (a gRPC code name, or
 * {@code HTTP <code>}); a failed future is classified by {@link Outcomes#of(Throwable)}.
 */
@FunctionalInterface
public interface Operation {
  /** Starts the next request of client number {@code client} (0-based, stable per client). */
  CompletableFuture<String> start(int client);
}
