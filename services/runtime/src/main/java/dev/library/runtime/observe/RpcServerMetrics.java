package dev.library.runtime.observe;

import com.google.rpc.ErrorInfo;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Per gRPC method served: the OpenTelemetry RPC metric {@code rpc.server.duration} (a histogram
 * in seconds, so its count is the requests by status code), and every throttling refusal
 * (RESOURCE_EXHAUSTED) counted by its {@code ErrorInfo} reason as {@code library.throttled}.
 */
public final class RpcServerMetrics implements ServerInterceptor {
  public static final String DURATION = "rpc.server.duration";
  public static final String THROTTLED = "library.throttled";

  private final MeterRegistry meters;

  public RpcServerMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    return next.startCall(
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            record(method, status, trailers, System.nanoTime() - start);
            super.close(status, trailers);
          }
        },
        headers);
  }

  private void record(MethodDescriptor<?, ?> method, Status status, Metadata trailers, long nanos) {
    RpcMeters.timer(meters, DURATION, method, status.getCode()).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
      Counter.builder(THROTTLED)
          .description("Requests refused by a throttle (RESOURCE_EXHAUSTED), by reason")
          .tag(RpcMeters.METHOD, method.getBareMethodName() == null ? "" : method.getBareMethodName())
          .tag(RpcMeters.SERVICE, method.getServiceName() == null ? "" : method.getServiceName())
          .tag("reason", reason(status, trailers))
          .register(meters)
          .increment();
    }
  }

  private static String reason(Status status, Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    for (var detail : details.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          return "UNREADABLE";
        }
      }
    }
    return "UNSPECIFIED";
  }

  /** Not a meter: the names and buckets the server and client RPC meters share. */
  static final class RpcMeters {
    static final String SYSTEM = "rpc.system";
    static final String SERVICE = "rpc.service";
    static final String METHOD = "rpc.method";
    static final String STATUS = "rpc.grpc.status_code";

    private RpcMeters() {}

    static Timer timer(MeterRegistry meters, String name, MethodDescriptor<?, ?> method, Status.Code code) {
      return Timer.builder(name)
          .description("Duration of gRPC calls, by method and status code")
          .tag(SYSTEM, "grpc")
          .tag(SERVICE, method.getServiceName() == null ? "" : method.getServiceName())
          .tag(METHOD, method.getBareMethodName() == null ? "" : method.getBareMethodName())
          .tag(STATUS, code.name())
          .serviceLevelObjectives(Buckets.LATENCY)
          .register(meters);
    }
  }
}
