package dev.library.runtime.grpc;

import dev.library.runtime.errors.ApiErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to another service, with the failure turned into something the caller of this service
 * can act on: UNAVAILABLE (with the service named) when the other service is down or too slow,
 * and a logged INTERNAL for anything else, which would be a bug in how this service calls it.
 */
public final class Downstream {
  private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);

  private Downstream() {}

  public static <T> T call(String service, Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
        throw ApiErrors.unavailable("the " + service + " service is unavailable; retry later");
      }
      LOG.error("unexpected answer from the {} service", service, e);
      throw new IllegalStateException("call to the " + service + " service failed: " + code, e);
    }
  }
}
