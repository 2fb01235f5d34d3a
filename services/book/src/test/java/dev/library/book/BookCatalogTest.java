package dev.library.book;

import static dev.library.runtime.testing.StatusAssertions.code;
import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.author.v1.DeleteAuthorRequest;
import dev.library.book.v1.Book;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.CountBooksByAuthorRequest;
import dev.library.book.v1.CreateBookRequest;
import dev.library.book.v1.DeleteBookRequest;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.ListBooksRequest;
import dev.library.book.v1.ReturnBookRequest;
import dev.library.book.v1.UpdateBookRequest;
import dev.library.category.v1.Category;
import dev.library.category.v1.GetItemCategoriesRequest;
import dev.library.runtime.testing.Credentials;
import dev.library.runtime.testing.LibrarySystem;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CreateBook, GetBook, UpdateBook, DeleteBook and their rules, against the real services. */
class BookCatalogTest {
  private static Library library;

  @BeforeAll
  static void start() {
    library = Library.start();
  }

  @AfterAll
  static void stop() {
    library.close();
  }

  @Test
  void createdBookEmbedsItsAuthorAndCategoriesAndLinksThem() {
    String author = library.author("Octavia E. Butler");
    String scifi = library.category("Science fiction " + UUID.randomUUID());
    String classics = library.category("Classics " + UUID.randomUUID());
    Book book =
        library
            .asLibrarian
            .createBook(
                CreateBookRequest.newBuilder()
                    .setTitle("  Kindred ")
                    .setAuthorId(author)
                    .setIsbn("978-0-306-40615-7")
                    .setPublicationYear(1979)
                    .setPublisher("Doubleday")
                    .setTotalCopies(3)
                    .addCategoryIds(scifi)
                    .addCategoryIds(classics)
                    .build())
            .getBook();
    assertThat(book.getTitle()).isEqualTo("Kindred");
    assertThat(book.getIsbn()).isEqualTo("9780306406157");
    assertThat(book.getAvailableCopies()).isEqualTo(3);
    assertThat(book.getAuthor().getName()).isEqualTo("Octavia E. Butler");
    assertThat(book.getCategoryIdsList()).containsExactly(scifi, classics);
    // The link was applied before CreateBook returned (the Category service is up).
    assertThat(book.getCategoriesList()).extracting(Category::getId).containsExactlyInAnyOrder(scifi, classics);
    assertThat(
            library
                .categories
                .getItemCategories(
                    GetItemCategoriesRequest.newBuilder()
                        .setItemId(book.getId())
                        .setItemType("book")
                        .build())
                .getCategoriesList())
        .extracting(Category::getId)
        .containsExactlyInAnyOrder(scifi, classics);

    Book read = library.asMember.getBook(GetBookRequest.newBuilder().setId(book.getId()).build()).getBook();
    assertThat(read).isEqualTo(book);
  }

