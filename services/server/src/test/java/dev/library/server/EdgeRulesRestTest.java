package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Rest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST edge's rules through the whole system (gateway, four services, PostgreSQL): the
 * documented maxima fit, what is over a limit or not JSON or not UTF-8 is refused by the
 * documented rule and changes nothing, and a request naming many unknown ids fails alone while
 * its neighbours on the same connections succeed.
 */
class EdgeRulesRestTest {
  private static LibrarySystem system;
  private static Rest rest;
  private static TestAccounts.User librarian;
  private static String authorId;
  private static final Random ISBNS = new Random(3);

  @BeforeAll
  static void start() {
    system = LibrarySystem.start("all");
    rest = new Rest(system.gatewayPort());
    librarian = new TestAccounts(system).librarian();
    authorId = rest.createAuthor(librarian.token(), "Edge Author");
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  // ---- the documented maxima fit -----------------------------------------------------------

  /** ListBooks takes up to 100 category ids: in a query string, in either spelling. */
  @ParameterizedTest
  @ValueSource(strings = {"category_ids", "categoryIds"})
  void aHundredCategoryIdsFitInAQueryString(String parameter) {
    List<String> categories = hundredCategories();
    String bookId = hundredthCategoryBook;
    String query =
        categories.stream().map(id -> parameter + "=" + id).collect(Collectors.joining("&"));

    JsonNode page = rest.get("/api/v1/books?" + query).bearer(librarian.token()).send().expect(200);
    assertThat(page.path("total").asInt()).isEqualTo(1);
    assertThat(page.path("books").path(0).path("id").asText()).isEqualTo(bookId);

    JsonNode items =
        rest.get("/api/v1/categories/items?" + query).bearer(librarian.token()).send().expect(200);
    assertThat(items.toString()).contains(bookId);

    // One more than documented is the service's INVALID_ARGUMENT, not the edge's 414.
    rest.get("/api/v1/books?" + query + "&" + parameter + "=" + UUID.randomUUID())
        .bearer(librarian.token())
        .send()
        .expectViolation("category_ids");
  }

  private static List<String> hundredCategories;
  private static String hundredthCategoryBook;

  /** 100 categories, made once, and a book in the last of them. */
  private static synchronized List<String> hundredCategories() {
    if (hundredCategories == null) {
      List<String> categories = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        categories.add(rest.createCategory(librarian.token(), "Shelf " + i + " " + UUID.randomUUID()));
      }
      hundredthCategoryBook =
          createBook(isbn(), List.of(categories.get(99))).path("book").path("id").asText();
      hundredCategories = List.copyOf(categories);
    }
    return hundredCategories;
  }

  // ---- limits ------------------------------------------------------------------------------

  @Test
  void aBodyOverTheLimitIs413WithTheDocumentedCode() {
    String name = "n".repeat(1024 * 1024 + 1);
    rest.post("/api/v1/authors").bearer(librarian.token()).body(Map.of("name", name))
        .resendOnEarlyReset().send()
        .expectError(413, 3);
  }

  @Test
  void aRequestLineOverTheLimitIs414AndHeadersOverItAre431() {
    rest.get("/api/v1/books?title_query=" + "q".repeat(33 * 1024)).bearer(librarian.token()).send()
        .expectError(414, 3);
    rest.get("/api/v1/books").bearer(librarian.token()).header("x-padding", "p".repeat(33 * 1024))
        .send()
        .expectError(431, 3);
  }

  // ---- 415 ---------------------------------------------------------------------------------

  /**
   * A cross-site page can POST text/plain or a form without a CORS preflight: such a Register
   * must not create an account, nor such a Login be attempted.
   */
  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b"})
  void aRegisterThatIsNotDeclaredJsonIs415AndCreatesNoAccount(String contentType) throws Exception {
    String username = "simple" + UUID.randomUUID().toString().substring(0, 8);
    String json =
        "{\"username\":\"" + username + "\",\"email\":\"" + username
            + "@example.org\",\"password\":\"a test password\"}";

    Rest.Reply register = post("/api/v1/auth/register", contentType, json);
    assertThat(register.status()).isEqualTo(415);
    assertThat(Rest.JSON.readTree(register.body()).path("code").asInt()).isEqualTo(3);
    assertThat(post("/api/v1/auth/login", contentType, json).status()).isEqualTo(415);
    assertThat(post("/api/v1/auth/register", null, json).status())
        .as("a body without any Content-Type")
        .isEqualTo(415);

    // Nobody registered it: the same registration as JSON succeeds, and only then does a login.
    rest.post("/api/v1/auth/login")
        .body(Map.of("username", username, "password", "a test password"))
        .send()
        .expectError(401, 16);
    rest.post("/api/v1/auth/register").body(json).send().expect(200);
    rest.post("/api/v1/auth/login")
        .body(Map.of("username", username, "password", "a test password"))
        .send()
        .expect(200);
  }

