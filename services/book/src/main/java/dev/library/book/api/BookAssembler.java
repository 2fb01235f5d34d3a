package dev.library.book.api;

import static dev.library.runtime.grpc.Replies.timestamp;

import dev.library.author.v1.Author;
import dev.library.book.client.AuthorDirectory;
import dev.library.book.client.CategoryDirectory;
import dev.library.book.core.AuthorNames;
import dev.library.book.db.BookDao;
import dev.library.book.db.BookRow;
import dev.library.book.v1.Book;
import dev.library.book.v1.CategoryFacet;
import dev.library.book.v1.DecadeFacet;
import dev.library.book.v1.ListBooksResponse;
import dev.library.category.v1.Category;
import dev.library.runtime.errors.DomainException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns book rows into API books with their author and categories embedded, for any number of
 * books with two calls: one BatchGetAuthors and one BatchGetItemCategories (never one per book).
 * A read that sees an author renamed since the books were written leaves a note for {@link
 * AuthorNames}; it never writes.
 */
final class BookAssembler {
  private final AuthorDirectory authors;
  private final CategoryDirectory categories;
  private final AuthorNames authorNames;

  BookAssembler(AuthorDirectory authors, CategoryDirectory categories, AuthorNames authorNames) {
    this.authors = authors;
    this.categories = categories;
    this.authorNames = authorNames;
  }

  /**
   * For reads: a service that cannot be reached fails the call (UNAVAILABLE), as documented.
   */
  List<Book> read(List<BookRow> rows) {
    return assemble(rows, true);
  }

  /**
   * For the answer to a write that is already committed: what cannot be fetched is left out
   * rather than reporting a failure for a change that happened.
   */
  Book written(BookRow row) {
    return assemble(List.of(row), false).get(0);
  }

  /**
   * Adds ListBooks facets, the categories embedded with one BatchGetCategories call whatever the
   * facet limit; a category deleted since is left out.
   */
  void addFacets(BookDao.Facets facets, ListBooksResponse.Builder out) {
    Set<UUID> ids = new LinkedHashSet<>();
    facets.categories().forEach(c -> ids.add(c.key()));
    Map<UUID, Category> byId = ids.isEmpty() ? Map.of() : fetch(() -> categories.categories(ids), true);
    for (BookDao.Facets.Count<UUID> count : facets.categories()) {
      Category category = byId.get(count.key());
      if (category != null) {
        out.addCategoryFacets(CategoryFacet.newBuilder().setCategory(category).setCount(count.count()));
      }
    }
    facets
        .decades()
        .forEach(d -> out.addDecadeFacets(DecadeFacet.newBuilder().setDecade(d.key()).setCount(d.count())));
  }

  private List<Book> assemble(List<BookRow> rows, boolean strict) {
    Set<UUID> authorIds = new LinkedHashSet<>();
    Set<UUID> bookIds = new LinkedHashSet<>();
    for (BookRow row : rows) {
      authorIds.add(row.authorId());
      bookIds.add(row.id());
    }
    Map<UUID, Author> byId = fetch(() -> authors.authors(authorIds), strict);
    Map<UUID, List<Category>> linked = fetch(() -> categories.categoriesOfBooks(bookIds), strict);
    // A renamed author shows on every row of theirs: refresh each stale author once.
    Set<UUID> stale = new LinkedHashSet<>();
    for (BookRow row : rows) {
      Author author = byId.get(row.authorId());
      if (author != null && !author.getName().equals(row.authorName())) {
        stale.add(row.authorId());
      }
    }
    stale.forEach(id -> authorNames.noteRenamed(id, byId.get(id).getName()));
    return rows.stream()
        .map(row -> toProto(row, byId.get(row.authorId()), linked.getOrDefault(row.id(), List.of())))
        .toList();
  }

  private static <K, V> Map<K, V> fetch(Supplier<Map<K, V>> call, boolean strict) {
    try {
      return call.get();
    } catch (DomainException e) {
      // UNAVAILABLE or DEADLINE_EXCEEDED from Downstream: the other service's trouble.
      if (strict) {
        throw e;
      }
      return Map.of();
    }
  }

  static Book toProto(BookRow row, Author author, List<Category> categories) {
    Book.Builder book =
        Book.newBuilder()
            .setId(row.id().toString())
            .setTitle(row.title())
            .setAuthorId(row.authorId().toString())
            .setIsbn(row.isbn())
            .setPublicationYear(row.publicationYear())
            .setPublisher(row.publisher())
            .setDescription(row.description())
            .setTotalCopies(row.totalCopies())
            .setAvailableCopies(row.availableCopies())
            .setHeldCopies(row.heldCopies())
            .addAllCategories(categories)
            .setCreatedAt(timestamp(row.createdAt()))
            .setUpdatedAt(timestamp(row.updatedAt()));
    if (author != null) {
      book.setAuthor(author);
    }
    row.categoryIds().forEach(id -> book.addCategoryIds(id.toString()));
    return book.build();
  }
}
