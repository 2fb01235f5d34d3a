package dev.library.book;

import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.book.v1.Book;
import dev.library.book.v1.BookSortField;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.CreateBookRequest;
import dev.library.book.v1.ListBooksRequest;
import dev.library.book.v1.ListBooksResponse;
import dev.library.book.v1.ListLoansRequest;
import dev.library.testing.Rest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ListBooks: every filter, every sort, paging, and the number of downstream calls a page costs.
 * Each test tags its books with a unique word so tests do not see each other's books.
 */
class ListBooksTest {
  private static Library library;

  @BeforeAll
  static void start() {
    library = Library.start();
  }

  @AfterAll
  static void stop() {
    library.close();
  }

  static String tag() {
    return "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  static List<String> titles(ListBooksRequest request) {
    return library.asMember.listBooks(request).getBooksList().stream().map(Book::getTitle).toList();
  }

  static Book create(String title, String author, int year, String publisher, String... categories) {
    return library
        .asLibrarian
        .createBook(
            library
                .bookRequest(title, author, 2, categories)
                .setPublicationYear(year)
                .setPublisher(publisher)
                .build())
        .getBook();
  }

  @Test
  void filtersCombine() {
    String tag = tag();
    String tolkien = library.author("J. R. R. Tolkien " + tag);
    String pratchett = library.author("Terry Pratchett " + tag);
    String fantasy = library.category("Fantasy " + tag);
    String humour = library.category("Humour " + tag);
    Book hobbit = create("The Hobbit " + tag, tolkien, 1937, "Allen & Unwin", fantasy);
    create("The Silmarillion " + tag, tolkien, 1977, "Allen & Unwin", fantasy);
    Book colour = create("The Colour of Magic " + tag, pratchett, 1983, "Colin Smythe", fantasy, humour);
    create("Good Omens " + tag, pratchett, 1990, "Gollancz", humour);

    ListBooksRequest base = ListBooksRequest.newBuilder().setTitleQuery(tag).setSortBy(BookSortField.TITLE).build();
    assertThat(library.asMember.listBooks(base).getTotal()).isEqualTo(4);
    assertThat(titles(base.toBuilder().setAuthorQuery("PRATCHETT " + tag).build()))
        .containsExactly("Good Omens " + tag, "The Colour of Magic " + tag);
    assertThat(titles(base.toBuilder().setAuthorQuery("nobody-" + tag).build())).isEmpty();
    assertThat(titles(base.toBuilder().addCategoryIds(humour).build()))
        .containsExactly("Good Omens " + tag, "The Colour of Magic " + tag);
    assertThat(titles(base.toBuilder().addCategoryIds(humour).addCategoryIds(fantasy).build())).hasSize(4);
    assertThat(titles(base.toBuilder().setPublicationYearStart(1950).setPublicationYearEnd(1985).build()))
        .containsExactly("The Colour of Magic " + tag, "The Silmarillion " + tag);
    assertThat(titles(base.toBuilder().setPublisherQuery("unwin").build()))
        .containsExactly("The Hobbit " + tag, "The Silmarillion " + tag);
    String isbnPart = colour.getIsbn().substring(5, 11);
    assertThat(titles(base.toBuilder().setIsbnQuery(isbnPart.substring(0, 3) + "-" + isbnPart.substring(3)).build()))
        .contains("The Colour of Magic " + tag);

    library.asMember.borrowBook(BorrowBookRequest.newBuilder().setId(hobbit.getId()).build());
    library.as(library.accounts.member()).borrowBook(BorrowBookRequest.newBuilder().setId(hobbit.getId()).build());
    assertThat(titles(base.toBuilder().setAvailableOnly(true).build())).doesNotContain("The Hobbit " + tag).hasSize(3);
  }

  @Test
  void everySortOrderBothWays() {
    String tag = tag();
    String zed = library.author("Zed " + tag);
    String amy = library.author("amy " + tag);
    create("b " + tag, zed, 2000, "");
    create("C " + tag, amy, 1990, "");
    create("a " + tag, zed, 2010, "");
    ListBooksRequest base = ListBooksRequest.newBuilder().setTitleQuery(tag).build();
    assertThat(titles(base)).containsExactly("b " + tag, "C " + tag, "a " + tag);
    assertThat(titles(base.toBuilder().setSortDesc(true).build())).containsExactly("a " + tag, "C " + tag, "b " + tag);
    assertThat(titles(base.toBuilder().setSortBy(BookSortField.TITLE).build()))
        .containsExactly("a " + tag, "b " + tag, "C " + tag);
    assertThat(titles(base.toBuilder().setSortBy(BookSortField.TITLE).setSortDesc(true).build()))
        .containsExactly("C " + tag, "b " + tag, "a " + tag);
    assertThat(titles(base.toBuilder().setSortBy(BookSortField.PUBLICATION_YEAR).build()))
        .containsExactly("C " + tag, "b " + tag, "a " + tag);
    List<String> byAuthor = titles(base.toBuilder().setSortBy(BookSortField.AUTHOR).build());
    assertThat(byAuthor.get(0)).isEqualTo("C " + tag);
    assertThat(titles(base.toBuilder().setSortBy(BookSortField.AUTHOR).setSortDesc(true).build()).get(2))
        .isEqualTo("C " + tag);
  }

