package dev.library.bench.load;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Adapts grpc-java's async stubs (callbacks on a {@link StreamObserver}) to futures, so the load
 * generator waits on no thread: a client's next call is started from the previous one's callback.
 * Used with a stub method reference: {@code unary(stub::getBook, request)}.
 */
public final class GrpcCalls {
  private GrpcCalls() {}

  /** Starts a unary call; the future completes with its response or fails with its status. */
  public static <Q, R> CompletableFuture<R> unary(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
    // From the root context: a call started in the previous call's callback would otherwise get
    // a child of that call's context, and each client's chain of contexts would grow by one per
    // request for the whole run (grpc-java logs "Context ancestry chain length is abnormally
    // long" at a thousand).
    Context.ROOT.run(() -> method.accept(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(R value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            // A unary call delivered its one value in onNext.
          }
        }));
    return result;
  }

  /** A unary call whose response does not matter, only how it ended. */
  public static <Q, R> CompletableFuture<String> status(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    return unary(method, request).thenApply(response -> Outcomes.OK);
  }
}
