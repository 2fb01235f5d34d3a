package dev.library.runtime.grpc;

import dev.library.runtime.errors.TimedOutException;
import dev.library.runtime.errors.UnavailableException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one way a service calls another: with the configured deadline (or the caller's own, when
 * sooner: gRPC carries it in the context), and with the failure turned into what the caller of
 * this service should see. A service that is down, overloaded or broken is UNAVAILABLE (named),
 * one that did not answer in time DEADLINE_EXCEEDED; a refusal of the request itself is {@link
 * Refused}, for the client code to decide on (left unhandled it is a bug: INTERNAL).
 *
 * <p>After a failed connection attempt grpc-java waits out a growing backoff (up to two minutes)
 * before it tries again; a failure here resets it, so the next call tries at once and callers
 * recover as soon as the other service is back.
 */
public final class Downstream {
  private final String service;
  private final ManagedChannel channel;
  private final Duration deadline;
  private final FaultLog faults;

  Downstream(String service, ManagedChannel channel, Duration deadline) {
    this.service = service;
    this.channel = channel;
    this.deadline = deadline;
    this.faults = new FaultLog("calls to the " + service + " service");
  }

  /** The service this reaches. */
  public String service() {
    return service;
  }

  /** Calls {@code rpc} on {@code stub} with this service's deadline. */
  public <S extends AbstractStub<S>, T> T call(S stub, Function<S, T> rpc) {
    try {
      return rpc.apply(stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS));
    } catch (StatusRuntimeException e) {
      throw translate(e);
    }
  }

  private RuntimeException translate(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    switch (code) {
      case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE,
          PERMISSION_DENIED, UNAUTHENTICATED -> {
        return new Refused(service, e);
      }
      case DEADLINE_EXCEEDED -> {
        faults.record("no answer in time", e);
        return new TimedOutException(
            upper() + "_TIMEOUT",
            "the " + service + " service did not answer in time",
            Map.of("dependency", service));
      }
      default -> {
        // UNAVAILABLE, RESOURCE_EXHAUSTED, INTERNAL, a reset stream: the other service's trouble.
        channel.resetConnectBackoff();
        faults.record(code.name(), e);
        return new UnavailableException(
            upper() + "_UNAVAILABLE",
            "the " + service + " service is unavailable; retry later",
            Map.of("dependency", service));
      }
    }
  }

  private String upper() {
    return service.toUpperCase(java.util.Locale.ROOT);
  }

  /** The other service refused the request as such (it is not down). */
  public static final class Refused extends RuntimeException {
    private final Status.Code code;

    Refused(String service, StatusRuntimeException cause) {
      super("the " + service + " service refused the call: " + cause.getStatus().getCode(), cause);
      this.code = cause.getStatus().getCode();
    }

    public Status.Code code() {
      return code;
    }
  }
}
