package dev.library.runtime.observe;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcRequest;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * OpenTelemetry tracing of one process, or nothing at all. It is on only when an OTLP endpoint is
 * configured ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, read with the SDK's own autoconfiguration, so
 * every other {@code OTEL_*} variable works as documented) or a test hands in an exporter. Off,
 * no interceptor is installed and no data source is wrapped: a request costs nothing extra.
 */
public final class Tracing implements AutoCloseable {
  /** Names the module a span belongs to, since one process may host several. */
  public static final AttributeKey<String> MODULE = AttributeKey.stringKey("library.module");

  static final String ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT";
  private static final String ENDPOINT_PROPERTY = "otel.exporter.otlp.endpoint";

  private static final Tracing OFF = new Tracing(null);

  private final OpenTelemetrySdk sdk;

  private Tracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  public static Tracing off() {
    return OFF;
  }

  /**
   * On when the environment (or the {@code otel.exporter.otlp.endpoint} system property) names
   * an OTLP endpoint, exporting there; off otherwise.
   */
  public static Tracing fromEnvironment(Map<String, String> environment, String serviceName) {
    String endpoint = environment.get(ENDPOINT_VARIABLE);
    if (isBlank(endpoint)) {
      endpoint = System.getProperty(ENDPOINT_PROPERTY);
    }
    if (isBlank(endpoint)) {
      return off();
    }
    String endpointValue = endpoint;
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            // Defaults only: OTEL_* variables and otel.* properties override them. Metrics and
            // logs have their own routes here (Prometheus, the log appenders).
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        ENDPOINT_PROPERTY, endpointValue,
                        "otel.service.name", serviceName,
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    return new Tracing(sdk);
  }

  /** Tracing into {@code exporter} (tests and tools), each span handed over as it ends. */
  public static Tracing exportingTo(SpanExporter exporter, String serviceName) {
    SdkTracerProvider tracers =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.builder().put("service.name", serviceName).build()))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    return new Tracing(
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracers)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build());
  }

  public boolean enabled() {
    return sdk != null;
  }

  /** Opens a SERVER span per call, continuing the caller's {@code traceparent}. */
  public Optional<ServerInterceptor> serverInterceptor(String module) {
    return grpc(module).map(GrpcTelemetry::newServerInterceptor);
  }

  /** Opens a CLIENT span per call and sends {@code traceparent} along. */
  public Optional<ClientInterceptor> clientInterceptor(String module) {
    return grpc(module).map(GrpcTelemetry::newClientInterceptor);
  }

  /** A span per statement (and per connection taken) of this data source, when on. */
  public DataSource instrument(DataSource dataSource) {
    if (sdk == null) {
      return dataSource;
    }
    return JdbcTelemetry.builder(sdk)
        // The statement text without its literals: values never reach the trace store.
        .setStatementSanitizationEnabled(true)
        // Statements only: a span per connection taken from the pool is noise.
        .setDataSourceInstrumenterEnabled(false)
        .build()
        .wrap(dataSource);
  }

  public OpenTelemetry openTelemetry() {
    return sdk == null ? OpenTelemetry.noop() : sdk;
  }

  private Optional<GrpcTelemetry> grpc(String module) {
    if (sdk == null) {
      return Optional.empty();
    }
    return Optional.of(
        GrpcTelemetry.builder(sdk).addAttributesExtractor(moduleAttribute(module)).build());
  }

  private static AttributesExtractor<GrpcRequest, io.grpc.Status> moduleAttribute(String module) {
    return new AttributesExtractor<>() {
      @Override
      public void onStart(AttributesBuilder attributes, Context parent, GrpcRequest request) {
        attributes.put(MODULE, module);
      }

      @Override
      public void onEnd(
          AttributesBuilder attributes,
          Context context,
          GrpcRequest request,
          io.grpc.Status status,
          Throwable error) {}
    };
  }

  @Override
  public void close() {
    if (sdk != null) {
      sdk.close();
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
