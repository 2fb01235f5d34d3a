package dev.library.server;

import static org.awaitility.Awaitility.await;
import dev.library.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.testing.TestAccounts;
import dev.library.runtime.testing.process.LibraryProcess;
import dev.library.runtime.testing.process.ServicePorts;
import dev.library.testing.Rest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Book service processes on one database, behind the REST gateway, as a scaled Deployment
 * runs them: the gateway's book address lists both ({@code localhost:p1,localhost:p2}) and
 * balances calls round robin. Under a storm of borrows of one book (every member at once, over
 * several rounds) and librarians creating books with categories at the same time:
 *
 * <ul>
 *   <li>no copy is lent twice: exactly as many borrows succeed as there are copies, the others
 *       are refused NO_COPY_AVAILABLE, and the database agrees;
 *   <li>every category link queued in the shared outbox is delivered exactly once, although two
 *       relays (one per process) poll it: the number of UpdateItemCategories calls both processes
 *       made equals the number of entries;
 *   <li>both processes served requests (each made its own calls to the Author service).
 * </ul>
 *
 * Processes: auth, author, category and the gateway in one (its embedded PostgreSQL also holds
 * the shared book database), and the two Book processes, started at the same time so that their
 * Flyway migrations race as two pods' would.
 */
class ScaleOutTest {
  private static final int COPIES = 4;
  private static final int MEMBERS = 12;
  private static final int ROUNDS = 3;
  private static final int BOOKS_WITH_CATEGORIES = 8;
  private static final String LINK_CALLS =
      "downstream.library.category.v1.CategoryService/UpdateItemCategories";
  private static final String AUTHOR_CALLS = "downstream.library.author.v1.AuthorService/";

  private static LibraryProcess front;
  private static final List<LibraryProcess> books = new ArrayList<>();
  private static Rest rest;
  private static TestAccounts.User librarian;
  private static String authorId;
  private static List<String> categories;

  @BeforeAll
  static void start() throws Exception {
    ServicePorts ports = ServicePorts.allocate();
    int[] bookPorts = {ports.grpc("book"), FreePorts.next()};
    try {
      front =
          LibraryProcess.hosting("auth,author,category,gateway")
              .ports(ports)
              .override("services.book.address", "localhost:" + bookPorts[0] + ",localhost:" + bookPorts[1])
              .start();
      var database = front.database();
      try (Connection c = database.connect("postgres"); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE library_book_shared");
      }
      String url = "jdbc:postgresql://localhost:" + database.port() + "/library_book_shared";
      List<CompletableFuture<LibraryProcess>> starting = new ArrayList<>();
      for (int port : bookPorts) {
        starting.add(
            CompletableFuture.supplyAsync(
                () ->
                    LibraryProcess.hosting("book")
                        .ports(ports)
                        .override("services.book.grpcPort", "" + port)
                        .override("services.book.database.url", url)
                        .override("services.book.database.user", "postgres")
                        .override("services.book.database.password", database.password())
                        // A loaded test machine must not turn a slow delivery into a retry: the
                        // count of deliveries below is exact.
                        .override("services.category.callTimeout", "60s")
                        .override("services.author.callTimeout", "60s")
                        .start()));
      }
      for (CompletableFuture<LibraryProcess> process : starting) {
        books.add(process.join());
      }
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    rest = new Rest(front.gatewayPort());
    TestAccounts accounts = new TestAccounts(front.channel("auth"));
    librarian = accounts.librarian();
    authorId = rest.createAuthor(librarian.token(), "Octavia E. Butler");
    categories =
        List.of(
            rest.createCategory(librarian.token(), "Parables"),
            rest.createCategory(librarian.token(), "Xenogenesis"));
  }

  @AfterAll
  static void stop() {
    books.forEach(LibraryProcess::close);
    if (front != null) {
      front.close();
    }
  }

  @Test
  void twoBookProcessesLendNoCopyTwiceDeliverEachLinkOnceAndBothServe() throws Exception {
    TestAccounts accounts = new TestAccounts(front.channel("auth"));
    List<TestAccounts.User> members = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      members.add(accounts.member());
    }
    String hot = createBook("Kindred", COPIES, List.of());
    Map<LibraryProcess, Long> authorCallsBefore = new HashMap<>();
    for (LibraryProcess book : books) {
      authorCallsBefore.put(book, meterCounts(book, AUTHOR_CALLS));
    }

    ExecutorService pool = Executors.newFixedThreadPool(MEMBERS + 1);
    try {
      // Librarians add books with categories while the members storm: outbox entries appear in
      // the shared database while both relays run.
      Future<List<String>> created =
          pool.submit(
              () -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < BOOKS_WITH_CATEGORIES; i++) {
                  ids.add(createBook("Parable " + i, 1, categories));
                }
                return ids;
              });
      for (int round = 0; round < ROUNDS; round++) {
        List<Attempt> attempts = borrowAllAtOnce(pool, hot, members);
        List<Attempt> lent = attempts.stream().filter(a -> a.reply().status() == 200).toList();
        assertThat(lent).as("round %d: borrows that succeeded", round).hasSize(COPIES);
        assertThat(
                attempts.stream()
                    .filter(a -> a.reply().status() != 200)
                    .map(a -> reason(a.reply().body())))
            .as("round %d: the others were refused for want of a copy", round)
            .hasSize(MEMBERS - COPIES)
            .containsOnly("NO_COPY_AVAILABLE");
        assertThat(availableCopies(hot)).isZero();
        assertThat(activeLoans(hot)).isEqualTo(COPIES);
        for (Attempt attempt : lent) {
          String loan = attempt.reply().json().path("transactionId").asText();
          rest.post("/api/v1/books/" + hot + "/return")
              .bearer(attempt.member().token())
              .body(Map.of("transactionId", loan))
              .send()
              .expect(200);
        }
        assertThat(availableCopies(hot)).isEqualTo(COPIES);
      }
      List<String> linked = created.get();