  @Test
  void isbnIsNormalisedCheckedAndUnique() {
    String author = library.author("ISBN tester");
    Book tenDigits =
        library
            .asLibrarian
            .createBook(library.bookRequest("Ten", author, 1).setIsbn("0-8044-2957-x").build())
            .getBook();
    assertThat(tenDigits.getIsbn()).isEqualTo("080442957X");
    StatusRuntimeException duplicate =
        failure(
            () ->
                library.asLibrarian.createBook(
                    library.bookRequest("Again", author, 1).setIsbn("080442957X").build()));
    assertThat(duplicate.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    for (String bad : new String[] {"9780306406158", "12345", "080442957Y", "abcdefghij"}) {
      StatusRuntimeException error =
          failure(
              () ->
                  library.asLibrarian.createBook(
                      library.bookRequest("Bad", author, 1).setIsbn(bad).build()));
      assertThat(violatedFields(error)).as(bad).containsExactly("isbn");
    }
  }

  @Test
  void everyRuleNamesItsField() {
    String author = library.author("Rules");
    StatusRuntimeException error =
        failure(
            () ->
                library.asLibrarian.createBook(
                    CreateBookRequest.newBuilder()
                        .setTitle(" ")
                        .setAuthorId("not-a-uuid")
                        .setIsbn("")
                        .setPublicationYear(3000)
                        .setPublisher("p".repeat(201))
                        .setDescription("d".repeat(2001))
                        .setTotalCopies(0)
                        .addCategoryIds("nope")
                        .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violatedFields(error))
        .containsExactlyInAnyOrder(
            "title",
            "author_id",
            "isbn",
            "publication_year",
            "publisher",
            "description",
            "total_copies",
            "category_ids[0]");
    assertThat(
            violatedFields(
                failure(
                    () ->
                        library.asLibrarian.createBook(
                            library.bookRequest("Many", author, 10_001).build()))))
        .containsExactly("total_copies");
  }

  @Test
  void unknownAuthorOrCategoryIsRefusedAndNothingIsCreated() {
    String author = library.author("Known");
    String title = "Phantom " + UUID.randomUUID();
    String ghostAuthor = UUID.randomUUID().toString();
    StatusRuntimeException noAuthor =
        failure(() -> library.asLibrarian.createBook(library.bookRequest(title, ghostAuthor, 1).build()));
    assertThat(violatedFields(noAuthor)).containsExactly("author_id");
    assertThat(noAuthor.getStatus().getDescription()).contains(ghostAuthor);

    String real = library.category("Real " + UUID.randomUUID());
    String ghostCategory = UUID.randomUUID().toString();
    StatusRuntimeException noCategory =
        failure(
            () ->
                library.asLibrarian.createBook(
                    library.bookRequest(title, author, 1, real, ghostCategory).build()));
    assertThat(violatedFields(noCategory)).containsExactly("category_ids[1]");
    assertThat(noCategory.getStatus().getDescription()).contains(ghostCategory);

    assertThat(
            library.asMember.listBooks(ListBooksRequest.newBuilder().setTitleQuery(title).build()).getTotal())
        .isZero();
  }

  @Test
  void catalogWritesNeedALibrarian() {
    String author = library.author("Guarded author");
    assertThat(code(() -> library.asMember.createBook(library.bookRequest("X", author, 1).build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> library.anonymous.createBook(library.bookRequest("X", author, 1).build())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    Book book = library.book("Guarded", author, 1);
    assertThat(code(() -> library.asMember.deleteBook(DeleteBookRequest.newBuilder().setId(book.getId()).build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(
            code(
                () ->
                    library.asMember.updateBook(
                        UpdateBookRequest.newBuilder()
                            .setId(book.getId())
                            .setTitle("Y")
                            .setAuthorId(author)
                            .setIsbn(book.getIsbn())
                            .setTotalCopies(1)
                            .build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void getNeedsAUuidOfAnExistingBook() {
    assertThat(violatedFields(failure(() -> library.asMember.getBook(GetBookRequest.newBuilder().setId("7").build()))))
        .containsExactly("id");
    assertThat(
            code(
                () ->
                    library.asMember.getBook(
                        GetBookRequest.newBuilder().setId(UUID.randomUUID().toString()).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void updateKeepsAvailableEqualToTotalMinusLoans() {
    String author = library.author("Updater");
    String before = library.category("Before " + UUID.randomUUID());
    String after = library.category("After " + UUID.randomUUID());
    Book book = library.book("Copies", author, 3, before);
    library.asMember.borrowBook(BorrowBookRequest.newBuilder().setId(book.getId()).build());
    library.as(library.accounts.member()).borrowBook(BorrowBookRequest.newBuilder().setId(book.getId()).build());

    UpdateBookRequest.Builder update =
        UpdateBookRequest.newBuilder()
            .setId(book.getId())
            .setTitle("Copies, revised")
            .setAuthorId(author)
            .setIsbn(book.getIsbn())
            .addCategoryIds(after);
    Book grown = library.asLibrarian.updateBook(update.setTotalCopies(5).build()).getBook();
    assertThat(grown.getAvailableCopies()).isEqualTo(3);
    assertThat(grown.getCategoriesList()).extracting(Category::getId).containsExactly(after);
    Book shrunk = library.asLibrarian.updateBook(update.setTotalCopies(2).build()).getBook();
    assertThat(shrunk.getAvailableCopies()).isZero();
    StatusRuntimeException tooFew =
        failure(() -> library.asLibrarian.updateBook(update.setTotalCopies(1).build()));
    assertThat(tooFew.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(
            library.asMember.getBook(GetBookRequest.newBuilder().setId(book.getId()).build()).getBook().getTotalCopies())
        .isEqualTo(2);

    assertThat(
            code(
                () ->
                    library.asLibrarian.updateBook(
                        update.setId(UUID.randomUUID().toString()).setIsbn(Library.freshIsbn()).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void deleteWaitsForLoansAndRemovesTheLinks() {
    String author = library.author("Deleter");
    String category = library.category("Doomed " + UUID.randomUUID());
    Book book = library.book("Short-lived", author, 1, category);
    String loan =
        library
            .asMember
            .borrowBook(BorrowBookRequest.newBuilder().setId(book.getId()).build())
            .getTransactionId();
    assertThat(code(() -> library.asLibrarian.deleteBook(DeleteBookRequest.newBuilder().setId(book.getId()).build())))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    library.asMember.returnBook(
        ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan).build());
    library.asLibrarian.deleteBook(DeleteBookRequest.newBuilder().setId(book.getId()).build());
    assertThat(code(() -> library.asMember.getBook(GetBookRequest.newBuilder().setId(book.getId()).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            library
                .categories
                .getItemCategories(
                    GetItemCategoriesRequest.newBuilder().setItemId(book.getId()).setItemType("book").build())
                .getCategoriesList())
        .isEmpty();
    assertThat(code(() -> library.asLibrarian.deleteBook(DeleteBookRequest.newBuilder().setId(book.getId()).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void anAuthorWithBooksCannotBeDeleted() {
    String author = library.author("Prolific");
    Book book = library.book("Still here", author, 1);
    StatusRuntimeException refused =
        failure(() -> library.authors.deleteAuthor(DeleteAuthorRequest.newBuilder().setId(author).build()));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    library.asLibrarian.deleteBook(DeleteBookRequest.newBuilder().setId(book.getId()).build());
    library.authors.deleteAuthor(DeleteAuthorRequest.newBuilder().setId(author).build());
  }

  @Test
  void countBooksByAuthorIsInternal() {
    String author = library.author("Counted");
    library.book("One", author, 1);
    library.book("Two", author, 1);
    CountBooksByAuthorRequest request = CountBooksByAuthorRequest.newBuilder().setAuthorId(author).build();
    assertThat(code(() -> library.asLibrarian.countBooksByAuthor(request))).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(
            library
                .anonymous
                .withCallCredentials(Credentials.serverKey(LibrarySystem.SERVER_KEY))
                .countBooksByAuthor(request)
                .getCount())
        .isEqualTo(2);
  }
}
