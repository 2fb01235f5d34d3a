package dev.library.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code clients} requests started together, one per client, each waited for: how many ended
 * how, their latencies, and the time from the first start until the last answer (the drain).
 */
public final class Burst {
  private Burst() {}

  public record Result(Map<String, Long> outcomes, Histogram latencies, double drainMs) {
    public long count(String outcome) {
      return outcomes.getOrDefault(outcome, 0L);
    }
  }

  public static Result fire(int clients, Operation operation) {
    List<CompletableFuture<String>> calls = new ArrayList<>();
    Histogram latencies = LatencyHistogram.create();
    long start = System.nanoTime();
    AtomicLong lastAnswer = new AtomicLong(start);
    for (int i = 0; i < clients; i++) {
      long begin = System.nanoTime();
      CompletableFuture<String> call;
      try {
        call = operation.start(i);
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      calls.add(
          call.handle((status, failure) -> {
            long end = System.nanoTime();
            lastAnswer.accumulateAndGet(end, Math::max);
            long took = end - begin;
            synchronized (latencies) {
              LatencyHistogram.recordNanos(latencies, took);
            }
            return failure == null ? status : Outcomes.of(failure);
          }));
    }
    Map<String, Long> outcomes = new TreeMap<>();
    for (CompletableFuture<String> call : calls) {
      String outcome;
      try {
        outcome = call.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        outcome = "NO_ANSWER_IN_60S";
      }
      outcomes.merge(outcome, 1L, Long::sum);
    }
    double drainMs = (lastAnswer.get() - start) / 1e6;
    synchronized (latencies) {
      return new Result(outcomes, latencies.copy(), drainMs);
    }
  }
}
