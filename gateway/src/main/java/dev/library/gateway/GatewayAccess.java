package dev.library.gateway;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.library.runtime.observe.Buckets;
import dev.library.runtime.observe.TraceIds;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.AttributeKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What the gateway records of each HTTP request: the OpenTelemetry HTTP metric {@code
 * http.server.request.duration} by route and status, and an access log line on {@code
 * dev.library.access} with the same MDC keys as the services' request log (trace id, method,
 * status, duration), so JSON access logs and service logs read alike.
 */
final class GatewayAccess {
  static final String MODULE = "gateway";
  static final String LOGGER = "dev.library.access";
  static final String DURATION = "http.server.request.duration";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final AttributeKey<String> TRACE_ID =
      AttributeKey.valueOf(GatewayAccess.class, "trace_id");

  private final MeterRegistry meters;

  /**
   * The timers by method, route and status, all few: building a meter id (tags sorted) and
   * looking it up in the registry on every request was the gateway's Micrometer cost.
   */
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

  private record TimerKey(String method, String route, int status) {}

  GatewayAccess(MeterRegistry meters) {
    this.meters = meters;
  }

  HttpService decorate(HttpService delegate) {
    return (ctx, request) -> {
      ctx.log().whenComplete().thenAccept(log -> record(ctx, request, log));
      return delegate.serve(ctx, request);
    };
  }

  /**
   * Leaves the trace id of the gRPC call (the gateway's span, or the caller's traceparent) on the
   * request's context, where the access log line finds it.
   */
  static ServerInterceptor traceIdTag() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        String traceId = TraceIds.of(headers);
        if (ctx != null && !traceId.isEmpty()) {
          ctx.setAttr(TRACE_ID, traceId);
        }
        return next.startCall(call, headers);
      }
    };
  }

  private Timer timer(TimerKey key) {
    return Timer.builder(DURATION)
        .description("Duration of HTTP requests at the REST gateway, by route and status")
        .tag("http.request.method", key.method())
        .tag("http.route", key.route())
        .tag("http.response.status_code", Integer.toString(key.status()))
        .serviceLevelObjectives(Buckets.latency())
        .register(meters);
  }

  private void record(ServiceRequestContext ctx, HttpRequest request, RequestLog log) {
    int status = log.responseHeaders().status().code();
    String method = request.method().name();
    String route = ctx.config().route().patternString();
    long nanos = log.totalDurationNanos();
    timers.computeIfAbsent(new TimerKey(method, route, status), this::timer)
        .record(nanos, TimeUnit.NANOSECONDS);
    String traceId = ctx.attr(TRACE_ID);
    if (traceId == null) {
      traceId = TraceIds.fromTraceparent(request.headers().get("traceparent"));
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    try {
      if (!traceId.isEmpty()) {
        MDC.put("trace_id", traceId);
      }
      MDC.put("module", MODULE);
      MDC.put("http_method", method);
      MDC.put("http_route", route);
      MDC.put("http_status", Integer.toString(status));
      MDC.put("duration_ms", Long.toString(millis));
      // The path without its query string: queries may hold what users typed.
      LOG.info("{} {} {} {} ms", method, ctx.path(), status, millis);
    } finally {
      MDC.remove("trace_id");
      MDC.remove("module");
      MDC.remove("http_method");
      MDC.remove("http_route");
      MDC.remove("http_status");
      MDC.remove("duration_ms");
    }
  }
}
