package dev.library.runtime.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a service implementation throws into the call's status. A {@link
 * StatusRuntimeException} keeps its code, message and details (grpc-java would otherwise report
 * UNKNOWN and drop the details); anything else is a bug: it is logged with its stack trace and the
 * caller sees a bare INTERNAL, never the exception's text (which may hold SQL).
 */
public final class ExceptionTranslatingInterceptor implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(ExceptionTranslatingInterceptor.class);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    OnceClosingCall<Q, R> guarded = new OnceClosingCall<>(call);
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(guarded, headers);
    } catch (RuntimeException e) {
      guarded.closeWith(e);
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(Q message) {
        try {
          super.onMessage(message);
        } catch (RuntimeException e) {
          guarded.closeWith(e);
        }
      }

      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (RuntimeException e) {
          guarded.closeWith(e);
        }
      }

      @Override
      public void onReady() {
        try {
          super.onReady();
        } catch (RuntimeException e) {
          guarded.closeWith(e);
        }
      }
    };
  }

  private static final class OnceClosingCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final AtomicBoolean closed = new AtomicBoolean();

    OnceClosingCall(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (closed.compareAndSet(false, true)) {
        super.close(status, trailers);
      }
    }

    void closeWith(RuntimeException e) {
      Status status;
      Metadata trailers;
      if (e instanceof StatusRuntimeException sre) {
        status = sre.getStatus();
        trailers = sre.getTrailers() == null ? new Metadata() : sre.getTrailers();
      } else if (e.getCause() instanceof StatusException se) {
        status = se.getStatus();
        trailers = se.getTrailers() == null ? new Metadata() : se.getTrailers();
      } else {
        LOG.error("unexpected failure in {}", getMethodDescriptor().getFullMethodName(), e);
        status = Status.INTERNAL.withDescription("internal error");
        trailers = new Metadata();
      }
      if (status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN) {
        // The cause's text never leaves the process.
        status = Status.INTERNAL.withDescription("internal error");
      }
      close(status, trailers);
    }
  }
}
