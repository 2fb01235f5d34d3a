package dev.library.runtime.observe;

import dev.library.runtime.grpc.CallerContext;
import dev.library.runtime.security.Caller;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per call on the {@code dev.library.requests} logger (method, status, duration,
 * caller id), and the call's trace id and method in the MDC of every line logged while the call
 * runs, so the JSON logs of a request can be found from the trace id an error reply carries. The
 * caller is named by user id or as a service, never by what it presented (tokens, keys).
 */
public final class RequestLog implements ServerInterceptor {
  public static final String LOGGER = "dev.library.requests";
  public static final String TRACE_ID = "trace_id";
  public static final String MODULE = "module";
  public static final String METHOD = "rpc_method";
  public static final String STATUS = "rpc_status";
  public static final String DURATION_MS = "duration_ms";
  public static final String CALLER = "caller";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final String module;

  public RequestLog(String module) {
    this.module = module;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    Map<String, String> context =
        Map.of(
            TRACE_ID, TraceIds.of(headers),
            MODULE, module,
            METHOD, call.getMethodDescriptor().getFullMethodName());
    ServerCall<Q, R> logged =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            try (Diagnostics ignored = Diagnostics.with(context)) {
              MDC.put(STATUS, status.getCode().name());
              MDC.put(DURATION_MS, Long.toString(millis));
              MDC.put(CALLER, describe(CallerContext.current()));
              LOG.info(
                  "{} {} {} ms", context.get(METHOD), status.getCode(), millis);
            } finally {
              MDC.remove(STATUS);
              MDC.remove(DURATION_MS);
              MDC.remove(CALLER);
            }
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener;
    try (Diagnostics ignored = Diagnostics.with(context)) {
      listener = next.startCall(logged, headers);
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        try (Diagnostics ignored = Diagnostics.with(context)) {
          super.onMessage(message);
        }
      }

      @Override
      public void onHalfClose() {
        try (Diagnostics ignored = Diagnostics.with(context)) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        try (Diagnostics ignored = Diagnostics.with(context)) {
          super.onCancel();
        }
      }

      @Override
      public void onComplete() {
        try (Diagnostics ignored = Diagnostics.with(context)) {
          super.onComplete();
        }
      }

      @Override
      public void onReady() {
        try (Diagnostics ignored = Diagnostics.with(context)) {
          super.onReady();
        }
      }
    };
  }

  private static String describe(Caller caller) {
    if (caller.isUser()) {
      return "user:" + caller.userId();
    }
    return caller.isService() ? "service" : "anonymous";
  }

  /** Puts entries in the MDC for a scope and restores what was there before. */
  static final class Diagnostics implements AutoCloseable {
    private final Map<String, String> previous;

    private Diagnostics(Map<String, String> previous) {
      this.previous = previous;
    }

    static Diagnostics with(Map<String, String> entries) {
      Map<String, String> previous = MDC.getCopyOfContextMap();
      entries.forEach(
          (key, value) -> {
            if (value.isEmpty()) {
              MDC.remove(key);
            } else {
              MDC.put(key, value);
            }
          });
      return new Diagnostics(previous);
    }

    @Override
    public void close() {
      if (previous == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(previous);
      }
    }
  }
}
