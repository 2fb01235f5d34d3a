package dev.library.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.LoginRequest;
import dev.library.auth.v1.LoginResponse;
import dev.library.auth.v1.VerifyTokenRequest;
import dev.library.auth.v1.VerifyTokenResponse;
import dev.library.author.v1.Author;
import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.BorrowBookResponse;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.GetBookResponse;
import dev.library.book.v1.ListBooksRequest;
import dev.library.book.v1.ListBooksResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Real gRPC servers standing in for the auth and book services: they record what reaches them
 * (message, metadata, deadline) and answer as scripted. A GetBook whose id names a gRPC code (say
 * {@code NOT_FOUND}) fails with that code and a google.rpc.BadRequest detail; id {@code hang}
 * never answers.
 */
final class FakeUpstream implements AutoCloseable {
  final AtomicReference<Message> lastRequest = new AtomicReference<>();
  final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
  final AtomicReference<Deadline> lastDeadline = new AtomicReference<>();
  /** Every call that reached this upstream. */
  final AtomicInteger calls = new AtomicInteger();
  /** Completes when the upstream sees the hanging call cancelled (by the gateway's deadline). */
  final CompletableFuture<Void> hangingCallCancelled = new CompletableFuture<>();

  private final Server server;

  FakeUpstream() throws IOException {
    ServerInterceptor recordHeaders =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            lastHeaders.set(headers);
            calls.incrementAndGet();
            return next.startCall(call, headers);
          }
        };
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(ServerInterceptors.intercept(new Auth(), recordHeaders))
            .addService(ServerInterceptors.intercept(new Books(), recordHeaders))
            .build()
            .start();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private void record(Message request) {
    lastRequest.set(request);
    lastDeadline.set(Context.current().getDeadline());
  }

  static com.google.rpc.Status badRequest(Status.Code code, String message) {
    return com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(message)
        .addDetails(
            Any.pack(
                BadRequest.newBuilder()
                    .addFieldViolations(
                        BadRequest.FieldViolation.newBuilder()
                            .setField("id")
                            .setDescription("scripted failure"))
                    .build()))
        .build();
  }

  private final class Auth extends AuthServiceGrpc.AuthServiceImplBase {
    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> responses) {
      record(request);
      responses.onNext(
          LoginResponse.newBuilder()
              .setAccessToken("access-" + request.getUsername())
              .setTokenType("Bearer")
              .setAccessTokenExpiresAt(Timestamp.newBuilder().setSeconds(1_700_000_000))
              .build());
      responses.onCompleted();
    }

    @Override
    public void verifyToken(
        VerifyTokenRequest request, StreamObserver<VerifyTokenResponse> responses) {
      record(request);
      responses.onNext(VerifyTokenResponse.getDefaultInstance());
      responses.onCompleted();
    }
  }

  private final class Books extends BookServiceGrpc.BookServiceImplBase {
    @Override
    public void getBook(GetBookRequest request, StreamObserver<GetBookResponse> responses) {
      record(request);
      if (request.getId().equals("hang")) {
        Context.current()
            .addListener(context -> hangingCallCancelled.complete(null), Runnable::run);
        return;
      }
      Status.Code code = scriptedCode(request.getId());
      if (code != null) {
        responses.onError(
            StatusProto.toStatusRuntimeException(badRequest(code, "scripted " + code + ": ünïcode 100%")));
        return;
      }
      responses.onNext(
          GetBookResponse.newBuilder()
              .setBook(
                  Book.newBuilder()
                      .setId(request.getId())
                      .setTitle("Dune")
                      .setAuthorId("a1")
                      .setAuthor(Author.newBuilder().setId("a1").setName("Frank Herbert"))
                      .setTotalCopies(1)
                      .addCategoryIds("c1"))
              .build());
      responses.onCompleted();
    }

    @Override
    public void listBooks(ListBooksRequest request, StreamObserver<ListBooksResponse> responses) {
      record(request);
      responses.onNext(ListBooksResponse.newBuilder().setPage(1).build());
      responses.onCompleted();
    }

    @Override
    public void borrowBook(
        BorrowBookRequest request, StreamObserver<BorrowBookResponse> responses) {
      record(request);
      responses.onNext(
          BorrowBookResponse.newBuilder()
              .setTransactionId("t1")
              .setBookId(request.getId())
              .setUserId(request.getUserId())
              .build());
      responses.onCompleted();
    }
  }

  private static Status.Code scriptedCode(String id) {
    try {
      return Status.Code.valueOf(id);
    } catch (IllegalArgumentException notACode) {
      return null;
    }
  }
}
