package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.runtime.testing.TestAccounts;
import dev.library.runtime.testing.process.LibraryProcess;
import dev.library.testing.Rest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the fault tests share: a small library made over REST (a librarian, an author, books with
 * plenty of copies, members), and the check that what clients were told is in the database.
 */
final class FaultFixture {
  private FaultFixture() {}

  record Library(TestAccounts.User librarian, String authorId, List<String> books, List<TestAccounts.User> members) {}

  static Library library(Rest rest, TestAccounts accounts, int books, int copies, int members) {
    TestAccounts.User librarian = accounts.librarian();
    String author = rest.createAuthor(librarian.token(), "Ursula K. Le Guin");
    List<String> bookIds = new ArrayList<>();
    for (int i = 0; i < books; i++) {
      bookIds.add(
          rest.post("/api/v1/books")
              .bearer(librarian.token())
              .body(
                  Map.of(
                      "title", "A Wizard of Earthsea, copy set " + i,
                      "authorId", author,
                      "isbn", BooksRestTest.isbn13(),
                      "totalCopies", copies))
              .send()
              .expect(200)
              .path("book")
              .path("id")
              .asText());
    }
    List<TestAccounts.User> readers = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      readers.add(accounts.member());
    }
    return new Library(librarian, author, bookIds, readers);
  }

  /**
   * Every borrow a client was answered 200 for is a loan in the book database, every return it
   * was answered 200 for is returned, and every book's count of available copies is its total
   * minus its active loans.
   */
  static void assertNothingAcknowledgedLost(LibraryProcess process, BorrowReturnLoad load)
      throws SQLException {
    Map<String, Boolean> loans = new HashMap<>();
    try (Connection books = process.database().connect("library_book")) {
      try (ResultSet rows =
          books.createStatement().executeQuery("SELECT id, returned_at IS NOT NULL FROM loans")) {
        while (rows.next()) {
          loans.put(rows.getString(1), rows.getBoolean(2));
        }
      }
      try (ResultSet rows =
          books
              .createStatement()
              .executeQuery(
                  "SELECT count(*) FROM books b WHERE available_copies <> total_copies - "
                      + "(SELECT count(*) FROM loans l WHERE l.book_id = b.id AND l.returned_at IS NULL)")) {
        rows.next();
        assertThat(rows.getInt(1)).as("books whose available copies are not total - active loans").isZero();
      }
    }
    Set<String> borrowed = load.acknowledgedBorrows();
    Set<String> returned = load.acknowledgedReturns();
    assertThat(borrowed).as("acknowledged borrows").isNotEmpty();
    assertThat(loans.keySet()).as("loans in the database").containsAll(borrowed);
    List<String> notReturned = returned.stream().filter(id -> !Boolean.TRUE.equals(loans.get(id))).toList();
    assertThat(notReturned).as("acknowledged returns not returned in the database").isEmpty();
  }
}