  @Test
  void pagesCarryTotalsAndBadInputIsNamed() {
    String tag = tag();
    String author = library.author("Pager " + tag);
    for (int i = 0; i < 7; i++) {
      create("Page " + i + " " + tag, author, 2000 + i, "");
    }
    ListBooksResponse third =
        library.asMember.listBooks(
            ListBooksRequest.newBuilder()
                .setTitleQuery(tag)
                .setSortBy(BookSortField.PUBLICATION_YEAR)
                .setPageSize(3)
                .setPage(3)
                .build());
    assertThat(third.getTotal()).isEqualTo(7);
    assertThat(third.getBooksList()).extracting(Book::getTitle).containsExactly("Page 6 " + tag);
    assertThat(
            violatedFields(
                failure(
                    () ->
                        library.asMember.listBooks(
                            ListBooksRequest.newBuilder()
                                .setPageSize(500)
                                .addCategoryIds("nope")
                                .setPublicationYearStart(2000)
                                .setPublicationYearEnd(1990)
                                .setSortByValue(42)
                                .build()))))
        .containsExactlyInAnyOrder("page_size", "category_ids[0]", "publication_year_start", "sort_by");
  }

  /** The ids of every page, walked by page number (page_size 4). */
  static List<String> idsByPageNumber(ListBooksRequest request) {
    List<String> ids = new ArrayList<>();
    for (int page = 1; ; page++) {
      ListBooksResponse response = library.asMember.listBooks(request.toBuilder().setPage(page).build());
      response.getBooksList().forEach(b -> ids.add(b.getId()));
      if (response.getBooksCount() < request.getPageSize()) {
        return ids;
      }
    }
  }

  /** The ids of every page, walked by next_page_token from the first page. */
  static List<String> idsByToken(ListBooksRequest request, int expectedTotal) {
    List<String> ids = new ArrayList<>();
    String token = "";
    do {
      ListBooksResponse response =
          library.asMember.listBooks(request.toBuilder().setPageToken(token).build());
      assertThat(response.getTotal()).isEqualTo(expectedTotal);
      assertThat(response.getTotalIsLowerBound()).isFalse();
      response.getBooksList().forEach(b -> ids.add(b.getId()));
      token = response.getNextPageToken();
    } while (!token.isEmpty());
    return ids;
  }

  @Test
  void pageTokensWalkTheSameBooksAsPageNumbersInEveryOrder() {
    String tag = tag();
    List<String> authors =
        List.of(library.author("Same Name " + tag), library.author("Same Name " + tag), library.author("Other " + tag));
    for (int i = 0; i < 13; i++) {
      // Pairs of equal titles, three years, authors of equal names: ties everywhere but in the id.
      create("Same " + (i / 2) + " " + tag, authors.get(i % 3), 2000 + i % 3, "");
    }
    for (BookSortField sort :
        List.of(BookSortField.CREATED_AT, BookSortField.TITLE, BookSortField.AUTHOR, BookSortField.PUBLICATION_YEAR)) {
      for (boolean descending : new boolean[] {false, true}) {
        ListBooksRequest request =
            ListBooksRequest.newBuilder()
                .setTitleQuery(tag)
                .setSortBy(sort)
                .setSortDesc(descending)
                .setPageSize(4)
                .build();
        List<String> byNumber = idsByPageNumber(request);
        assertThat(byNumber).hasSize(13).doesNotHaveDuplicates();
        assertThat(idsByToken(request, 13)).as("%s desc=%s", sort, descending).containsExactlyElementsOf(byNumber);
        // Without a selective filter the page comes from the sort index itself (another plan).
        ListBooksRequest unfiltered =
            request.toBuilder().clearTitleQuery().setPublicationYearStart(2000).setPublicationYearEnd(2002).build();
        List<String> all = idsByPageNumber(unfiltered);
        assertThat(idsByToken(unfiltered, all.size())).containsExactlyElementsOf(all);
      }
    }
  }

