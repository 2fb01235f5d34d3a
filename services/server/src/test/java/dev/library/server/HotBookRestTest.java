package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Rest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hot book over REST: 50 members ask for the 5 copies of one book at the same moment, each
 * through its own HTTP request to the gateway. Exactly 5 get a loan; the other 45 get
 * FAILED_PRECONDITION (HTTP 400, code 9); the book ends with no copy available and never a
 * negative count.
 */
class HotBookRestTest {
  private static final int COPIES = 5;
  private static final int MEMBERS = 50;

  private static LibrarySystem system;
  private static Rest rest;
  private static TestAccounts accounts;
  private static TestAccounts.User librarian;

  @BeforeAll
  static void start() {
    system = LibrarySystem.start("all");
    rest = new Rest(system.gatewayPort());
    accounts = new TestAccounts(system);
    librarian = accounts.librarian();
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  /** One member's attempt: who, and what came back. */
  private record Attempt(TestAccounts.User member, int status, JsonNode body) {}

  @Test
  void fiftyMembersRaceForFiveCopies() throws Exception {
    String authorId =
        rest.post("/api/v1/authors")
            .bearer(librarian.token())
            .body(Map.of("name", "N. K. Jemisin"))
            .send()
            .expect(200)
            .path("author")
            .path("id")
            .asText();
    String bookId =
        rest.post("/api/v1/books")
            .bearer(librarian.token())
            .body(
                Map.of(
                    "title", "The Fifth Season",
                    "authorId", authorId,
                    "isbn", BooksRestTest.isbn13(),
                    "totalCopies", COPIES))
            .send()
            .expect(200)
            .path("book")
            .path("id")
            .asText();

    List<TestAccounts.User> members = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      members.add(accounts.member());
    }
    assertThat(members.stream().map(TestAccounts.User::id).distinct()).hasSize(MEMBERS);

    List<Attempt> attempts = raceToBorrow(bookId, members);

    List<Attempt> won = attempts.stream().filter(a -> a.status() == 200).toList();
    List<Attempt> lost = attempts.stream().filter(a -> a.status() != 200).toList();
    assertThat(won).as("loans granted: %s", attempts).hasSize(COPIES);
    assertThat(lost).hasSize(MEMBERS - COPIES);
    for (Attempt attempt : lost) {
      assertThat(attempt.status()).as("refusal %s", attempt.body()).isEqualTo(400);
      assertThat(attempt.body().path("code").asInt()).as("refusal %s", attempt.body()).isEqualTo(9);
      assertThat(attempt.body().path("message").asText()).isNotBlank();
    }
    Set<String> loans = new HashSet<>();
    Set<Integer> remaining = new HashSet<>();
    for (Attempt attempt : won) {
      JsonNode loan = attempt.body();
      assertThat(loan.path("bookId").asText()).isEqualTo(bookId);
      assertThat(loan.path("userId").asText()).isEqualTo(attempt.member().id());
      assertThat(loan.path("dueAt").asText()).isNotEmpty();
      loans.add(loan.path("transactionId").asText());
      remaining.add(loan.path("availableCopies").asInt());
    }
    assertThat(loans).as("distinct loans").hasSize(COPIES);
    assertThat(remaining)
        .as("each winner saw a different count of copies left")
        .containsExactlyInAnyOrder(0, 1, 2, 3, 4);

    JsonNode book =
        rest.get("/api/v1/books/" + bookId).bearer(librarian.token()).send().expect(200).path("book");
    assertThat(book.path("availableCopies").asInt()).isZero();
    assertThat(book.path("totalCopies").asInt()).isEqualTo(COPIES);

    // Each winner holds exactly the loan they were given, as ACTIVE.
    for (Attempt attempt : won) {
      JsonNode active =
          rest.get("/api/v1/loans?status=ACTIVE&book_id=" + bookId)
              .bearer(attempt.member().token())
              .send()
              .expect(200);
      assertThat(active.path("total").asInt()).isEqualTo(1);
      assertThat(active.path("loans").get(0).path("id").asText())
          .isEqualTo(attempt.body().path("transactionId").asText());
    }
    // ... and no loser holds one.
    for (Attempt attempt : lost.subList(0, 5)) {
      JsonNode none =
          rest.get("/api/v1/loans?book_id=" + bookId).bearer(attempt.member().token()).send().expect(200);
      assertThat(none.path("total").asInt()).isZero();
    }

    // A returned copy goes to the next member who asks, and only one.
    Attempt winner = won.get(0);
    rest.post("/api/v1/books/" + bookId + "/return")
        .bearer(winner.member().token())
        .body(Map.of("transactionId", winner.body().path("transactionId").asText()))
        .send()
        .expect(200);
    List<Attempt> secondRound = raceToBorrow(bookId, lost.stream().map(Attempt::member).toList());
    assertThat(secondRound.stream().filter(a -> a.status() == 200)).hasSize(1);
    assertThat(secondRound.stream().filter(a -> a.status() == 400 && a.body().path("code").asInt() == 9))
        .hasSize(lost.size() - 1);
    assertThat(
            rest.get("/api/v1/books/" + bookId)
                .bearer(librarian.token())
                .send()
                .expect(200)
                .path("book")
                .path("availableCopies")
                .asInt())
        .isZero();
  }

  /**
   * Every member sends POST /api/v1/books/{id}/borrow with {@code {}} at once: the threads wait
   * at a start gate, then all send.
   */
  private static List<Attempt> raceToBorrow(String bookId, List<TestAccounts.User> members)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(members.size());
    CountDownLatch ready = new CountDownLatch(members.size());
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Attempt>> futures = new ArrayList<>();
      for (TestAccounts.User member : members) {
        Rest.Call borrow = rest.post("/api/v1/books/" + bookId + "/borrow").bearer(member.token()).body("{}");
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  Rest.Reply reply = borrow.send();
                  return new Attempt(member, reply.status(), Rest.JSON.readTree(reply.body()));
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).as("every thread at the gate").isTrue();
      go.countDown();
      List<Attempt> attempts = new ArrayList<>();
      for (Future<Attempt> future : futures) {
        attempts.add(future.get(30, TimeUnit.SECONDS));
      }
      return attempts;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
