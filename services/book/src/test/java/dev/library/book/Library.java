package dev.library.book;

import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.CreateAuthorRequest;
import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.CreateBookRequest;
import dev.library.category.v1.CategoryServiceGrpc;
import dev.library.category.v1.CreateCategoryRequest;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Isbns;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole library for book tests: a running system, signed-in users, and shortcuts that make
 * authors, categories and books through the real services.
 */
final class Library implements AutoCloseable {
  private static final AtomicLong ISBN_SEQUENCE = new AtomicLong(System.nanoTime() % 100_000_000L);

  final LibrarySystem system;
  final TestAccounts accounts;
  final TestAccounts.User librarian;
  final TestAccounts.User member;
  final BookServiceGrpc.BookServiceBlockingStub anonymous;
  final BookServiceGrpc.BookServiceBlockingStub asLibrarian;
  final BookServiceGrpc.BookServiceBlockingStub asMember;
  final AuthorServiceGrpc.AuthorServiceBlockingStub authors;
  final CategoryServiceGrpc.CategoryServiceBlockingStub categories;

  Library(LibrarySystem system) {
    this.system = system;
    this.accounts = new TestAccounts(system);
    this.librarian = accounts.librarian();
    this.member = accounts.member();
    this.anonymous = BookServiceGrpc.newBlockingStub(system.channel("book"));
    this.asLibrarian = anonymous.withCallCredentials(librarian.credentials());
    this.asMember = anonymous.withCallCredentials(member.credentials());
    this.authors =
        AuthorServiceGrpc.newBlockingStub(system.channel("author"))
            .withCallCredentials(librarian.credentials());
    this.categories =
        CategoryServiceGrpc.newBlockingStub(system.channel("category"))
            .withCallCredentials(librarian.credentials());
  }

  static Library start() {
    return new Library(LibrarySystem.start("auth,author,category,book"));
  }

  BookServiceGrpc.BookServiceBlockingStub as(TestAccounts.User user) {
    return anonymous.withCallCredentials(user.credentials());
  }

  String author(String name) {
    return authors.createAuthor(CreateAuthorRequest.newBuilder().setName(name).build()).getAuthor().getId();
  }

  String category(String name) {
    return categories
        .createCategory(CreateCategoryRequest.newBuilder().setName(name).build())
        .getCategory()
        .getId();
  }

  /** A valid ISBN-13 never used before in this JVM. */
  static String freshIsbn() {
    return Isbns.isbn13(ISBN_SEQUENCE.incrementAndGet() % 1_000_000_000L);
  }

  CreateBookRequest.Builder bookRequest(String title, String authorId, int copies, String... categoryIds) {
    return CreateBookRequest.newBuilder()
        .setTitle(title)
        .setAuthorId(authorId)
        .setIsbn(freshIsbn())
        .setPublicationYear(2001)
        .setTotalCopies(copies)
        .addAllCategoryIds(List.of(categoryIds));
  }

  Book book(String title, String authorId, int copies, String... categoryIds) {
    return asLibrarian.createBook(bookRequest(title, authorId, copies, categoryIds).build()).getBook();
  }

  @Override
  public void close() {
    system.close();
  }
}
