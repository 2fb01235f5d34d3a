package dev.library.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.CreateAuthorRequest;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.CreateBookRequest;
import dev.library.book.v1.GetBookRequest;
import dev.library.runtime.testing.Credentials;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.testing.Rest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Valid and hostile requests interleaved on shared connections: one java.net.http client (HTTP/1.1
 * keep-alive, shared by every worker), one hand-written keep-alive connection (so that a hostile
 * request and the valid one after it certainly share a TCP connection), and two gRPC channels
 * (HTTP/2: straight to the Book service, and through the gateway's gRPC proxy). Workers run at
 * the same time. Every valid request must succeed; every hostile one must be refused the
 * documented way; none may spoil a neighbour.
 */
final class InterleavedTraffic implements AutoCloseable {
  /** A step of the traffic. */
  sealed interface Step permits HostileRest, HostileGrpc, Valid {}

  record HostileRest(FuzzRequest request) implements Step {}

  record HostileGrpc(GrpcHostility kind) implements Step {}

  record Valid(ValidKind kind) implements Step {}

  /** Hostile gRPC calls, on the same channels as valid ones. */
  enum GrpcHostility {
    NUL_IN_A_STRING,
    MALFORMED_PROTOBUF,
    INVALID_UTF8_IN_A_STRING,
    MANY_UNKNOWN_CATEGORY_IDS,
    HUGE_MESSAGE,
    NO_TOKEN
  }

  /** Valid calls; each must succeed. */
  enum ValidKind {
    REST_CREATE_AND_READ_BOOK,
    REST_LIST_BOOKS,
    REST_LOGIN,
    RAW_CONNECTION_GET_BOOK,
    GRPC_GET_BOOK,
    GRPC_CREATE_AUTHOR_THROUGH_THE_GATEWAY
  }

  /** Codes a refused gRPC call may get: a client error, never INTERNAL/UNKNOWN/UNAVAILABLE. */
  private static final Set<Status.Code> REFUSALS =
      Set.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.UNAUTHENTICATED,
          Status.Code.NOT_FOUND,
          Status.Code.FAILED_PRECONDITION);

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  private static final MethodDescriptor<byte[], byte[]> RAW_CREATE_BOOK =
      MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(
              MethodDescriptor.generateFullMethodName("library.book.v1.BookService", "CreateBook"))
          .build();

  private final Rest rest;
  private final int gatewayPort;
  private final String librarianToken;
  private final ManagedChannel bookChannel;
  private final ManagedChannel gatewayChannel;
  private final String authorId;
  private final String categoryId;
  private final String bookId;
  private final String bookIsbn;
  private final String username;
  private final Random isbns = new Random(11);

  /** {@code rest}: the valid REST calls share the hostile ones' client, and so its keep-alive connections. */
  InterleavedTraffic(LibrarySystem system, Rest rest, String librarianToken) {
    this.rest = rest;
    this.gatewayPort = system.gatewayPort();
    this.librarianToken = librarianToken;
    this.bookChannel = system.channel("book");
    this.gatewayChannel =
        NettyChannelBuilder.forAddress("localhost", system.gatewayPort()).usePlaintext().build();
    // Its own author, category, book and account: the fuzz test may delete the shared ones.
    this.authorId = rest.createAuthor(librarianToken, "Interleaved Author " + UUID.randomUUID());
    this.categoryId = rest.createCategory(librarianToken, "Interleaved " + UUID.randomUUID());
    this.bookIsbn = HostileRequests.isbn13(isbns);
    this.bookId = createBook(bookIsbn).path("book").path("id").asText();
    this.username = "interleaved" + Long.toString(isbns.nextLong() & Long.MAX_VALUE, 36);
    rest.post("/api/v1/auth/register")
        .body(Map.of("username", username, "email", username + "@example.org", "password", "a test password"))
        .send()
        .expect(200);
  }

  /**
   * Runs the steps on {@code workers} threads at once (each a consecutive share, in order),
   * and returns what went wrong: empty when every valid call succeeded and every hostile one was
   * refused as documented.
   */
  List<String> run(List<Step> steps, int workers) throws Exception {
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> done = new ArrayList<>();
      int share = (steps.size() + workers - 1) / workers;
      for (int w = 0; w < workers; w++) {
        int worker = w;
        List<Step> mine = steps.subList(Math.min(w * share, steps.size()), Math.min((w + 1) * share, steps.size()));
        done.add(
            pool.submit(
                () -> {
                  // Worker 0 speaks over one hand-written keep-alive connection for REST.
                  RawHttpConnection raw = null;
                  try {
                    if (worker == 0) {
                      raw = new RawHttpConnection("localhost", gatewayPort);
                    }
                    for (Step step : mine) {
                      raw = step(step, worker, raw, failures);
                    }
                  } catch (Exception e) {
                    failures.add("worker " + worker + " failed: " + e);
                  } finally {
                    closeQuietly(raw);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    return failures;
  }

  private RawHttpConnection step(Step step, int worker, RawHttpConnection raw, List<String> failures)
      throws Exception {
    if (step instanceof HostileRest hostile) {
      int status;
      String contentType;
      String body;
      if (raw != null) {
        RawHttpConnection.Response response = raw.send(hostile.request());
        status = response.status();
        contentType = response.headers().get("content-type");
        body = response.body();
        if (response.closesConnection()) {
          // The edge may close a connection after refusing its request line or headers;
          // the next request then opens another, as any client would.
          raw.close();
          raw = new RawHttpConnection("localhost", gatewayPort);
        }
      } else {
        Rest.Reply response = RestFuzzTest.send(rest, hostile.request());
        status = response.status();
        contentType = response.header("content-type").orElse(null);
        body = response.body();
      }
      List<String> problems =
          ErrorBodyOracle.problems(hostile.request(), status, contentType, body, false);
      if (!problems.isEmpty()) {
        failures.add("hostile " + hostile.request() + " → " + status + " " + problems);
      }
    } else if (step instanceof HostileGrpc hostile) {
      boolean direct = worker % 2 == 0;
      Status status = hostileGrpc(hostile.kind(), direct ? bookChannel : gatewayChannel);
      if (!REFUSALS.contains(status.getCode())) {
        failures.add(
            "hostile gRPC "
                + hostile.kind()
                + (direct ? " to the Book service" : " through the gateway")
                + " → "
                + status);
      }
    } else if (step instanceof Valid valid) {
      String problem = valid(valid.kind(), raw);
      if (problem != null) {
        failures.add("valid " + valid.kind() + " on worker " + worker + ": " + problem);
      }
    }
    return raw;
  }

  /** Null when the call succeeded as it must, else what went wrong. */
  private String valid(ValidKind kind, RawHttpConnection raw) throws IOException {
    switch (kind) {
      case REST_CREATE_AND_READ_BOOK -> {
        String isbn;
        synchronized (isbns) {
          isbn = HostileRequests.isbn13(isbns);
        }
        Rest.Reply created = rest.post("/api/v1/books").bearer(librarianToken).body(bookBody(isbn)).send();
        if (created.status() != 200) {
          return "create: " + created.status() + " " + created.body();
        }
        String id = created.json().path("book").path("id").asText();
        Rest.Reply read = rest.get("/api/v1/books/" + id).bearer(librarianToken).send();
        if (read.status() != 200 || !read.json().path("book").path("isbn").asText().equals(isbn)) {
          return "read back: " + read.status() + " " + read.body();
        }
        return null;
      }
      case REST_LIST_BOOKS -> {
        Rest.Reply list =
            rest.get("/api/v1/books?isbn_query=" + bookIsbn + "&category_ids=" + categoryId)
                .bearer(librarianToken)
                .send();
        return list.status() == 200 && list.json().path("total").asInt() == 1
            ? null
            : list.status() + " " + list.body();
      }
      case REST_LOGIN -> {
        Rest.Reply login =
            rest.post("/api/v1/auth/login")
                .body(Map.of("username", username, "password", "a test password"))
                .send();
        return login.status() == 200 && !login.json().path("accessToken").asText().isEmpty()
            ? null
            : login.status() + " " + login.body();
      }
      case RAW_CONNECTION_GET_BOOK -> {
        FuzzRequest get =
            new FuzzRequest(
                "GetBook", "GET", "/api/v1/books/" + bookId,
                Map.of("authorization", "Bearer " + librarianToken), null, "NONE", false, List.of());
        if (raw == null) {
          Rest.Reply response = RestFuzzTest.send(rest, get);
          return response.status() == 200 ? null : response.status() + " " + response.body();
        }
        RawHttpConnection.Response response = raw.send(get);
        return response.status() == 200 && response.body().contains(bookIsbn)
            ? null
            : response.status() + " " + response.body();
      }
      case GRPC_GET_BOOK -> {
        try {
          BookServiceGrpc.newBlockingStub(bookChannel)
              .withCallCredentials(Credentials.bearer(librarianToken))
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .getBook(GetBookRequest.newBuilder().setId(bookId).build());
          return null;
        } catch (StatusRuntimeException e) {
          return e.getStatus().toString();
        }
      }
      case GRPC_CREATE_AUTHOR_THROUGH_THE_GATEWAY -> {
        try {
          AuthorServiceGrpc.newBlockingStub(gatewayChannel)
              .withCallCredentials(Credentials.bearer(librarianToken))
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .createAuthor(CreateAuthorRequest.newBuilder().setName("Through the gateway").build());
          return null;
        } catch (StatusRuntimeException e) {
          return e.getStatus().toString();
        }
      }
    }
    throw new IllegalArgumentException(kind.name());
  }

  private Status hostileGrpc(GrpcHostility kind, ManagedChannel channel) {
    CallOptions options =
        CallOptions.DEFAULT
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .withCallCredentials(Credentials.bearer(librarianToken));
    try {
      switch (kind) {
        case NUL_IN_A_STRING -> books(channel).createBook(valid().setTitle("a\u0000b").build());
        case MALFORMED_PROTOBUF ->
            // Field 1, length-delimited, with a length far past the end of the message.
            ClientCalls.blockingUnaryCall(
                channel, RAW_CREATE_BOOK, options, new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x7f, 1});
        case INVALID_UTF8_IN_A_STRING ->
            ClientCalls.blockingUnaryCall(
                channel,
                RAW_CREATE_BOOK,
                options,
                valid()
                    .build()
                    .toByteString()
                    .concat(ByteString.copyFrom(new byte[] {0x0a, 0x02, (byte) 0xc3, (byte) 0x28}))
                    .toByteArray());
        case MANY_UNKNOWN_CATEGORY_IDS -> {
          CreateBookRequest.Builder request = valid();
          for (int i = 0; i < 60; i++) {
            request.addCategoryIds(UUID.randomUUID().toString());
          }
          books(channel).createBook(request.build());
        }
        // Under each hop's message limit (1 MiB at the gateway, 4 MiB at the service), far over
        // the field's 2,000 characters.
        case HUGE_MESSAGE ->
            books(channel)
                .createBook(
                    valid()
                        .setDescription("d".repeat(channel == bookChannel ? 3_000_000 : 900_000))
                        .build());
        case NO_TOKEN ->
            BookServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .getBook(GetBookRequest.newBuilder().setId(bookId).build());
      }
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private BookServiceGrpc.BookServiceBlockingStub books(ManagedChannel channel) {
    return BookServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(Credentials.bearer(librarianToken))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private CreateBookRequest.Builder valid() {
    String isbn;
    synchronized (isbns) {
      isbn = HostileRequests.isbn13(isbns);
    }
    return CreateBookRequest.newBuilder()
        .setTitle("Hostile twin")
        .setAuthorId(authorId)
        .setIsbn(isbn)
        .setTotalCopies(1);
  }

  private Map<String, Object> bookBody(String isbn) {
    return Map.of(
        "title", "Interleaved " + isbn,
        "authorId", authorId,
        "isbn", isbn,
        "totalCopies", 2,
        "categoryIds", List.of(categoryId));
  }

  private JsonNode createBook(String isbn) {
    return rest.post("/api/v1/books").bearer(librarianToken).body(bookBody(isbn)).send().expect(200);
  }

  private static void closeQuietly(RawHttpConnection raw) {
    if (raw != null) {
      try {
        raw.close();
      } catch (IOException ignored) {
        // closing after the test
      }
    }
  }

  @Override
  public void close() {
    gatewayChannel.shutdownNow();
  }
}
