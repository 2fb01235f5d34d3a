package dev.library.author;

import static dev.library.runtime.testing.StatusAssertions.code;
import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.author.v1.Author;
import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.BatchGetAuthorsRequest;
import dev.library.author.v1.BatchGetAuthorsResponse;
import dev.library.author.v1.CreateAuthorRequest;
import dev.library.author.v1.DeleteAuthorRequest;
import dev.library.author.v1.GetAuthorRequest;
import dev.library.author.v1.ListAuthorsRequest;
import dev.library.author.v1.ListAuthorsResponse;
import dev.library.author.v1.SearchAuthorIdsRequest;
import dev.library.author.v1.SearchAuthorIdsResponse;
import dev.library.author.v1.UpdateAuthorRequest;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.CountBooksByAuthorRequest;
import dev.library.book.v1.CountBooksByAuthorResponse;
import dev.library.runtime.testing.Credentials;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The author service over real gRPC, with the real auth service for tokens. The Book service's
 * answer to "how many books name this author" comes from a stand-in gRPC server on the book
 * port, so DeleteAuthor's three outcomes can be set up directly.
 */
class AuthorServiceTest {
  private static LibrarySystem system;
  private static AuthorServiceGrpc.AuthorServiceBlockingStub asLibrarian;
  private static AuthorServiceGrpc.AuthorServiceBlockingStub asMember;
  private static AuthorServiceGrpc.AuthorServiceBlockingStub anonymous;
  private static final Map<String, Integer> bookCounts = new ConcurrentHashMap<>();
  private static Server books;

  @BeforeAll
  static void start() throws Exception {
    system = LibrarySystem.start("auth,author");
    TestAccounts accounts = new TestAccounts(system);
    anonymous = AuthorServiceGrpc.newBlockingStub(system.channel("author"));
    asLibrarian = anonymous.withCallCredentials(accounts.librarian().credentials());
    asMember = anonymous.withCallCredentials(accounts.member().credentials());
    startBooks();
  }

  @AfterAll
  static void stop() throws Exception {
    books.shutdownNow().awaitTermination();
    system.close();
  }

  static Author create(String name) {
    return asLibrarian
        .createAuthor(CreateAuthorRequest.newBuilder().setName(name).build())
        .getAuthor();
  }

  @Test
  void librarianCreatesAndAnyMemberReads() {
    Author created =
        asLibrarian
            .createAuthor(
                CreateAuthorRequest.newBuilder()
                    .setName("  Ursula K. Le Guin  ")
                    .setBiography("Wrote Earthsea.")
                    .setBirthDate("1929-10-21")
                    .build())
            .getAuthor();
    assertThat(created.getId()).matches("[0-9a-f-]{36}");
    assertThat(created.getName()).isEqualTo("Ursula K. Le Guin");
    assertThat(created.getBirthDate()).isEqualTo("1929-10-21");
    assertThat(created.hasCreatedAt()).isTrue();

    Author read =
        asMember.getAuthor(GetAuthorRequest.newBuilder().setId(created.getId()).build()).getAuthor();
    assertThat(read).isEqualTo(created);
  }

