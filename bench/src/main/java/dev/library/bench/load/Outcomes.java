package dev.library.bench.load;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Names for how a request ended, so errors can be counted by status. */
public final class Outcomes {
  public static final String OK = "OK";

  private Outcomes() {}

  /** The gRPC code of a failed call, else the exception's class name (a bug in the bench). */
  public static String of(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof StatusRuntimeException || cause instanceof StatusException) {
      return Status.fromThrowable(cause).getCode().name();
    }
    return cause.getClass().getSimpleName();
  }

  /** An HTTP response: 2xx is success, anything else is counted as {@code HTTP <code>}. */
  public static String ofHttp(int statusCode) {
    return statusCode / 100 == 2 ? OK : "HTTP " + statusCode;
  }
}
