package dev.library.book;

import static org.awaitility.Awaitility.await;
import org.awaitility.core.ThrowingRunnable;
import dev.library.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.CreateBookRequest;
import dev.library.book.v1.DeleteBookRequest;
import dev.library.book.v1.UpdateBookRequest;
import dev.library.category.v1.Category;
import dev.library.category.v1.CategoryServiceGrpc;
import dev.library.category.v1.CreateCategoryRequest;
import dev.library.category.v1.GetItemCategoriesRequest;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Category service runs in a process of its own, which the test stops and starts again:
 * book writes made while it is down succeed, and their category links arrive once it is back,
 * exactly once.
 */
class CategoryOutageTest {
  private static LibrarySystem library;
  private static LibrarySystem categoryProcess;
  private static BookServiceGrpc.BookServiceBlockingStub books;
  private static TestAccounts.User librarian;
  private static String author;

  @BeforeAll
  static void start() {
    int categoryPort = FreePorts.next();
    library =
        LibrarySystem.start(
            "auth,author,book", Map.of("services.category.address", "localhost:" + categoryPort));
    categoryProcess =
        LibrarySystem.start(
            "category",
            Map.of(
                "services.category.grpcPort", "" + categoryPort,
                "security.jwksUrl",
                    "http://localhost:" + library.httpPort() + "/.well-known/jwks.json"));
    librarian = new TestAccounts(library).librarian();
    books = BookServiceGrpc.newBlockingStub(library.channel("book")).withCallCredentials(librarian.credentials());
    author =
        dev.library.author.v1.AuthorServiceGrpc.newBlockingStub(library.channel("author"))
            .withCallCredentials(librarian.credentials())
            .createAuthor(dev.library.author.v1.CreateAuthorRequest.newBuilder().setName("Outage author").build())
            .getAuthor()
            .getId();
  }

  @AfterAll
  static void stop() {
    categoryProcess.close();
    library.close();
  }

  static CategoryServiceGrpc.CategoryServiceBlockingStub categories() {
    return CategoryServiceGrpc.newBlockingStub(categoryProcess.channel("category"))
        .withCallCredentials(librarian.credentials());
  }

  static List<String> linksOf(Book book) {
    return categories()
        .getItemCategories(
            GetItemCategoriesRequest.newBuilder().setItemId(book.getId()).setItemType("book").build())
        .getCategoriesList()
        .stream()
        .map(Category::getId)
        .toList();
  }

  @Test
  void writesDuringAnOutageAreLinkedWhenTheServiceReturns() {
    String poetry = categories().createCategory(CreateCategoryRequest.newBuilder().setName("Poetry").build()).getCategory().getId();
    String drama = categories().createCategory(CreateCategoryRequest.newBuilder().setName("Drama").build()).getCategory().getId();
    Book kept = create("Kept while down", poetry);
    Book changed = create("Changed while down", poetry);
    Book deleted = create("Deleted while down", drama);
    assertThat(linksOf(kept)).containsExactly(poetry);

    categoryProcess.stop();

    Book created = create("Created while down", poetry, drama);
    assertThat(created.getCategoryIdsList()).containsExactly(poetry, drama);
    books.updateBook(
        UpdateBookRequest.newBuilder()
            .setId(changed.getId())
            .setTitle(changed.getTitle())
            .setAuthorId(author)
            .setIsbn(changed.getIsbn())
            .setTotalCopies(1)
            .addCategoryIds(drama)
            .build());
    books.deleteBook(DeleteBookRequest.newBuilder().setId(deleted.getId()).build());

    categoryProcess.restart();

    // The relay delivers in the background, retrying with backoff; wait for its result, bounded.
    relayDelivers("the created book's links", () -> assertThat(linksOf(created)).containsExactlyInAnyOrder(poetry, drama));
    relayDelivers("the changed book's links", () -> assertThat(linksOf(changed)).containsExactly(drama));
    relayDelivers("the deleted book's unlinking", () -> assertThat(linksOf(deleted)).isEmpty());
    assertThat(linksOf(kept)).containsExactly(poetry);
  }

  private static Book create(String title, String... categoryIds) {
    return books
        .createBook(
            CreateBookRequest.newBuilder()
                .setTitle(title)
                .setAuthorId(author)
                .setIsbn(Library.freshIsbn())
                .setTotalCopies(1)
                .addAllCategoryIds(List.of(categoryIds))
                .build())
        .getBook();
  }

  private static void relayDelivers(String what, ThrowingRunnable assertion) {
    await().atMost(Duration.ofSeconds(20)).alias("the outbox relay to deliver " + what)
        .untilAsserted(assertion);
  }

}
