package dev.library.book;

import static dev.library.runtime.testing.StatusAssertions.code;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.v1.Book;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.GetBookRecommendationsRequest;
import dev.library.book.v1.ReturnBookRequest;
import dev.library.runtime.testing.TestAccounts;
import io.grpc.Status;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Same author first, then shared categories (most shared first), then the most borrowed. */
class RecommendationsTest {
  private static Library library;

  @BeforeAll
  static void start() {
    library = Library.start();
  }

  @AfterAll
  static void stop() {
    library.close();
  }

  static List<String> recommend(Book book, int limit) {
    return library
        .asMember
        .getBookRecommendations(
            GetBookRecommendationsRequest.newBuilder().setId(book.getId()).setLimit(limit).build())
        .getBooksList()
        .stream()
        .map(Book::getTitle)
        .toList();
  }

  @Test
  void sameAuthorThenSharedCategoriesThenMostBorrowed() {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    String author = library.author("Recommended " + tag);
    String other = library.author("Other " + tag);
    String space = library.category("Space " + tag);
    String robots = library.category("Robots " + tag);
    Book base = library.book("Base " + tag, author, 1, space, robots);
    library.book("Sibling " + tag, author, 1);
    library.book("Both categories " + tag, other, 1, space, robots);
    library.book("One category " + tag, other, 1, robots);
    Book popular = library.book("Popular " + tag, other, 3);
    for (int i = 0; i < 3; i++) {
      TestAccounts.User reader = library.accounts.member();
      String loan =
          library.as(reader).borrowBook(BorrowBookRequest.newBuilder().setId(popular.getId()).build()).getTransactionId();
      library.as(reader).returnBook(
          ReturnBookRequest.newBuilder().setId(popular.getId()).setTransactionId(loan).build());
    }

    List<String> picks = recommend(base, 4);
    assertThat(picks)
        .containsExactly(
            "Sibling " + tag, "Both categories " + tag, "One category " + tag, "Popular " + tag);
    assertThat(recommend(base, 20)).doesNotContain("Base " + tag).doesNotHaveDuplicates();
  }

  @Test
  void limitDefaultsToFiveAndIsCapped() {
    String author = library.author("Limits");
    Book book = library.book("Limited", author, 1);
    for (int i = 0; i < 6; i++) {
      library.book("Filler " + i, author, 1);
    }
    assertThat(recommend(book, 0)).hasSize(5);
    assertThat(
            code(
                () ->
                    library.asMember.getBookRecommendations(
                        GetBookRecommendationsRequest.newBuilder().setId(book.getId()).setLimit(21).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    library.asMember.getBookRecommendations(
                        GetBookRecommendationsRequest.newBuilder()
                            .setId(UUID.randomUUID().toString())
                            .build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }
}
