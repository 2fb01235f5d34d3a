package dev.library.server;


import static org.awaitility.Awaitility.await;
import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Rest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Members borrowing and returning books over REST, one thread each, as fast as answers come,
 * keeping what the server acknowledged: a loan whose borrow was answered 200 must exist, and a
 * loan whose return was answered 200 must be returned, whatever happens to the server after.
 *
 * <p>Every call is recorded (when it was sent, when it was answered, with what), so tests can
 * ask what calls in flight at a given moment got. A borrow whose answer was lost may have
 * committed; the member then moves on to the next book (a loan the client does not know of is
 * allowed, one it was told of and is missing is not).
 */
final class BorrowReturnLoad implements AutoCloseable {
  /** One request and its outcome: the HTTP status, or 0 when no answer came (connection). */
  record Call(String operation, long sentNanos, long answeredNanos, int status, String body) {
    Duration latency() {
      return Duration.ofNanos(answeredNanos - sentNanos);
    }
  }

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Rest rest;
  private final List<TestAccounts.User> members;
  private final List<String> books;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> acknowledgedBorrows = ConcurrentHashMap.newKeySet();
  private final Set<String> acknowledgedReturns = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final LongAdder ok = new LongAdder();

  private BorrowReturnLoad(Rest rest, List<TestAccounts.User> members, List<String> books) {
    this.rest = rest;
    this.members = members;
    this.books = books;
  }

  /** Starts one borrowing thread per member, each cycling through {@code books}. */
  static BorrowReturnLoad start(Rest rest, List<TestAccounts.User> members, List<String> books) {
    BorrowReturnLoad load = new BorrowReturnLoad(rest, members, books);
    for (int i = 0; i < members.size(); i++) {
      int index = i;
      Thread thread = new Thread(() -> load.run(index), "borrower-" + i);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void run(int index) {
    TestAccounts.User member = members.get(index);
    int next = index;
    while (running.get()) {
      String book = books.get(next++ % books.size());
      Call borrow = send("borrow", "/api/v1/books/" + book + "/borrow", member, "{}");
      if (borrow.status() != 200) {
        pauseAfterFailure(borrow);
        continue;
      }
      String loan = json(borrow.body()).path("transactionId").asText();
      acknowledgedBorrows.add(loan);
      // The copy goes back before the member borrows again, however long that takes.
      while (running.get()) {
        Call giveBack =
            send("return", "/api/v1/books/" + book + "/return", member,
                "{\"transactionId\":\"" + loan + "\"}");
        if (giveBack.status() == 200) {
          acknowledgedReturns.add(loan);
          break;
        }
        if (giveBack.status() == 400) {
          // Returned already: an earlier attempt committed but its answer was lost.
          break;
        }
        pauseAfterFailure(giveBack);
      }
    }
  }

  private Call send(String operation, String path, TestAccounts.User member, String body) {
    long sent = System.nanoTime();
    Call call;
    try {
      Rest.Reply reply =
          rest.post(path).bearer(member.token()).body(body).timeout(REQUEST_TIMEOUT).send();
      call = new Call(operation, sent, System.nanoTime(), reply.status(), reply.body());
    } catch (UncheckedIOException | IllegalStateException noAnswer) {
      call = new Call(operation, sent, System.nanoTime(), 0, String.valueOf(noAnswer.getMessage()));
    }
    calls.add(call);
    if (call.status() == 200) {
      ok.increment();
    }
    return call;
  }

  /** A client does not spin on a server that refuses it: a short pause before the next try. */
  private void pauseAfterFailure(Call call) {
    if (call.status() != 200 && call.status() != 400) {
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  private static JsonNode json(String body) {
    try {
      return Rest.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code more} further calls succeed (the load makes progress). */
  void awaitSuccesses(int more, Duration atMost) {
    long target = ok.sum() + more;
    await().atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .alias(more + " more successful borrows and returns")
        .until(ok::sum, sum -> sum >= target);
  }

  long successes() {
    return ok.sum();
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** How many calls ended with each status (0: no answer). */
  Map<Integer, Long> outcomes() {
    Map<Integer, Long> outcomes = new TreeMap<>();
    for (Call call : calls) {
      outcomes.merge(call.status(), 1L, Long::sum);
    }
    return outcomes;
  }

  Set<String> acknowledgedBorrows() {
    return Set.copyOf(acknowledgedBorrows);
  }

  Set<String> acknowledgedReturns() {
    return Set.copyOf(acknowledgedReturns);
  }

  /** Stops every thread after its current call. */
  @Override
  public void close() {
    running.set(false);
    for (Thread thread : threads) {
      try {
        thread.join(REQUEST_TIMEOUT.plusSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
