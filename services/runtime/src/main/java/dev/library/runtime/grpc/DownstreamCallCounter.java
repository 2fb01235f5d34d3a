package dev.library.runtime.grpc;

import com.codahale.metrics.MetricRegistry;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/**
 * Counts the calls this process makes to other services, per method, as Dropwizard meters named
 * {@code downstream.<service>/<method>} (on the admin port's /metrics). They show what one
 * request costs downstream, e.g. that a page of books takes a fixed number of calls.
 */
public final class DownstreamCallCounter implements ClientInterceptor {
  public static final String PREFIX = "downstream.";

  private final MetricRegistry metrics;

  public DownstreamCallCounter(MetricRegistry metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    metrics.meter(PREFIX + method.getFullMethodName()).mark();
    return next.newCall(method, options);
  }
}