      await().atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .alias("the outbox drained")
          .until(ScaleOutTest::pendingOutboxEntries, pending -> pending == 0);
      for (String book : linked) {
        JsonNode links =
            rest.get("/api/v1/items/" + book + "/categories?item_type=book")
                .bearer(librarian.token())
                .send()
                .expect(200);
        assertThat(Rest.names(links.path("categories"))).containsExactlyInAnyOrder("Parables", "Xenogenesis");
      }
      long deliveries = 0;
      for (LibraryProcess book : books) {
        deliveries += meterCounts(book, LINK_CALLS);
      }
      assertThat(deliveries).as("UpdateItemCategories calls by both relays").isEqualTo(BOOKS_WITH_CATEGORIES);

      for (LibraryProcess book : books) {
        assertThat(meterCounts(book, AUTHOR_CALLS))
            .as("calls to the Author service made by the book process on port %d", book.grpcPort("book"))
            .isGreaterThan(authorCallsBefore.get(book));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A member's borrow and its answer. */
  private record Attempt(TestAccounts.User member, Rest.Reply reply) {}

  /** Every member asks for the book at the same instant; their answers. */
  private static List<Attempt> borrowAllAtOnce(
      ExecutorService pool, String book, List<TestAccounts.User> members) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<Attempt>> answers = new ArrayList<>();
    for (TestAccounts.User member : members) {
      answers.add(
          pool.submit(
              () -> {
                gate.await();
                var reply =
                    rest.post("/api/v1/books/" + book + "/borrow")
                        .bearer(member.token())
                        .body("{}")
                        .timeout(Duration.ofSeconds(60))
                        .send();
                return new Attempt(member, reply);
              }));
    }
    gate.countDown();
    List<Attempt> attempts = new ArrayList<>();
    for (Future<Attempt> answer : answers) {
      attempts.add(answer.get());
    }
    return attempts;
  }

  /** The ErrorInfo reason of a google.rpc.Status JSON body. */
  private static String reason(String body) {
    try {
      for (JsonNode detail : Rest.JSON.readTree(body).path("details")) {
        if (detail.path("@type").asText().endsWith("google.rpc.ErrorInfo")) {
          return detail.path("reason").asText();
        }
      }
    } catch (java.io.IOException e) {
      return "not JSON: " + body;
    }
    return "no ErrorInfo: " + body;
  }

  private static String createBook(String title, int copies, List<String> categoryIds) {
    Map<String, Object> book = new HashMap<>();
    book.put("title", title);
    book.put("authorId", authorId);
    book.put("isbn", BooksRestTest.isbn13());
    book.put("totalCopies", copies);
    book.put("categoryIds", categoryIds);
    return rest.post("/api/v1/books")
        .bearer(librarian.token())
        .body(book)
        .timeout(Duration.ofSeconds(60))
        .send()
        .expect(200)
        .path("book")
        .path("id")
        .asText();
  }

  private static int availableCopies(String book) throws Exception {
    return queryInt("SELECT available_copies FROM books WHERE id = '" + book + "'");
  }

  private static int activeLoans(String book) throws Exception {
    return queryInt(
        "SELECT count(*) FROM loans WHERE book_id = '" + book + "' AND returned_at IS NULL");
  }

  private static int pendingOutboxEntries() throws Exception {
    return queryInt("SELECT count(*) FROM category_link_outbox");
  }

  private static int queryInt(String sql) throws Exception {
    try (Connection c = front.database().connect("library_book_shared");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The sum of the counts of the process's meters whose names start with {@code prefix}. */
  private static long meterCounts(LibraryProcess process, String prefix) throws Exception {
    JsonNode metrics =
        new Rest(process.adminPort()).get("/metrics").timeout(Duration.ofSeconds(30)).send().expect(200);
    long sum = 0;
    var meters = metrics.path("meters").fields();
    while (meters.hasNext()) {
      var meter = meters.next();
      if (meter.getKey().startsWith(prefix)) {
        sum += meter.getValue().path("count").asLong();
      }
    }
    return sum;
  }
}
