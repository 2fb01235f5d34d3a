package dev.library.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: {@code concurrency} clients, each with exactly one request in flight, starting
 * its next request from the previous one's completion (no thread waits). Requests that start
 * during the warm-up, or end after the measured window, are not counted; throughput is the
 * successful requests of the window divided by its length. Being closed-loop, the latencies are
 * what a waiting client sees at that concurrency, with no coordinated-omission correction (there
 * is no intended request rate to correct against).
 */
public final class ClosedLoop {
  /** How long clients may take to finish their last request after the window ends. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(40);

  private final int concurrency;
  private final Duration warmUp;
  private final Duration measured;

  public ClosedLoop(int concurrency, Duration warmUp, Duration measured) {
    this.concurrency = concurrency;
    this.warmUp = warmUp;
    this.measured = measured;
  }

  public LoadResult run(Operation operation) {
    long start = System.nanoTime();
    long windowStart = start + warmUp.toNanos();
    long windowEnd = windowStart + measured.toNanos();
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Client client = new Client(i, operation, windowStart, windowEnd);
      clients.add(client);
      client.next();
    }
    Histogram latencies = LatencyHistogram.create();
    Map<String, Long> errors = new HashMap<>();
    for (Client client : clients) {
      try {
        client.finished.get(
            Math.max(0, windowEnd - System.nanoTime()) + DRAIN_LIMIT.toNanos(),
            TimeUnit.NANOSECONDS);
        // The client's last callback completed `finished`: its counts are safe to read.
        latencies.add(client.latencies);
        client.errors.forEach((status, n) -> errors.merge(status, n, Long::sum));
      } catch (TimeoutException e) {
        errors.merge("STUCK_AFTER_WINDOW", 1L, Long::sum);
      } catch (Exception e) {
        throw new IllegalStateException("load client failed", e);
      }
    }
    return LoadResult.of(latencies, measured.toNanos() / 1e9, errors);
  }

  /** One client. Its state is touched only by its own strictly sequential callbacks. */
  private static final class Client {
    private final int id;
    private final Operation operation;
    private final long windowStart;
    private final long windowEnd;
    private final Histogram latencies = LatencyHistogram.create();
    private final Map<String, Long> errors = new HashMap<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    Client(int id, Operation operation, long windowStart, long windowEnd) {
      this.id = id;
      this.operation = operation;
      this.windowStart = windowStart;
      this.windowEnd = windowEnd;
    }

    /**
     * Starts requests until one is still running, then returns; that request's callback calls
     * back in. Requests that complete at once (a refused call) loop here instead of recursing.
     */
    void next() {
      while (true) {
        long begin = System.nanoTime();
        if (begin >= windowEnd) {
          finished.complete(null);
          return;
        }
        CompletableFuture<String> call = startSafely();
        if (!call.isDone()) {
          call.whenComplete((status, failure) -> {
            record(begin, status, failure);
            next();
          });
          return;
        }
        String status = call.handle((s, f) -> f == null ? s : Outcomes.of(f)).join();
        record(begin, status, null);
      }
    }

    private CompletableFuture<String> startSafely() {
      try {
        return operation.start(id);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    private void record(long begin, String status, Throwable failure) {
      long end = System.nanoTime();
      if (begin < windowStart || end > windowEnd) {
        return;
      }
      String outcome = failure != null ? Outcomes.of(failure) : status;
      if (Outcomes.OK.equals(outcome)) {
        LatencyHistogram.recordNanos(latencies, end - begin);
      } else {
        errors.merge(outcome, 1L, Long::sum);
      }
    }
  }
}
