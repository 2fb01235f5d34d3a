package dev.library.runtime.observe;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Per gRPC method called on another service: {@code rpc.client.duration}, the client side of
 * {@link RpcServerMetrics}, with the status the caller saw (a deadline that ran out here counts as
 * DEADLINE_EXCEEDED even if the server never answered).
 */
public final class RpcClientMetrics implements ClientInterceptor {
  public static final String DURATION = "rpc.client.duration";

  private final MeterRegistry meters;

  public RpcClientMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        long start = System.nanoTime();
        super.start(
            new SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                RpcServerMetrics.RpcMeters.timer(meters, DURATION, method, status.getCode())
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }
}
