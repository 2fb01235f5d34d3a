package dev.library.runtime.observe;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's metrics and traces: one Prometheus registry (served at {@code /metrics/prometheus}
 * on the admin port, beside Dropwizard's JSON {@code /metrics}) and the process's {@link Tracing}.
 * Per process, not global, so that several processes in one JVM (the tests) keep apart.
 */
public final class Telemetry implements Managed {
  public static final String PROMETHEUS_PATH = "/metrics/prometheus";

  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Tracing tracing;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Telemetry(Tracing tracing) {
    this.tracing = tracing;
    new JvmMemoryMetrics().bindTo(meters);
    gc.bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ClassLoaderMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
  }

  /** Metrics and no tracing, for tools and tests that build parts of the runtime alone. */
  public static Telemetry metricsOnly() {
    return new Telemetry(Tracing.off());
  }

  /** Serves the scrape endpoint on the admin port and closes the exporters at shutdown. */
  public void install(Environment environment) {
    environment
        .admin()
        .addServlet("prometheus", new PrometheusServlet(meters))
        .addMapping(PROMETHEUS_PATH);
    environment.lifecycle().manage(this);
  }

  /** Where modules register meters of their own (they appear in the Prometheus scrape). */
  public MeterRegistry meters() {
    return meters;
  }

  public Tracing tracing() {
    return tracing;
  }

  /**
   * What every gRPC server of {@code module} runs first, outermost first: the trace span (when
   * tracing is on: everything after it runs inside the span), metrics, the request log, and the
   * trace id on error replies.
   */
  public List<ServerInterceptor> serverInterceptors(String module) {
    List<ServerInterceptor> interceptors = new ArrayList<>();
    tracing.serverInterceptor(module).ifPresent(interceptors::add);
    interceptors.add(new RpcServerMetrics(meters));
    interceptors.add(new RequestLog(module));
    interceptors.add(new ErrorRequestInfo());
    return interceptors;
  }

  /** What every call to another service goes through: metrics, and the trace span when on. */
  public List<ClientInterceptor> clientInterceptors() {
    List<ClientInterceptor> interceptors = new ArrayList<>();
    interceptors.add(new RpcClientMetrics(meters));
    // ClientInterceptors.intercept runs the last one first: the span is opened before the
    // metrics start timing, and traceparent is set on the headers the call sends.
    tracing.clientInterceptor("client").ifPresent(interceptors::add);
    return interceptors;
  }

  @Override
  public void stop() {
    gc.close();
    tracing.close();
    meters.close();
  }
}
