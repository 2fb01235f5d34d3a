package dev.library.runtime.observe;

import io.grpc.Metadata;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.regex.Pattern;

/**
 * The trace id of a call: the current span's when tracing is on, else the one in the caller's
 * W3C {@code traceparent} header (Envoy or a client may have started the trace), else none.
 */
public final class TraceIds {
  public static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  private static final Pattern W3C =
      Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}.*");
  private static final String INVALID = "00000000000000000000000000000000";

  private TraceIds() {}

  /** The trace id of the call whose headers these are, or "" when it has none. */
  public static String of(Metadata headers) {
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      return span.getTraceId();
    }
    return fromTraceparent(headers.get(TRACEPARENT));
  }

  public static String fromTraceparent(String traceparent) {
    if (traceparent == null) {
      return "";
    }
    var matcher = W3C.matcher(traceparent.trim());
    if (!matcher.matches() || matcher.group(1).equals(INVALID)) {
      return "";
    }
    return matcher.group(1);
  }
}