  @Test
  void writesNeedALibrarianAndReadsNeedAToken() {
    assertThat(code(() -> asMember.createAuthor(CreateAuthorRequest.newBuilder().setName("X").build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> anonymous.createAuthor(CreateAuthorRequest.newBuilder().setName("X").build())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    Author author = create("Guarded");
    assertThat(
            code(
                () ->
                    asMember.updateAuthor(
                        UpdateAuthorRequest.newBuilder().setId(author.getId()).setName("Y").build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> asMember.deleteAuthor(DeleteAuthorRequest.newBuilder().setId(author.getId()).build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> anonymous.getAuthor(GetAuthorRequest.newBuilder().setId(author.getId()).build())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.listAuthors(ListAuthorsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void invalidFieldsAreNamed() {
    assertInvalid(CreateAuthorRequest.newBuilder().setName("   ").build(), "name");
    assertInvalid(CreateAuthorRequest.newBuilder().setName("x".repeat(201)).build(), "name");
    assertInvalid(
        CreateAuthorRequest.newBuilder().setName("ok").setBiography("b".repeat(2001)).build(),
        "biography");
    assertInvalid(
        CreateAuthorRequest.newBuilder().setName("ok").setBirthDate("1990-13-01").build(),
        "birth_date");
    assertInvalid(
        CreateAuthorRequest.newBuilder().setName("ok").setBirthDate("21/10/1929").build(),
        "birth_date");
    assertInvalid(
        CreateAuthorRequest.newBuilder()
            .setName("ok")
            .setBirthDate(LocalDate.now().plusDays(3).toString())
            .build(),
        "birth_date");
    assertInvalid(
        CreateAuthorRequest.newBuilder()
            .setName("")
            .setBiography("b".repeat(2001))
            .setBirthDate("soon")
            .build(),
        "name",
        "biography",
        "birth_date");
  }

  @Test
  void aBirthDateMayBeTheOriginalApisTimestampAtMidnightUtc() {
    // The original API's birth_date was a google.protobuf.Timestamp: its clients send midnight
    // UTC of the day, in any of the forms RFC 3339 allows for that instant.
    assertThat(birthDateStored("1929-10-21T00:00:00Z")).isEqualTo("1929-10-21");
    assertThat(birthDateStored("1929-10-21T00:00:00.000Z")).isEqualTo("1929-10-21");
    assertThat(birthDateStored("1929-10-21t00:00:00z")).isEqualTo("1929-10-21");
    assertThat(birthDateStored("1929-10-21T00:00:00+00:00")).isEqualTo("1929-10-21");
    assertThat(birthDateStored("1929-10-21T02:00:00+02:00")).as("the same instant").isEqualTo("1929-10-21");
    assertThat(birthDateStored("1929-10-21")).isEqualTo("1929-10-21");

    // Any other time of day names no date without a time zone: refused, not truncated.
    for (String notMidnightUtc :
        List.of(
            "1929-10-21T10:30:00Z",
            "1929-10-21T00:00:00.001Z",
            "1929-10-21T00:00:00+02:00",
            "1929-10-20T23:59:59Z",
            "1929-10-21T00:00:00",
            "1929-10-21Tmidnight",
            "1929-02-30T00:00:00Z")) {
      assertInvalid(
          CreateAuthorRequest.newBuilder().setName("ok").setBirthDate(notMidnightUtc).build(),
          "birth_date");
    }
    assertInvalid(
        CreateAuthorRequest.newBuilder()
            .setName("ok")
            .setBirthDate(LocalDate.now().plusDays(3) + "T00:00:00Z")
            .build(),
        "birth_date");

    Author author = create("Timestamped");
    Author updated =
        asLibrarian
            .updateAuthor(
                UpdateAuthorRequest.newBuilder()
                    .setId(author.getId())
                    .setName("Timestamped")
                    .setBirthDate("1950-01-01T00:00:00Z")
                    .build())
            .getAuthor();
    assertThat(updated.getBirthDate()).isEqualTo("1950-01-01");
    StatusRuntimeException refused =
        failure(
            () ->
                asLibrarian.updateAuthor(
                    UpdateAuthorRequest.newBuilder()
                        .setId(author.getId())
                        .setName("Timestamped")
                        .setBirthDate("1950-01-01T12:00:00Z")
                        .build()));
    assertThat(violatedFields(refused)).containsExactly("birth_date");
    assertThat(
            asMember
                .getAuthor(GetAuthorRequest.newBuilder().setId(author.getId()).build())
                .getAuthor()
                .getBirthDate())
        .isEqualTo("1950-01-01");
  }

  private static String birthDateStored(String birthDate) {
    Author created =
        asLibrarian
            .createAuthor(
                CreateAuthorRequest.newBuilder().setName("Born").setBirthDate(birthDate).build())
            .getAuthor();
    return asMember
        .getAuthor(GetAuthorRequest.newBuilder().setId(created.getId()).build())
        .getAuthor()
        .getBirthDate();
  }

  @Test
  void idsMustBeUuidsAndUnknownOnesAreNotFound() {
    StatusRuntimeException bad =
        failure(() -> asMember.getAuthor(GetAuthorRequest.newBuilder().setId("42").build()));
    assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violatedFields(bad)).containsExactly("id");
    assertThat(
            code(
                () ->
                    asMember.getAuthor(
                        GetAuthorRequest.newBuilder().setId(UUID.randomUUID().toString()).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    asLibrarian.deleteAuthor(
                        DeleteAuthorRequest.newBuilder().setId("'; drop table authors;--").build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void updateReplacesFieldsAndNeverCreates() {
    Author author =
        asLibrarian
            .createAuthor(
                CreateAuthorRequest.newBuilder().setName("Draft").setBiography("old").build())
            .getAuthor();
    Author updated =
        asLibrarian
            .updateAuthor(
                UpdateAuthorRequest.newBuilder()
                    .setId(author.getId())
                    .setName("Final")
                    .setBirthDate("1950-01-01")
                    .build())
            .getAuthor();
    assertThat(updated.getName()).isEqualTo("Final");
    assertThat(updated.getBiography()).isEmpty();
    assertThat(updated.getBirthDate()).isEqualTo("1950-01-01");
    assertThat(updated.getCreatedAt()).isEqualTo(author.getCreatedAt());

    String missing = UUID.randomUUID().toString();
    assertThat(
            code(
                () ->
                    asLibrarian.updateAuthor(
                        UpdateAuthorRequest.newBuilder().setId(missing).setName("Ghost").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(() -> asMember.getAuthor(GetAuthorRequest.newBuilder().setId(missing).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void deleteAsksTheBookServiceFirst() {
    Author free = create("Unreferenced");
    asLibrarian.deleteAuthor(DeleteAuthorRequest.newBuilder().setId(free.getId()).build());
    assertThat(code(() -> asMember.getAuthor(GetAuthorRequest.newBuilder().setId(free.getId()).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(() -> asLibrarian.deleteAuthor(DeleteAuthorRequest.newBuilder().setId(free.getId()).build())))
        .isEqualTo(Status.Code.NOT_FOUND);

    Author referenced = create("Referenced");
    bookCounts.put(referenced.getId(), 2);
    StatusRuntimeException refused =
        failure(
            () ->
                asLibrarian.deleteAuthor(
                    DeleteAuthorRequest.newBuilder().setId(referenced.getId()).build()));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.getStatus().getDescription()).contains("2 books");
    assertThat(asMember.getAuthor(GetAuthorRequest.newBuilder().setId(referenced.getId()).build()).getAuthor())
        .isEqualTo(referenced);
  }

  @Test
  void deleteIsUnavailableAndHarmlessWhileTheBookServiceIsDown() throws Exception {
    Author author = create("Waiting");
    books.shutdownNow().awaitTermination();
    try {
      assertThat(
              code(
                  () ->
                      asLibrarian.deleteAuthor(
                          DeleteAuthorRequest.newBuilder().setId(author.getId()).build())))
          .isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(asMember.getAuthor(GetAuthorRequest.newBuilder().setId(author.getId()).build()).getAuthor())
          .isEqualTo(author);
    } finally {
      startBooks();
    }
  }

  private static void startBooks() throws Exception {
    books =
        NettyServerBuilder.forPort(system.grpcPort("book"))
            .addService(
                new BookServiceGrpc.BookServiceImplBase() {
                  @Override
                  public void countBooksByAuthor(
                      CountBooksByAuthorRequest request,
                      StreamObserver<CountBooksByAuthorResponse> response) {
                    response.onNext(
                        CountBooksByAuthorResponse.newBuilder()
                            .setCount(bookCounts.getOrDefault(request.getAuthorId(), 0))
                            .build());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
  }

  @Test
  void listPagesInNameOrderWithTotals() {
    String tag = "Zq" + UUID.randomUUID().toString().substring(0, 6);
    for (String name : List.of("b " + tag, "A " + tag, "c " + tag, "a2 " + tag, "B2 " + tag)) {
      create(name);
    }
    ListAuthorsResponse first =
        asMember.listAuthors(
            ListAuthorsRequest.newBuilder().setNameQuery(tag.toLowerCase()).setPageSize(2).build());
    assertThat(first.getTotal()).isEqualTo(5);
    assertThat(first.getPage()).isEqualTo(1);
    assertThat(first.getPageSize()).isEqualTo(2);
    assertThat(first.getAuthorsList()).extracting(Author::getName).containsExactly("A " + tag, "a2 " + tag);
    ListAuthorsResponse third =
        asMember.listAuthors(
            ListAuthorsRequest.newBuilder().setNameQuery(tag).setPageSize(2).setPage(3).build());
    assertThat(third.getAuthorsList()).extracting(Author::getName).containsExactly("c " + tag);
    ListAuthorsResponse beyond =
        asMember.listAuthors(
            ListAuthorsRequest.newBuilder().setNameQuery(tag).setPageSize(2).setPage(9).build());
    assertThat(beyond.getAuthorsList()).isEmpty();
    assertThat(beyond.getTotal()).isEqualTo(5);

    assertThat(asMember.listAuthors(ListAuthorsRequest.getDefaultInstance()).getPageSize()).isEqualTo(20);
    StatusRuntimeException tooBig =
        failure(() -> asMember.listAuthors(ListAuthorsRequest.newBuilder().setPageSize(101).setPage(-1).build()));
    assertThat(violatedFields(tooBig)).containsExactlyInAnyOrder("page", "page_size");
  }

  @Test
  void nameQueryTreatsWildcardsLiterally() {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    create("Percent 100% " + tag);
    create("Percent 1000 " + tag);
    ListAuthorsResponse found =
        asMember.listAuthors(ListAuthorsRequest.newBuilder().setNameQuery("100% " + tag).build());
    assertThat(found.getAuthorsList()).extracting(Author::getName).containsExactly("Percent 100% " + tag);
    assertThat(
            asMember
                .listAuthors(ListAuthorsRequest.newBuilder().setNameQuery("_ercent%" + tag).build())
                .getTotal())
        .isZero();
  }

  @Test
  void batchGetAnswersWhatSingleGetsWould() {
    Author a = create("Batch A");
    Author b = create("Batch B");
    String missing = UUID.randomUUID().toString();
    BatchGetAuthorsResponse batch =
        asMember.batchGetAuthors(
            BatchGetAuthorsRequest.newBuilder()
                .addIds(b.getId())
                .addIds(missing)
                .addIds(a.getId())
                .addIds(b.getId())
                .build());
    assertThat(batch.getAuthorsList())
        .containsExactly(
            asMember.getAuthor(GetAuthorRequest.newBuilder().setId(b.getId()).build()).getAuthor(),
            asMember.getAuthor(GetAuthorRequest.newBuilder().setId(a.getId()).build()).getAuthor());
    assertThat(batch.getMissingIdsList()).containsExactly(missing);

    StatusRuntimeException bad =
        failure(
            () ->
                asMember.batchGetAuthors(
                    BatchGetAuthorsRequest.newBuilder().addIds(a.getId()).addIds("nope").build()));
    assertThat(violatedFields(bad)).containsExactly("ids[1]");
    BatchGetAuthorsRequest.Builder tooMany = BatchGetAuthorsRequest.newBuilder();
    for (int i = 0; i < 101; i++) {
      tooMany.addIds(UUID.randomUUID().toString());
    }
    assertThat(violatedFields(failure(() -> asMember.batchGetAuthors(tooMany.build()))))
        .containsExactly("ids");
  }

  @Test
  void searchAuthorIdsIsForServicesOnly() {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    Author one = create("Search " + tag + " one");
    Author two = create("Search " + tag + " two");
    SearchAuthorIdsRequest request =
        SearchAuthorIdsRequest.newBuilder().setNameQuery(tag.toUpperCase()).setLimit(1).build();
    assertThat(code(() -> asMember.searchAuthorIds(request))).isEqualTo(Status.Code.PERMISSION_DENIED);
    var asService = anonymous.withCallCredentials(Credentials.serverKey(LibrarySystem.SERVER_KEY));
    SearchAuthorIdsResponse limited = asService.searchAuthorIds(request);
    assertThat(limited.getAuthorIdsList()).containsExactly(one.getId());
    assertThat(limited.getTruncated()).isTrue();
    SearchAuthorIdsResponse all =
        asService.searchAuthorIds(SearchAuthorIdsRequest.newBuilder().setNameQuery(tag).build());
    assertThat(all.getAuthorIdsList()).containsExactly(one.getId(), two.getId());
    assertThat(all.getTruncated()).isFalse();
  }

  private static void assertInvalid(CreateAuthorRequest request, String... fields) {
    StatusRuntimeException error = failure(() -> asLibrarian.createAuthor(request));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violatedFields(error)).containsExactlyInAnyOrder(fields);
  }
}