  @Test
  void aPageByTokenIsNotShiftedByBooksAddedBeforeIt() {
    String tag = tag();
    String author = library.author("Shift " + tag);
    for (String title : List.of("b1", "b2", "b3", "b4", "b5")) {
      create(title + " " + tag, author, 2000, "");
    }
    ListBooksRequest request =
        ListBooksRequest.newBuilder().setTitleQuery(tag).setSortBy(BookSortField.TITLE).setPageSize(2).build();
    ListBooksResponse first = library.asMember.listBooks(request);
    assertThat(first.getBooksList()).extracting(Book::getTitle).containsExactly("b1 " + tag, "b2 " + tag);
    create("a0 " + tag, author, 2000, "");
    ListBooksResponse second =
        library.asMember.listBooks(request.toBuilder().setPageToken(first.getNextPageToken()).build());
    assertThat(second.getBooksList()).extracting(Book::getTitle).containsExactly("b3 " + tag, "b4 " + tag);
    assertThat(second.getPage()).isEqualTo(2);
    // By number the same page moved: the new book pushed b2 onto it.
    assertThat(titles(request.toBuilder().setPage(2).build())).containsExactly("b2 " + tag, "b3 " + tag);
  }

  @Test
  void aTamperedOrForeignTokenIsInvalid() {
    String tag = tag();
    String author = library.author("Tokens " + tag);
    for (int i = 0; i < 3; i++) {
      create("Token " + i + " " + tag, author, 2000, "");
    }
    ListBooksRequest request =
        ListBooksRequest.newBuilder().setTitleQuery(tag).setSortBy(BookSortField.TITLE).setPageSize(1).build();
    String token = library.asMember.listBooks(request).getNextPageToken();
    assertThat(token).isNotEmpty();
    // Another page size is fine: the token holds a position, not a page number.
    assertThat(titles(request.toBuilder().setPageToken(token).setPageSize(5).build()))
        .containsExactly("Token 1 " + tag, "Token 2 " + tag);

    char last = token.charAt(token.length() - 1);
    String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    String flippedInside = token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);
    for (ListBooksRequest bad :
        List.of(
            request.toBuilder().setPageToken(tampered).build(),
            request.toBuilder().setPageToken(flippedInside).build(),
            request.toBuilder().setPageToken("not-a-token").build(),
            request.toBuilder().setPageToken(token).setTitleQuery("Token " + tag).build(),
            request.toBuilder().setPageToken(token).setSortDesc(true).build(),
            request.toBuilder().setPageToken(token).setSortBy(BookSortField.AUTHOR).build())) {
      assertThat(violatedFields(failure(() -> library.asMember.listBooks(bad)))).containsExactly("page_token");
    }
    assertThat(violatedFields(failure(() -> library.asMember.listBooks(request.toBuilder().setPageToken(token).setPage(3).build()))))
        .containsExactly("page");
    // A ListLoans token is not a ListBooks token, and the other way round.
    assertThat(
            violatedFields(
                failure(
                    () ->
                        library.asMember.listLoans(
                            ListLoansRequest.newBuilder().setPageToken(token).build()))))
        .containsExactly("page_token");
  }

  @Test
  void rankedSearchWeighsTheFieldsAndForgivesMisspellings() {
    String tag = tag();
    String leGuin = library.author("Ursula Le Guin " + tag);
    String other = library.author("Someone Else " + tag);
    Book wizard = create("A Wizard of Earthsea " + tag, leGuin, 1968, "Parnassus");
    Book press = create("Collected Tales " + tag, other, 1990, "Earthsea Press");
    Book shore =
        library
            .asLibrarian
            .createBook(
                library
                    .bookRequest("The Farthest Shore " + tag, other, 1, new String[0])
                    .setDescription("The third book of Earthsea, where magic fades.")
                    .build())
            .getBook();
    create("Unrelated " + tag, other, 2000, "");

    ListBooksRequest within = ListBooksRequest.newBuilder().setTitleQuery(tag).build();
    // Title (weight A) before publisher (C) before description (D); relevance is the default order.
    assertThat(titles(within.toBuilder().setQuery("earthsea").build()))
        .containsExactly(wizard.getTitle(), press.getTitle(), shore.getTitle());
    assertThat(titles(within.toBuilder().setQuery("earthsae").build())).first().isEqualTo(wizard.getTitle());
    assertThat(titles(within.toBuilder().setQuery("le guin").build())).containsExactly(wizard.getTitle());
    assertThat(titles(within.toBuilder().setQuery("parnassus").build())).containsExactly(wizard.getTitle());
    assertThat(titles(within.toBuilder().setQuery(shore.getIsbn()).build())).containsExactly(shore.getTitle());
    assertThat(titles(within.toBuilder().setQuery("fading magic").build())).containsExactly(shore.getTitle());
    // Combined with other filters and another order.
    assertThat(
            titles(
                within.toBuilder()
                    .setQuery("earthsea")
                    .setPublicationYearStart(1980)
                    .setSortBy(BookSortField.TITLE)
                    .build()))
        .containsExactly(press.getTitle(), shore.getTitle());
    // Pages of a ranked search by token are the pages by number.
    ListBooksRequest ranked = within.toBuilder().setQuery("earthsea").setPageSize(1).build();
    assertThat(idsByToken(ranked, 3)).containsExactlyElementsOf(idsByPageNumber(ranked));

    assertThat(
            violatedFields(
                failure(
                    () ->
                        library.asMember.listBooks(
                            within.toBuilder().setSortBy(BookSortField.RELEVANCE).setFacetLimit(51).build()))))
        .containsExactlyInAnyOrder("sort_by", "facet_limit");
  }

  @Test
  void facetsCountEveryMatchNotOnlyThePage() throws Exception {
    String tag = tag();
    String author = library.author("Facets " + tag);
    String poetry = library.category("Poetry " + tag);
    String drama = library.category("Drama " + tag);
    String essays = library.category("Essays " + tag);
    create("F1 " + tag, author, 1961, "", poetry, drama);
    create("F2 " + tag, author, 1965, "", poetry);
    create("F3 " + tag, author, 1972, "", poetry, essays);
    create("F4 " + tag, author, 1999, "", drama);
    create("F5 " + tag, author, 0, "");
    ListBooksRequest request =
        ListBooksRequest.newBuilder().setQuery(tag).setPageSize(1).setFacetLimit(2).build();
    ListBooksResponse response = library.asMember.listBooks(request);
    assertThat(response.getBooksCount()).isEqualTo(1);
    assertThat(response.getTotal()).isEqualTo(5);
    assertThat(response.getCategoryFacetsList())
        .extracting(f -> f.getCategory().getName(), f -> f.getCount())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Poetry " + tag, 3),
            org.assertj.core.groups.Tuple.tuple("Drama " + tag, 2));
    assertThat(response.getDecadeFacetsList())
        .extracting(f -> f.getDecade(), f -> f.getCount())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1960, 2), org.assertj.core.groups.Tuple.tuple(1970, 1));
    assertThat(library.asMember.listBooks(request.toBuilder().setFacetLimit(0).build()).getCategoryFacetsCount())
        .isZero();
    // Facets cost one more call (the categories' names), whatever the page size and facet count.
    long small = downstreamCallsOf(() -> library.asMember.listBooks(request.toBuilder().setPageSize(1).build()));
    long large =
        downstreamCallsOf(() -> library.asMember.listBooks(request.toBuilder().setPageSize(50).setFacetLimit(50).build()));
    assertThat(small).isEqualTo(3); // BatchGetAuthors, BatchGetItemCategories, BatchGetCategories
    assertThat(large).isEqualTo(small);
  }

  @Test
  void aPageCostsTheSameDownstreamCallsWhateverItsSize() throws Exception {
    String tag = tag();
    String category = library.category("Fan-out " + tag);
    for (int i = 0; i < 50; i++) {
      // Fifty books by fifty authors: per-book calls would show at once.
      String author = library.author("Fan-out author " + i + " " + tag);
      library
          .asLibrarian
          .createBook(
              CreateBookRequest.newBuilder()
                  .setTitle("Fan-out " + i + " " + tag)
                  .setAuthorId(author)
                  .setIsbn(Library.freshIsbn())
                  .setTotalCopies(1)
                  .addCategoryIds(category)
                  .build());
    }
    ListBooksRequest request =
        ListBooksRequest.newBuilder().setTitleQuery(tag).setAuthorQuery("Fan-out author").build();
    long small = downstreamCallsOf(() -> library.asMember.listBooks(request.toBuilder().setPageSize(5).build()));
    long large = downstreamCallsOf(() -> library.asMember.listBooks(request.toBuilder().setPageSize(50).build()));
    assertThat(library.asMember.listBooks(request.toBuilder().setPageSize(50).build()).getBooksCount()).isEqualTo(50);
    assertThat(small).isEqualTo(3); // SearchAuthorIds, BatchGetAuthors, BatchGetItemCategories
    assertThat(large).isEqualTo(small);
  }

  private static long downstreamCallsOf(Runnable call) throws Exception {
    long before = downstreamCalls();
    call.run();
    return downstreamCalls() - before;
  }

  /** Calls from the Book service to others, from the process's metrics on the admin port. */
  private static long downstreamCalls() throws Exception {
    JsonNode meters = new Rest(library.system.adminPort()).get("/metrics").send().expect(200).path("meters");
    long total = 0;
    for (var names = meters.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      // Only the Book service's calls: the test's own setup calls go to these services directly.
      if (name.startsWith("downstream.library.author.") || name.startsWith("downstream.library.category.")) {
        total += meters.get(name).path("count").asLong();
      }
    }
    return total;
  }
}