  // ---- strict JSON and UTF-8 ---------------------------------------------------------------

  @Test
  void contentAfterTheJsonValueIs400AndCreatesNothing() {
    String marker = "Trailing " + UUID.randomUUID();
    rest.post("/api/v1/authors")
        .bearer(librarian.token())
        .body("{\"name\":\"" + marker + "\"} {\"name\":\"second\"}")
        .send()
        .expectError(400, 3);
    assertThat(authorsNamed(marker)).isZero();
  }

  /** Not stored as U+FFFD: refused, in a body and in a query string. */
  @Test
  void textThatIsNotUtf8Is400AndStoresNothing() throws Exception {
    String marker = "Bytes" + UUID.randomUUID().toString().substring(0, 8);
    byte[] prefix = ("{\"name\":\"" + marker).getBytes(StandardCharsets.UTF_8);
    byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[prefix.length + 1 + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    body[prefix.length] = (byte) 0xff;
    System.arraycopy(suffix, 0, body, prefix.length + 1, suffix.length);

    Rest.Reply response =
        rest.post("/api/v1/authors")
            .header("content-type", "application/json")
            .bearer(librarian.token())
            .rawBody(body)
            .send();
    assertThat(response.status()).isEqualTo(400);
    assertThat(authorsNamed(marker)).isZero();

    rest.get("/api/v1/authors?name_query=" + marker + "%FF").bearer(librarian.token()).send()
        .expectError(400, 3);
    rest.post("/api/v1/authors")
        .bearer(librarian.token())
        .body("{\"name\":\"" + marker + "\\ud800\"}")
        .send()
        .expectError(400, 3);
    assertThat(authorsNamed(marker)).isZero();
  }

  /** What is valid UTF-8 arrives exactly: no character is replaced or lost on the way. */
  @Test
  void validUtf8IsStoredExactly() {
    String name = "Ŭrsula Ḱ. 😀 " + UUID.randomUUID().toString().substring(0, 8);
    String id = rest.createAuthor(librarian.token(), name);
    JsonNode author = rest.get("/api/v1/authors/" + id).bearer(librarian.token()).send().expect(200);
    assertThat(author.path("author").path("name").asText()).isEqualTo(name);
    assertThat(authorsNamed(name.substring(name.length() - 8))).isEqualTo(1);
  }

  // ---- one bad request fails alone (issue 9, item 5) ----------------------------------------

  /**
   * Four clients at once on shared keep-alive connections; every third request names 30 to 45
   * category ids that do not exist (BulkAddItemToCategories or CreateBook). Those get a 400 that
   * names the first ten and says how many more; every valid CreateBook in between succeeds; and
   * nothing a failed request carried was committed.
   */
  @Test
  void requestsNamingManyUnknownIdsFailAloneUnderConcurrency() throws Exception {
    List<String> known = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      known.add(rest.createCategory(librarian.token(), "Isolation " + i + " " + UUID.randomUUID()));
    }
    String item = createBook(isbn(), List.of(known.get(0))).path("book").path("id").asText();

    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<String> refusedIsbns = Collections.synchronizedList(new ArrayList<>());
    List<String> createdIsbns = Collections.synchronizedList(new ArrayList<>());
    int clients = 4;
    int perClient = 15;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(
            pool.submit(
                () -> {
                  Random random = new Random(client);
                  for (int k = 0; k < perClient; k++) {
                    if (k % 3 != 2) {
                      String isbn = isbn();
                      Rest.Reply reply = createBookReply(isbn, List.of(known.get(k % 3)));
                      if (reply.status() == 200) {
                        createdIsbns.add(isbn);
                      } else {
                        failures.add("a valid CreateBook got " + reply.status() + " " + reply.body());
                      }
                      continue;
                    }
                    List<String> unknown =
                        IntStream.range(0, 30 + random.nextInt(16))
                            .mapToObj(i -> UUID.randomUUID().toString())
                            .toList();
                    List<String> ids = new ArrayList<>(unknown);
                    ids.add(random.nextInt(ids.size()), known.get(1));
                    Rest.Reply reply;
                    if ((client + k) % 2 == 0) {
                      reply =
                          rest.post("/api/v1/categories/bulk-add-item")
                              .bearer(librarian.token())
                              .body(Map.of("itemId", item, "itemType", "book", "categoryIds", ids))
                              .send();
                    } else {
                      String isbn = isbn();
                      refusedIsbns.add(isbn);
                      reply = createBookReply(isbn, ids);
                    }
                    String problem = unknownIdsProblem(reply, ids, unknown);
                    if (problem != null) {
                      failures.add(problem);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(failures).isEmpty();
    assertThat(createdIsbns).hasSize(clients * (perClient - perClient / 3));
    assertThat(refusedIsbns).isNotEmpty();
    // Nothing a failed request carried was committed: no book, no link.
    assertThat(booksWithIsbns(refusedIsbns)).isZero();
    assertThat(booksWithIsbns(createdIsbns)).isEqualTo(createdIsbns.size());
    JsonNode links =
        rest.get("/api/v1/items/" + item + "/categories?item_type=book").bearer(librarian.token()).send().expect(200);
    List<String> linked = new ArrayList<>();
    links.path("categories").forEach(c -> linked.add(c.path("id").asText()));
    assertThat(linked)
        .containsExactly(known.get(0));
  }

  /** Null when the reply is the documented 400 for these unknown ids, else what is wrong. */
  private static String unknownIdsProblem(Rest.Reply reply, List<String> ids, List<String> unknown) {
    if (reply.status() != 400) {
      return reply.request() + " naming " + unknown.size() + " unknown ids got " + reply.status()
          + " " + reply.body();
    }
    JsonNode error = reply.json();
    if (error.path("code").asInt() != 3) {
      return "code " + error.path("code") + ": " + reply.body();
    }
    // The first ten ids, each by its position, and an entry for the rest (trailers are capped).
    List<String> fields = Rest.violatedFields(error);
    if (fields.size() != 11
        || !fields.subList(0, 10).stream().allMatch(f -> f.startsWith("category_ids["))
        || !error.path("details").toString().contains((unknown.size() - 10) + " more")) {
      return "field violations " + fields + ": " + reply.body();
    }
    String message = error.path("message").asText();
    String firstUnknown = ids.get(ids.get(0).equals(unknown.get(0)) ? 0 : 1);
    if (!message.contains(firstUnknown)) {
      return "the first unknown id is not named: " + message;
    }
    if (!message.endsWith("and " + (unknown.size() - 10) + " more")) {
      return "no \"and " + (unknown.size() - 10) + " more\": " + message;
    }
    return null;
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** A body declared as {@code contentType} (none when null), whatever it holds. */
  private static Rest.Reply post(String path, String contentType, String body) {
    Rest.Call request = rest.post(path).rawBody(body.getBytes(StandardCharsets.UTF_8));
    if (contentType != null) {
      request.header("content-type", contentType);
    }
    return request.send();
  }

  private static int authorsNamed(String text) {
    return rest.get("/api/v1/authors?name_query=" + Rest.encode(text))
        .bearer(librarian.token())
        .send()
        .expect(200)
        .path("total")
        .asInt();
  }

  private static String isbn() {
    synchronized (ISBNS) {
      return HostileRequests.isbn13(ISBNS);
    }
  }

  private static JsonNode createBook(String isbn, List<String> categories) {
    return createBookReply(isbn, categories).expect(200);
  }

  private static Rest.Reply createBookReply(String isbn, List<String> categories) {
    return rest.post("/api/v1/books")
        .bearer(librarian.token())
        .body(
            Map.of(
                "title", "Edge " + isbn,
                "authorId", authorId,
                "isbn", isbn,
                "totalCopies", 1,
                "categoryIds", categories))
        .send();
  }

  /** Read from the Book service's own database: what was committed, whatever the API says. */
  private static int booksWithIsbns(List<String> isbns) throws Exception {
    try (Connection db = system.connect("book");
        PreparedStatement query = db.prepareStatement("SELECT count(*) FROM books WHERE isbn = ANY (?)")) {
      query.setArray(1, db.createArrayOf("text", isbns.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }
}
