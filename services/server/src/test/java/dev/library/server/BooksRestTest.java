package dev.library.server;

import static dev.library.testing.Rest.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Rest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.library.testing.Isbns;

/**
 * The Book service's REST API through the gateway, black box: the catalog (with authors and
 * categories embedded from their services), ListBooks' filters and sorting as query parameters,
 * borrowing and returning, loans and recommendations, and the error cases as HTTP status plus
 * google.rpc.Status JSON.
 */
class BooksRestTest {
  private static LibrarySystem system;
  private static Rest rest;
  private static TestAccounts accounts;
  private static TestAccounts.User librarian;
  private static TestAccounts.User member;
  private static String leGuin;
  private static String butler;
  private static String fantasy;
  private static String scienceFiction;
  private static String tag;

  @BeforeAll
  static void start() {
    system = LibrarySystem.start("all");
    rest = new Rest(system.gatewayPort());
    accounts = new TestAccounts(system);
    librarian = accounts.librarian();
    member = accounts.member();
    tag = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    leGuin = createAuthor("Ursula K. Le Guin " + tag);
    butler = createAuthor("Octavia E. Butler " + tag);
    fantasy = createCategory("Fantasy " + tag);
    scienceFiction = createCategory("Science Fiction " + tag);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void bookCrudRoundTrip() {
    String digits = isbn13();
    Map<String, Object> create = new HashMap<>();
    create.put("title", "  A Wizard of Earthsea  ");
    create.put("authorId", leGuin);
    create.put("isbn", hyphenated(digits));
    create.put("publicationYear", 1968);
    create.put("publisher", "Parnassus Press");
    create.put("description", "Ged learns the true names.");
    create.put("totalCopies", 3);
    create.put("categoryIds", List.of(scienceFiction, fantasy));

    JsonNode created =
        rest.post("/api/v1/books").bearer(librarian.token()).body(create).send().expect(200).path("book");
    String id = created.path("id").asText();
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(created.path("title").asText()).isEqualTo("A Wizard of Earthsea");
    assertThat(created.path("isbn").asText()).as("ISBN stored without hyphens").isEqualTo(digits);
    assertThat(created.path("authorId").asText()).isEqualTo(leGuin);
    assertThat(created.path("author").path("id").asText()).isEqualTo(leGuin);
    assertThat(created.path("author").path("name").asText()).isEqualTo("Ursula K. Le Guin " + tag);
    assertThat(created.path("publicationYear").asInt()).isEqualTo(1968);
    assertThat(created.path("publisher").asText()).isEqualTo("Parnassus Press");
    assertThat(created.path("description").asText()).isEqualTo("Ged learns the true names.");
    assertThat(created.path("totalCopies").asInt()).isEqualTo(3);
    assertThat(created.path("availableCopies").asInt()).isEqualTo(3);
    assertThat(Rest.texts(created.path("categoryIds"))).containsExactlyInAnyOrder(fantasy, scienceFiction);
    assertThat(Rest.names(created.path("categories")))
        .as("categories embedded, ordered by name")
        .containsExactly("Fantasy " + tag, "Science Fiction " + tag);
    Instant createdAt = timestamp(created, "createdAt");
    assertThat(timestamp(created, "updatedAt")).isEqualTo(createdAt);

    JsonNode read = rest.get("/api/v1/books/" + id).bearer(member.token()).send().expect(200).path("book");
    assertThat(read).isEqualTo(created);
    // The links are in the Category service too (book is an item of type "book").
    JsonNode links =
        rest.get("/api/v1/items/" + id + "/categories?item_type=book").bearer(member.token()).send().expect(200);
    assertThat(Rest.names(links.path("categories"))).containsExactly("Fantasy " + tag, "Science Fiction " + tag);

    // Full replacement: more copies, another author, one category, no publisher.
    Map<String, Object> update = new HashMap<>();
    update.put("title", "A Wizard of Earthsea (2nd ed.)");
    update.put("authorId", butler);
    update.put("isbn", digits);
    update.put("publicationYear", 1971);
    update.put("totalCopies", 5);
    update.put("categoryIds", List.of(fantasy));
    JsonNode updated =
        rest.put("/api/v1/books/" + id).bearer(librarian.token()).body(update).send().expect(200).path("book");
    assertThat(updated.path("id").asText()).isEqualTo(id);
    assertThat(updated.path("title").asText()).isEqualTo("A Wizard of Earthsea (2nd ed.)");
    assertThat(updated.path("author").path("id").asText()).isEqualTo(butler);
    assertThat(updated.path("publicationYear").asInt()).isEqualTo(1971);
    assertThat(updated.path("publisher").asText("")).isEmpty();
    assertThat(updated.path("description").asText("")).isEmpty();
    assertThat(updated.path("totalCopies").asInt()).isEqualTo(5);
    assertThat(updated.path("availableCopies").asInt()).isEqualTo(5);
    assertThat(Rest.names(updated.path("categories"))).containsExactly("Fantasy " + tag);
    assertThat(timestamp(updated, "createdAt")).isEqualTo(createdAt);
    assertThat(timestamp(updated, "updatedAt")).isAfterOrEqualTo(createdAt);
    assertThat(rest.get("/api/v1/books/" + id).bearer(member.token()).send().expect(200).path("book"))
        .isEqualTo(updated);
    assertThat(
            Rest.names(
                rest.get("/api/v1/items/" + id + "/categories?item_type=book")
                    .bearer(member.token())
                    .send()
                    .expect(200)
                    .path("categories")))
        .containsExactly("Fantasy " + tag);

    JsonNode deleted = rest.delete("/api/v1/books/" + id).bearer(librarian.token()).send().expect(200);
    assertThat(deleted)
        .as("DELETE answers the original's {success: true}")
        .isEqualTo(Rest.JSON.createObjectNode().put("success", true));
    rest.get("/api/v1/books/" + id).bearer(member.token()).send().expectError(404, 5);
    rest.delete("/api/v1/books/" + id).bearer(librarian.token()).send().expectError(404, 5);
    rest.put("/api/v1/books/" + id).bearer(librarian.token()).body(update).send().expectError(404, 5);
    // The same ISBN is free again.
    createBook("Reborn " + tag, leGuin, digits, 1, 1968, List.of());
  }

  @Test
  void anIsbn10EndingInLowerCaseXIsStoredWithCapitalX() {
    String isbn10 = isbn10EndingInX();
    JsonNode book =
        rest.post("/api/v1/books")
            .bearer(librarian.token())
            .body(
                Map.of(
                    "title", "Ten digits " + tag,
                    "authorId", leGuin,
                    "isbn", isbn10.substring(0, 1) + " " + isbn10.substring(1, 9) + "-x",
                    "totalCopies", 1))
            .send()
            .expect(200)
            .path("book");
    assertThat(book.path("isbn").asText()).isEqualTo(isbn10);
  }

  @Test
  void badBookInputIsA400NamingTheField() {
    String token = librarian.token();
    String valid = isbn13();
    String badCheckDigit = valid.substring(0, 12) + ((valid.charAt(12) - '0' + 1) % 10);
    rest.post("/api/v1/books")
        .bearer(token)
        .body(book("Bad check digit", leGuin, hyphenated(badCheckDigit), 1))
        .send()
        .expectViolation("isbn");
    rest.post("/api/v1/books")
        .bearer(token)
        .body(book("Too short", leGuin, "978030640", 1))
        .send()
        .expectViolation("isbn");
    String unknownAuthor = UUID.randomUUID().toString();
    JsonNode noAuthor =
        rest.post("/api/v1/books")
            .bearer(token)
            .body(book("Nobody wrote this", unknownAuthor, valid, 1))
            .send()
            .expectViolation("author_id");
    assertThat(noAuthor.path("message").asText()).contains(unknownAuthor);
    rest.post("/api/v1/books")
        .bearer(token)
        .body(book("Author not a UUID", "le-guin", valid, 1))
        .send()
        .expectViolation("author_id");
    rest.post("/api/v1/books")
        .bearer(token)
        .body(book("No copies", leGuin, valid, 0))
        .send()
        .expectViolation("total_copies");
    rest.post("/api/v1/books")
        .bearer(token)
        .body(book("  ", leGuin, valid, 1))
        .send()
        .expectViolation("title");
    Map<String, Object> unknownCategory = book("Unknown category", leGuin, valid, 1);
    String missing = UUID.randomUUID().toString();
    unknownCategory.put("categoryIds", List.of(fantasy, missing));
    JsonNode noCategory =
        rest.post("/api/v1/books").bearer(token).body(unknownCategory).send().expectViolation("category_ids[1]");
    assertThat(noCategory.toString()).contains(missing);
    // Every broken field at once.
    rest.post("/api/v1/books")
        .bearer(token)
        .body(book("", "x", badCheckDigit, 0))
        .send()
        .expectViolation("title", "author_id", "isbn", "total_copies");
    // None of the rejected books exists.
    JsonNode none =
        rest.get("/api/v1/books?isbn_query=" + valid).bearer(member.token()).send().expect(200);
    assertThat(none.path("total").asInt()).isZero();

    rest.get("/api/v1/books/not-a-uuid").bearer(member.token()).send().expectViolation("id");
    rest.get("/api/v1/books/" + UUID.randomUUID()).bearer(member.token()).send().expectError(404, 5);
  }

  @Test
  void aDuplicateIsbnIsA409() {
    String digits = isbn13();
    String first = createBook("Kindred " + tag, butler, digits, 1, 1979, List.of());
    rest.post("/api/v1/books")
        .bearer(librarian.token())
        .body(book("Kindred again", butler, hyphenated(digits), 1))
        .send()
        .expectError(409, 6);
    // Changing another book to that ISBN is the same conflict.
    String otherDigits = isbn13();
    String other = createBook("Dawn " + tag, butler, otherDigits, 1, 1987, List.of());
    rest.put("/api/v1/books/" + other)
        .bearer(librarian.token())
        .body(book("Dawn " + tag, butler, digits, 1))
        .send()
        .expectError(409, 6);
    JsonNode found =
        rest.get("/api/v1/books?isbn_query=" + digits).bearer(member.token()).send().expect(200);
    assertThat(found.path("total").asInt()).isEqualTo(1);
    assertThat(found.path("books").get(0).path("id").asText()).isEqualTo(first);
  }

  @Test
  void listBooksFiltersSortsAndPages() {
    String list = "L" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String alpha = createBook("Alpha " + list, leGuin, isbn13(), 1, 1968, List.of(fantasy));
    String beta = createBook("beta " + list, butler, isbn13(), 2, 1979, List.of(scienceFiction));
    String gamma =
        createBook("Gamma " + list, leGuin, isbn13(), 1, 1990, List.of(fantasy, scienceFiction));
    String delta = createBook("Delta " + list, butler, isbn13(), 1, 2000, List.of());
    // Alpha's only copy goes out: it is no longer available.
    TestAccounts.User reader = accounts.member();
    rest.post("/api/v1/books/" + alpha + "/borrow").bearer(reader.token()).body("{}").send().expect(200);

    String byTitle = "title_query=" + encode(list.toLowerCase());
    JsonNode all = books(byTitle);
    assertThat(all.path("total").asInt()).isEqualTo(4);
    assertThat(ids(all)).as("default order: creation time").containsExactly(alpha, beta, gamma, delta);
    for (JsonNode book : all.path("books")) {
      assertThat(book.path("author").path("name").asText()).as("author embedded in %s", book).isNotEmpty();
      assertThat(book.path("categories").size())
          .as("categories embedded in %s", book)
          .isEqualTo(book.path("categoryIds").size());
    }

    assertThat(ids(books(byTitle + "&author_query=" + encode("le guin " + tag.toUpperCase()))))
        .containsExactly(alpha, gamma);
    assertThat(ids(books(byTitle + "&category_ids=" + fantasy + "&category_ids=" + scienceFiction)))
        .containsExactly(alpha, beta, gamma);
    JsonNode sf = books(byTitle + "&category_ids=" + scienceFiction);
    assertThat(ids(sf)).containsExactly(beta, gamma);
    assertThat(sf.path("total").asInt()).isEqualTo(2);
    assertThat(ids(books(byTitle + "&publication_year_start=1970&publication_year_end=1995")))
        .containsExactly(beta, gamma);
    assertThat(ids(books(byTitle + "&publicationYearStart=1990"))).containsExactly(gamma, delta);
    assertThat(ids(books(byTitle + "&publication_year_end=1979"))).containsExactly(alpha, beta);
    JsonNode available = books(byTitle + "&available_only=true");
    assertThat(ids(available)).containsExactly(beta, gamma, delta);
    assertThat(available.path("total").asInt()).isEqualTo(3);

    // Title order is case-insensitive: alpha, beta, delta, gamma.
    assertThat(ids(books(byTitle + "&sort_by=TITLE"))).containsExactly(alpha, beta, delta, gamma);
    assertThat(ids(books(byTitle + "&sort_by=TITLE&sort_desc=true")))
        .containsExactly(gamma, delta, beta, alpha);
    assertThat(ids(books(byTitle + "&sortBy=PUBLICATION_YEAR&sortDesc=true")))
        .containsExactly(delta, gamma, beta, alpha);
    JsonNode byAuthor = books(byTitle + "&sort_by=AUTHOR");
    assertThat(ids(byAuthor).subList(0, 2)).containsExactlyInAnyOrder(beta, delta); // Octavia ...
    assertThat(ids(byAuthor).subList(2, 4)).containsExactlyInAnyOrder(alpha, gamma); // Ursula ...

    JsonNode page1 = books(byTitle + "&sort_by=TITLE&page=1&page_size=3");
    JsonNode page2 = books("titleQuery=" + list + "&sortBy=TITLE&page=2&pageSize=3");
    assertThat(ids(page1)).containsExactly(alpha, beta, delta);
    assertThat(ids(page2)).containsExactly(gamma);
    for (JsonNode page : List.of(page1, page2)) {
      assertThat(page.path("total").asInt()).isEqualTo(4);
      assertThat(page.path("pageSize").asInt()).isEqualTo(3);
    }
    assertThat(page2.path("page").asInt()).isEqualTo(2);

    // Filters combine with AND.
    assertThat(
            ids(
                books(
                    byTitle
                        + "&author_query=butler&category_ids="
                        + scienceFiction
                        + "&available_only=true&publication_year_start=1970")))
        .containsExactly(beta);

    // Bad list parameters.
    String token = member.token();
    rest.get("/api/v1/books?page_size=101").bearer(token).send().expectViolation("page_size");
    rest.get("/api/v1/books?category_ids=nope").bearer(token).send().expectError(400, 3);
    rest.get("/api/v1/books?publication_year_start=2000&publication_year_end=1990")
        .bearer(token)
        .send()
        .expectError(400, 3);
    rest.get("/api/v1/books?sort_by=NOT_A_FIELD").bearer(token).send().expectError(400, 3);
  }

  @Test
  void aRetryWithTheSameRequestIdGetsTheFirstAnswer() {
    TestAccounts.User reader = accounts.member();
    String book = createBook("Twice asked " + tag, leGuin, isbn13(), 2, 1971, List.of());
    String requestId = UUID.randomUUID().toString();
    JsonNode first =
        rest.post("/api/v1/books/" + book + "/borrow")
            .bearer(reader.token())
            .body(Map.of("requestId", requestId))
            .send()
            .expect(200);
    JsonNode again =
        rest.post("/api/v1/books/" + book + "/borrow")
            .bearer(reader.token())
            .body(Map.of("requestId", requestId))
            .send()
            .expect(200);
    assertThat(again.path("transactionId").asText()).isEqualTo(first.path("transactionId").asText());
    assertThat(availableCopies(book)).isEqualTo(1);
    // DELETE has no body: the id goes in the query string.
    String deleteId = UUID.randomUUID().toString();
    String spare = createBook("Deleted once " + tag, leGuin, isbn13(), 1, 1971, List.of());
    rest.delete("/api/v1/books/" + spare + "?request_id=" + deleteId)
        .bearer(librarian.token())
        .send()
        .expect(200);
    rest.delete("/api/v1/books/" + spare + "?request_id=" + deleteId)
        .bearer(librarian.token())
        .send()
        .expect(200);
    rest.delete("/api/v1/books/" + spare).bearer(librarian.token()).send().expectError(404, 5);
  }

  @Test
  void holdsRenewalsAndHistoryOverRest() {
    TestAccounts.User reader = accounts.member();
    TestAccounts.User waiter = accounts.member();
    String book = createBook("The Lathe of Heaven " + tag, leGuin, isbn13(), 1, 1971, List.of());

    // "Would this succeed?" then the real borrow.
    JsonNode dry =
        rest.post("/api/v1/books/" + book + "/borrow").bearer(reader.token()).body(Map.of("validateOnly", true)).send().expect(200);
    assertThat(dry.path("transactionId").asText()).isEmpty();
    String loan =
        rest.post("/api/v1/books/" + book + "/borrow").bearer(reader.token()).body("{}").send().expect(200)
            .path("transactionId").asText();

    JsonNode renewed =
        rest.post("/api/v1/loans/" + loan + "/renew").bearer(reader.token()).body("{}").send().expect(200).path("loan");
    assertThat(renewed.path("renewalsUsed").asInt()).isEqualTo(1);

    JsonNode hold =
        rest.post("/api/v1/books/" + book + "/holds").bearer(waiter.token()).body("{}").send().expect(200).path("hold");
    assertThat(hold.path("status").asText()).isEqualTo("WAITING");
    assertThat(hold.path("queuePosition").asInt()).isEqualTo(1);
    JsonNode refused =
        rest.post("/api/v1/loans/" + loan + "/renew").bearer(reader.token()).body("{}").send().expectError(400, 9);
    assertThat(reasonOf(refused)).isEqualTo("HOLDS_WAITING");
    JsonNode taken =
        rest.post("/api/v1/books/" + book + "/borrow").bearer(waiter.token()).body("{}").send().expectError(400, 9);
    assertThat(reasonOf(taken)).isEqualTo("NO_COPY_AVAILABLE");

    JsonNode queue = rest.get("/api/v1/books/" + book + "/holds").bearer(librarian.token()).send().expect(200);
    assertThat(queue.path("holds").get(0).path("userId").asText()).isEqualTo(waiter.id());
    assertThat(rest.get("/api/v1/holds").bearer(waiter.token()).send().expect(200).path("total").asInt()).isEqualTo(1);

    JsonNode back =
        rest.post("/api/v1/books/" + book + "/return").bearer(reader.token()).body(Map.of("transactionId", loan)).send().expect(200);
    assertThat(back.path("readyHoldId").asText()).isEqualTo(hold.path("id").asText());
    JsonNode gone =
        rest.post("/api/v1/holds/" + hold.path("id").asText() + "/cancel").bearer(waiter.token()).body("{}").send().expect(200);
    assertThat(gone.path("hold").path("status").asText()).isEqualTo("CANCELLED");
    assertThat(availableCopies(book)).as("the cancelled hold's copy went back to the shelf").isEqualTo(1);

    JsonNode history =
        rest.get("/api/v1/circulation-events?book_id=" + book + "&type=HOLD_CANCELLED").bearer(librarian.token()).send().expect(200);
    assertThat(history.path("total").asInt()).isEqualTo(1);
    assertThat(history.path("events").get(0).path("userId").asText()).isEqualTo(waiter.id());
    rest.get("/api/v1/circulation-events?user_id=" + waiter.id()).bearer(reader.token()).send().expectError(403, 7);
  }

  @Test
  void holdsAndHistoryPageByTokenOverRest() {
    TestAccounts.User reader = accounts.member();
    TestAccounts.User waiter = accounts.member();
    String book = createBook("The Word for World Is Forest " + tag, leGuin, isbn13(), 1, 1972, List.of());
    rest.post("/api/v1/books/" + book + "/borrow").bearer(reader.token()).body("{}").send().expect(200);
    for (int i = 0; i < 3; i++) {
      String hold =
          rest.post("/api/v1/books/" + book + "/holds").bearer(waiter.token()).body("{}").send().expect(200)
              .path("hold").path("id").asText();
      rest.post("/api/v1/holds/" + hold + "/cancel").bearer(waiter.token()).body("{}").send().expect(200);
    }
    rest.post("/api/v1/books/" + book + "/holds").bearer(waiter.token()).body("{}").send().expect(200);

    // Four holds (three closed) and seven events (four placed, three cancelled) of the waiter.
    for (Map.Entry<String, Integer> list :
        Map.of("/api/v1/holds?includeClosed=true&pageSize=2", 4, "/api/v1/circulation-events?pageSize=2", 7)
            .entrySet()) {
      String field = list.getKey().contains("holds") ? "holds" : "events";
      List<String> byNumber = new ArrayList<>();
      for (int page = 1; (page - 1) * 2 < list.getValue(); page++) {
        rest.get(list.getKey() + "&page=" + page).bearer(waiter.token()).send().expect(200)
            .path(field).forEach(row -> byNumber.add(row.path("id").asText()));
      }
      List<String> byToken = new ArrayList<>();
      String token = "";
      do {
        JsonNode page =
            rest.get(list.getKey() + "&pageToken=" + encode(token)).bearer(waiter.token()).send().expect(200);
        assertThat(page.path("total").asInt()).isEqualTo(list.getValue());
        assertThat(page.path("totalIsLowerBound").asBoolean()).isFalse();
        page.path(field).forEach(row -> byToken.add(row.path("id").asText()));
        token = page.path("nextPageToken").asText();
      } while (!token.isEmpty());
      assertThat(byToken).as(field).hasSize(list.getValue()).containsExactlyElementsOf(byNumber);

      String next =
          rest.get(list.getKey()).bearer(waiter.token()).send().expect(200).path("nextPageToken").asText();
      String tampered = (next.charAt(0) == 'A' ? "B" : "A") + next.substring(1);
      rest.get(list.getKey() + "&pageToken=" + encode(tampered)).bearer(waiter.token()).send()
          .expectViolation("page_token");
      rest.get(list.getKey() + "&bookId=" + book + "&pageToken=" + encode(next)).bearer(waiter.token()).send()
          .expectViolation("page_token");
    }
  }

  @Test
  void everyCirculationRefusalIsInTheOpenApiDocument() {
    String document = rest.get("/openapi/book.swagger.json").send().expect(200).toString();
    for (dev.library.book.core.Refusal refusal : dev.library.book.core.Refusal.values()) {
      assertThat(document).as("reason %s documented", refusal).contains(refusal.name());
    }
  }

  private static String reasonOf(JsonNode status) {
    for (JsonNode detail : status.path("details")) {
      if ("type.googleapis.com/google.rpc.ErrorInfo".equals(detail.path("@type").asText())) {
        return detail.path("reason").asText();
      }
    }
    return "";
  }

  @Test
  void borrowReturnAndLoans() {
    TestAccounts.User reader = accounts.member();
    TestAccounts.User other = accounts.member();
    String title = "The Dispossessed " + tag;
    String book = createBook(title, leGuin, isbn13(), 2, 1974, List.of());

    rest.post("/api/v1/books/" + book + "/borrow").body("{}").send().expectError(401, 16);

    Instant before = Instant.now();
    JsonNode borrowed =
        rest.post("/api/v1/books/" + book + "/borrow").bearer(reader.token()).body("{}").send().expect(200);
    String loan = borrowed.path("transactionId").asText();
    assertThat(UUID.fromString(loan)).isNotNull();
    assertThat(borrowed.path("bookId").asText()).isEqualTo(book);
    assertThat(borrowed.path("userId").asText()).isEqualTo(reader.id());
    assertThat(borrowed.path("availableCopies").asInt()).isEqualTo(1);
    Instant due = timestamp(borrowed, "dueAt");
    assertThat(due)
        .as("due after the 14-day loan period")
        .isBetween(before.plus(Duration.ofDays(14)).minusSeconds(60), Instant.now().plus(Duration.ofDays(14)).plusSeconds(60));
    assertThat(availableCopies(book)).isEqualTo(1);

    // One active loan of a book per member.
    rest.post("/api/v1/books/" + book + "/borrow").bearer(reader.token()).body("{}").send().expectError(400, 9);
    // A member may not borrow for someone else.
    rest.post("/api/v1/books/" + book + "/borrow")
        .bearer(other.token())
        .body(Map.of("userId", reader.id()))
        .send()
        .expectError(403, 7);

    JsonNode active = loans(reader, "status=ACTIVE");
    JsonNode listed = find(active.path("loans"), loan);
    assertThat(listed).as("loan %s in %s", loan, active).isNotNull();
    assertThat(listed.path("bookId").asText()).isEqualTo(book);
    assertThat(listed.path("userId").asText()).isEqualTo(reader.id());
    assertThat(listed.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(listed.path("bookTitle").asText()).isEqualTo(title);
    // The same due time as BorrowBook answered, exactly.
    assertThat(timestamp(listed, "dueAt")).isEqualTo(due);
    assertThat(active.path("total").asInt()).isEqualTo(1);
    assertThat(find(loans(other, "status=ACTIVE").path("loans"), loan))
        .as("another member's list does not show it")
        .isNull();

    // The book cannot be deleted while a copy is out, nor shrunk below the copies out.
    rest.delete("/api/v1/books/" + book).bearer(librarian.token()).send().expectError(400, 9);
    rest.put("/api/v1/books/" + book)
        .bearer(librarian.token())
        .body(book(title, leGuin, isbn13(), 0))
        .send()
        .expectViolation("total_copies");

    // Only the borrower (or a librarian) returns it.
    rest.post("/api/v1/books/" + book + "/return")
        .bearer(other.token())
        .body(Map.of("transactionId", loan))
        .send()
        .expectError(403, 7);
    rest.post("/api/v1/books/" + book + "/return")
        .bearer(reader.token())
        .body("{}")
        .send()
        .expectViolation("transaction_id");
    rest.post("/api/v1/books/" + book + "/return")
        .bearer(reader.token())
        .body(Map.of("transactionId", UUID.randomUUID().toString()))
        .send()
        .expectError(404, 5);

    JsonNode returned =
        rest.post("/api/v1/books/" + book + "/return")
            .bearer(reader.token())
            .body(Map.of("transactionId", loan))
            .send()
            .expect(200);
    assertThat(returned.path("transactionId").asText()).isEqualTo(loan);
    assertThat(returned.path("bookId").asText()).isEqualTo(book);
    assertThat(returned.path("availableCopies").asInt()).isEqualTo(2);
    assertThat(timestamp(returned, "returnedAt")).isAfterOrEqualTo(before.minusSeconds(60));
    assertThat(availableCopies(book)).isEqualTo(2);

    // A second return of the same loan: FAILED_PRECONDITION, and no copy appears from nowhere.
    rest.post("/api/v1/books/" + book + "/return")
        .bearer(reader.token())
        .body(Map.of("transactionId", loan))
        .send()
        .expectError(400, 9);
    assertThat(availableCopies(book)).isEqualTo(2);

    assertThat(find(loans(reader, "status=ACTIVE").path("loans"), loan)).isNull();
    JsonNode returnedLoan = find(loans(reader, "status=RETURNED").path("loans"), loan);
    assertThat(returnedLoan).isNotNull();
    assertThat(returnedLoan.path("status").asText()).isEqualTo("RETURNED");
    assertThat(returnedLoan.path("returnedAt").asText()).isNotEmpty();
    // A librarian lists a member's loans by user_id.
    JsonNode forReader =
        rest.get("/api/v1/loans?user_id=" + reader.id() + "&book_id=" + book)
            .bearer(librarian.token())
            .send()
            .expect(200);
    assertThat(forReader.path("total").asInt()).isEqualTo(1);
    rest.get("/api/v1/loans?user_id=" + reader.id()).bearer(other.token()).send().expectError(403, 7);
    rest.get("/api/v1/loans?status=NOPE").bearer(reader.token()).send().expectError(400, 3);

    // The member may borrow it again; the book is deletable once every copy is back.
    JsonNode again =
        rest.post("/api/v1/books/" + book + "/borrow").bearer(reader.token()).body("{}").send().expect(200);
    rest.delete("/api/v1/books/" + book).bearer(librarian.token()).send().expectError(400, 9);
    rest.post("/api/v1/books/" + book + "/return")
        .bearer(reader.token())
        .body(Map.of("transactionId", again.path("transactionId").asText()))
        .send()
        .expect(200);
    rest.delete("/api/v1/books/" + book).bearer(librarian.token()).send().expect(200);
    rest.post("/api/v1/books/" + book + "/borrow").bearer(reader.token()).body("{}").send().expectError(404, 5);
  }

  @Test
  void theLastCopyGoesOnceAndTheNextBorrowerIsRefused() {
    String book = createBook("Parable of the Sower " + tag, butler, isbn13(), 1, 1993, List.of());
    TestAccounts.User first = accounts.member();
    TestAccounts.User second = accounts.member();
    JsonNode loan =
        rest.post("/api/v1/books/" + book + "/borrow").bearer(first.token()).body("{}").send().expect(200);
    assertThat(loan.path("availableCopies").asInt()).isZero();
    JsonNode refused =
        rest.post("/api/v1/books/" + book + "/borrow").bearer(second.token()).body("{}").send().expectError(400, 9);
    assertThat(refused.path("message").asText()).containsIgnoringCase("available");
    // A librarian lends for a member by naming them.
    rest.post("/api/v1/books/" + book + "/return")
        .bearer(first.token())
        .body(Map.of("transactionId", loan.path("transactionId").asText()))
        .send()
        .expect(200);
    JsonNode lent =
        rest.post("/api/v1/books/" + book + "/borrow")
            .bearer(librarian.token())
            .body(Map.of("userId", second.id()))
            .send()
            .expect(200);
    assertThat(lent.path("userId").asText()).isEqualTo(second.id());
    assertThat(find(loans(second, "status=ACTIVE").path("loans"), lent.path("transactionId").asText()))
        .isNotNull();
  }

  @Test
  void recommendationsComeFromTheSameAuthorThenSharedCategories() {
    String own = "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String author = createAuthor("Recommended Author " + own);
    String otherAuthor = createAuthor("Other Author " + own);
    String category = createCategory("Recommended Category " + own);
    String base = createBook("Base " + own, author, isbn13(), 1, 2001, List.of(category));
    String sameAuthor = createBook("Same author " + own, author, isbn13(), 1, 2002, List.of());
    String sameCategory = createBook("Same category " + own, otherAuthor, isbn13(), 1, 2003, List.of(category));
    // A borrowed book, so that the "most borrowed" fallback has something to offer.
    String popular = createBook("Popular " + own, otherAuthor, isbn13(), 2, 2004, List.of());
    createBook("Filler one " + own, otherAuthor, isbn13(), 1, 2005, List.of());
    createBook("Filler two " + own, otherAuthor, isbn13(), 1, 2006, List.of());
    rest.post("/api/v1/books/" + popular + "/borrow").bearer(accounts.member().token()).body("{}").send().expect(200);

    JsonNode three =
        rest.get("/api/v1/books/" + base + "/recommendations?limit=3").bearer(member.token()).send().expect(200);
    List<String> picks = ids(three);
    assertThat(picks).hasSize(3).doesNotContain(base).doesNotHaveDuplicates();
    assertThat(picks.subList(0, 2)).containsExactly(sameAuthor, sameCategory);
    for (JsonNode book : three.path("books")) {
      assertThat(book.path("author").path("name").asText()).as("author embedded in %s", book).isNotEmpty();
    }
    assertThat(three.path("books").get(1).path("categories").get(0).path("name").asText())
        .isEqualTo("Recommended Category " + own);

    JsonNode one =
        rest.get("/api/v1/books/" + base + "/recommendations?limit=1").bearer(member.token()).send().expect(200);
    assertThat(ids(one)).containsExactly(sameAuthor);
    JsonNode byDefault =
        rest.get("/api/v1/books/" + base + "/recommendations").bearer(member.token()).send().expect(200);
    assertThat(byDefault.path("books").size()).as("default limit 5").isEqualTo(5);

    rest.get("/api/v1/books/" + base + "/recommendations?limit=21").bearer(member.token()).send().expectViolation("limit");
    rest.get("/api/v1/books/" + UUID.randomUUID() + "/recommendations?limit=3")
        .bearer(member.token())
        .send()
        .expectError(404, 5);
    rest.get("/api/v1/books/" + base + "/recommendations?limit=3").send().expectError(401, 16);
  }

  /**
   * A client of the original API, unchanged: its JSON for creating a book, borrowing (naming
   * the member itself, as the original required) and returning, and the fields it read from
   * the answers (`success`, `transactionId`, `recommendations`).
   */
  @Test
  void theOriginalApisClientsBorrowReturnAndReadRecommendations() {
    String own = "O" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String author = createAuthor("Original Author " + own);
    String first = originalCreateBook("First " + own, author);
    String second = originalCreateBook("Second " + own, author);
    TestAccounts.User reader = accounts.member();

    JsonNode borrowed =
        rest.post("/api/v1/books/" + first + "/borrow")
            .bearer(reader.token())
            .body("{\"userId\": \"" + reader.id() + "\"}")
            .send()
            .expect(200);
    assertThat(borrowed.path("success").asBoolean()).as("success in %s", borrowed).isTrue();
    String transactionId = borrowed.path("transactionId").asText();
    assertThat(UUID.fromString(transactionId)).isNotNull();

    JsonNode returned =
        rest.post("/api/v1/books/" + first + "/return")
            .bearer(reader.token())
            .body(
                "{\"userId\": \"" + reader.id() + "\", \"transactionId\": \"" + transactionId + "\"}")
            .send()
            .expect(200);
    assertThat(returned.path("success").asBoolean()).as("success in %s", returned).isTrue();
    assertThat(availableCopies(first)).isEqualTo(2);

    JsonNode suggested =
        rest.get("/api/v1/books/" + first + "/recommendations?limit=3")
            .bearer(reader.token())
            .send()
            .expect(200);
    JsonNode recommendations = suggested.path("recommendations");
    assertThat(recommendations.isArray()).as("recommendations in %s", suggested).isTrue();
    assertThat(recommendations.get(0).path("id").asText()).as("same author first").isEqualTo(second);
    assertThat(recommendations.get(0).path("author").path("name").asText())
        .isEqualTo("Original Author " + own);
    assertThat(recommendations).as("the same books as `books`").isEqualTo(suggested.path("books"));

    assertThat(rest.delete("/api/v1/books/" + second).bearer(librarian.token()).send().expect(200).path("success").asBoolean())
        .isTrue();
  }

  /** CreateBook with exactly the original API's request body. */
  private static String originalCreateBook(String title, String authorId) {
    String body =
        "{\"title\": \"" + title + "\", \"authorId\": \"" + authorId + "\", \"isbn\": \""
            + isbn13() + "\", \"publicationYear\": 1965, \"publisher\": \"Chilton\","
            + " \"description\": \"\", \"totalCopies\": 2, \"categoryIds\": []}";
    return rest.post("/api/v1/books")
        .bearer(librarian.token())
        .body(body)
        .send()
        .expect(200)
        .path("book")
        .path("id")
        .asText();
  }

  @Test
  void anAuthorWithBooksCannotBeDeleted() {
    String author = createAuthor("Samuel R. Delany " + tag);
    String book = createBook("Dhalgren " + tag, author, isbn13(), 1, 1975, List.of());
    rest.delete("/api/v1/authors/" + author).bearer(librarian.token()).send().expectError(400, 9);
    rest.get("/api/v1/authors/" + author).bearer(member.token()).send().expect(200);
    rest.delete("/api/v1/books/" + book).bearer(librarian.token()).send().expect(200);
    rest.delete("/api/v1/authors/" + author).bearer(librarian.token()).send().expect(200);
    rest.get("/api/v1/authors/" + author).bearer(member.token()).send().expectError(404, 5);
  }

  @Test
  void aMemberReadsTheCatalogButCannotChangeIt() {
    String digits = isbn13();
    String book = createBook("Lilith's Brood " + tag, butler, digits, 1, 2000, List.of());
    String token = member.token();
    rest.get("/api/v1/books/" + book).bearer(token).send().expect(200);
    rest.get("/api/v1/books").bearer(token).send().expect(200);
    rest.post("/api/v1/books").bearer(token).body(book("Member book", butler, isbn13(), 1)).send().expectError(403, 7);
    rest.put("/api/v1/books/" + book).bearer(token).body(book("Renamed", butler, digits, 9)).send().expectError(403, 7);
    rest.delete("/api/v1/books/" + book).bearer(token).send().expectError(403, 7);
    rest.get("/api/v1/books").send().expectError(401, 16);
    rest.get("/api/v1/books/" + book).send().expectError(401, 16);
    JsonNode unchanged = rest.get("/api/v1/books/" + book).bearer(token).send().expect(200).path("book");
    assertThat(unchanged.path("title").asText()).isEqualTo("Lilith's Brood " + tag);
    assertThat(unchanged.path("totalCopies").asInt()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode books(String query) {
    return rest.get("/api/v1/books?" + query).bearer(member.token()).send().expect(200);
  }

  private static JsonNode loans(TestAccounts.User user, String query) {
    return rest.get("/api/v1/loans?" + query).bearer(user.token()).send().expect(200);
  }

  private static int availableCopies(String book) {
    return rest.get("/api/v1/books/" + book)
        .bearer(member.token())
        .send()
        .expect(200)
        .path("book")
        .path("availableCopies")
        .asInt();
  }

  private static JsonNode find(JsonNode loans, String id) {
    for (JsonNode loan : loans) {
      if (loan.path("id").asText().equals(id)) {
        return loan;
      }
    }
    return null;
  }

  private static Map<String, Object> book(String title, String authorId, String isbn, int copies) {
    Map<String, Object> body = new HashMap<>();
    body.put("title", title);
    body.put("authorId", authorId);
    body.put("isbn", isbn);
    body.put("totalCopies", copies);
    return body;
  }

  private static String createBook(
      String title, String authorId, String isbn, int copies, int year, List<String> categories) {
    Map<String, Object> body = book(title, authorId, isbn, copies);
    body.put("publicationYear", year);
    body.put("categoryIds", categories);
    return rest.post("/api/v1/books")
        .bearer(librarian.token())
        .body(body)
        .send()
        .expect(200)
        .path("book")
        .path("id")
        .asText();
  }

  private static String createAuthor(String name) {
    return rest.createAuthor(librarian.token(), name);
  }

  private static String createCategory(String name) {
    return rest.createCategory(librarian.token(), name);
  }

  /** A random valid ISBN-13 (978 prefix), digits only. */
  static String isbn13() {
    return Isbns.randomIsbn13(ThreadLocalRandom.current());
  }

  /** A random valid ISBN-10 whose check digit is X. */
  private static String isbn10EndingInX() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (true) {
      String isbn = Isbns.withCheckDigit10(String.format("%09d", random.nextInt(1_000_000_000)));
      if (isbn.endsWith("X")) {
        return isbn;
      }
    }
  }

  /** 9780306406157 as 978-0-3064-0615-7. */
  static String hyphenated(String isbn13) {
    return isbn13.substring(0, 3)
        + "-"
        + isbn13.charAt(3)
        + "-"
        + isbn13.substring(4, 8)
        + "-"
        + isbn13.substring(8, 12)
        + "-"
        + isbn13.charAt(12);
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("books").forEach(b -> ids.add(b.path("id").asText()));
    return ids;
  }


  private static Instant timestamp(JsonNode message, String field) {
    JsonNode value = message.path(field);
    assertThat(value.isTextual()).as("%s is an RFC 3339 string in %s", field, message).isTrue();
    return OffsetDateTime.parse(value.asText()).toInstant();
  }
}
