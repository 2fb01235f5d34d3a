package dev.library.runtime.grpc;

import dev.library.runtime.db.DatabaseFaults;
import dev.library.runtime.errors.DomainException;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a service implementation throws into the call's status; the only place that does.
 *
 * <ul>
 *   <li>a {@link DomainException} (the core's refusals) becomes its status with {@code
 *       google.rpc} details ({@link StatusMapping});
 *   <li>a database that is down, frozen, too slow or out of connections becomes UNAVAILABLE or
 *       DEADLINE_EXCEEDED, logged once per burst rather than once per request;
 *   <li>a {@link StatusRuntimeException} raised by the runtime keeps its code and details;
 *   <li>anything else is a bug: logged with its stack trace, and the caller sees a bare INTERNAL,
 *       never the exception's text (which may hold SQL).
 * </ul>
 */
public final class ExceptionTranslatingInterceptor implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(ExceptionTranslatingInterceptor.class);

  private final FaultLog databaseFaults;
  private final Consumer<DatabaseFaults.Fault> onDatabaseFault;

  /** For servers with no database of their own. */
  public ExceptionTranslatingInterceptor() {
    this("database", fault -> {});
  }

  /**
   * @param module names the log lines of database faults
   * @param onDatabaseFault told of every database fault (the module's database watch)
   */
  public ExceptionTranslatingInterceptor(
      String module, Consumer<DatabaseFaults.Fault> onDatabaseFault) {
    this.databaseFaults = new FaultLog(module + " database");
    this.onDatabaseFault = onDatabaseFault;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    OnceClosingCall<Q, R> guarded = new OnceClosingCall<>(call);
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(guarded, headers);
    } catch (RuntimeException e) {
      guarded.closeWith(translate(e, call));
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(Q message) {
        try {
          super.onMessage(message);
        } catch (RuntimeException e) {
          guarded.closeWith(translate(e, call));
        }
      }

      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (RuntimeException e) {
          guarded.closeWith(translate(e, call));
        }
      }

      @Override
      public void onReady() {
        try {
          super.onReady();
        } catch (RuntimeException e) {
          guarded.closeWith(translate(e, call));
        }
      }
    };
  }

  /** The status and trailers a failure becomes. */
  public StatusRuntimeException translate(RuntimeException e, ServerCall<?, ?> call) {
    if (e instanceof DomainException refusal) {
      return StatusMapping.toStatus(refusal);
    }
    Optional<DatabaseFaults.Fault> fault = DatabaseFaults.classify(e);
    if (fault.isPresent()) {
      databaseFaults.record(fault.get().refusal().reason(), e);
      onDatabaseFault.accept(fault.get());
      return StatusMapping.toStatus(fault.get().refusal());
    }
    Status status;
    Metadata trailers;
    if (e instanceof StatusRuntimeException sre) {
      status = sre.getStatus();
      trailers = sre.getTrailers();
    } else if (e.getCause() instanceof StatusException se) {
      status = se.getStatus();
      trailers = se.getTrailers();
    } else {
      LOG.error("unexpected failure in {}", call.getMethodDescriptor().getFullMethodName(), e);
      return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }
    if (status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN) {
      LOG.error("unexpected failure in {}", call.getMethodDescriptor().getFullMethodName(), e);
      // The cause's text never leaves the process.
      return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }
    return status.asRuntimeException(trailers == null ? new Metadata() : trailers);
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

    void closeWith(StatusRuntimeException e) {
      close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
    }
  }
}
