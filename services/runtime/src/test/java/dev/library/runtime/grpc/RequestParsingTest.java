package dev.library.runtime.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.GetBookResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes that are not a message of the method's type are INVALID_ARGUMENT, over a real gRPC
 * connection (grpc-java alone answers UNKNOWN), and the service, its interceptors and the next
 * call on the same connection are none the worse for it.
 */
class RequestParsingTest {
  private static final Metadata.Key<String> REFUSE =
      Metadata.Key.of("refuse", Metadata.ASCII_STRING_MARSHALLER);

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

  private static final MethodDescriptor<byte[], byte[]> RAW_GET_BOOK =
      MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(BookServiceGrpc.getGetBookMethod().getFullMethodName())
          .build();

  /** What the interceptor saw of each message: typed messages, never raw bytes. */
  private final List<Object> seenByInterceptor = new CopyOnWriteArrayList<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    ServerInterceptor recording =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            if (headers.containsKey(REFUSE)) {
              call.close(Status.UNAUTHENTICATED.withDescription("refused"), new Metadata());
              return new ServerCall.Listener<>() {};
            }
            ServerCall.Listener<Q> listener = next.startCall(call, headers);
            return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                listener) {
              @Override
              public void onMessage(Q message) {
                seenByInterceptor.add(message);
                super.onMessage(message);
              }
            };
          }
        };
    BookServiceGrpc.BookServiceImplBase books =
        new BookServiceGrpc.BookServiceImplBase() {
          @Override
          public void getBook(GetBookRequest request, StreamObserver<GetBookResponse> responses) {
            responses.onNext(
                GetBookResponse.newBuilder().setBook(Book.newBuilder().setId(request.getId())).build());
            responses.onCompleted();
          }
        };
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                RequestParsing.refusingMalformed(
                    ServerInterceptors.interceptForward(books.bindService(), recording)))
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void truncatedBytesAreInvalidArgument() {
    // Field 1, length-delimited, claiming far more bytes than follow.
    assertRefused(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x7f, 1});
    // A wire type that does not exist.
    assertRefused(new byte[] {0x0f, 0x01});
  }

  @Test
  void aStringThatIsNotUtf8IsInvalidArgument() {
    assertRefused(new byte[] {0x0a, 0x02, (byte) 0xc3, (byte) 0x28});
    // A surrogate encoded as if it were a character (CESU-8).
    assertRefused(new byte[] {0x0a, 0x03, (byte) 0xed, (byte) 0xa0, (byte) 0x80});
  }

  @Test
  void theServiceAndItsInterceptorsSeeTypedMessagesAndTheConnectionGoesOn() {
    assertRefused(new byte[] {0x0a, (byte) 0xff});
    GetBookResponse response =
        BookServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .getBook(GetBookRequest.newBuilder().setId("b-1").build());

    assertThat(response.getBook().getId()).isEqualTo("b-1");
    assertThat(seenByInterceptor).containsExactly(GetBookRequest.newBuilder().setId("b-1").build());
  }

  @Test
  void anInterceptorThatRefusesTheCallFirstIsWhatTheCallerSees() {
    Metadata headers = new Metadata();
    headers.put(REFUSE, "yes");
    assertThatThrownBy(
            () ->
                ClientCalls.blockingUnaryCall(
                    channel.newCall(
                        RAW_GET_BOOK,
                        CallOptions.DEFAULT
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .withCallCredentials(
                                new io.grpc.CallCredentials() {
                                  @Override
                                  public void applyRequestMetadata(
                                      RequestInfo info,
                                      java.util.concurrent.Executor executor,
                                      MetadataApplier applier) {
                                    applier.apply(headers);
                                  }
                                })),
                    new byte[] {0x0a, (byte) 0xff}))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  private void assertRefused(byte[] request) {
    assertThatThrownBy(
            () ->
                ClientCalls.blockingUnaryCall(
                    channel, RAW_GET_BOOK, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                    request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).isEqualTo(RequestParsing.MALFORMED);
            });
    assertThat(seenByInterceptor).isEmpty();
  }
}
