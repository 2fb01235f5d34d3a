package dev.library.runtime.observe;

import static org.awaitility.Awaitility.await;
import dev.library.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.rpc.RequestInfo;
import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.GetAuthorRequest;
import dev.library.author.v1.GetAuthorResponse;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.errors.ThrottledException;
import dev.library.runtime.grpc.ExceptionTranslatingInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The interceptors a module's gRPC server and channels get from {@link Telemetry}, over a real
 * gRPC connection: spans on both sides of a call in one trace, the trace id in the MDC of the
 * service's log lines and in the error's RequestInfo, the request log line, RPC metrics on both
 * sides, throttling counted by reason; and, with tracing off, no tracing interceptor at all.
 */
class TelemetryInterceptorsTest {
  private static final Logger SERVICE_LOG = (Logger) LoggerFactory.getLogger("test.service");

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  @Test
  void aTracedCallIsOneTraceWithItsIdInTheLogsAndTheErrorDetails() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    Telemetry telemetry = new Telemetry(Tracing.exportingTo(spans, "test"));
    ListAppender<ILoggingEvent> serviceLog = capture(SERVICE_LOG);
    ListAppender<ILoggingEvent> requestLog =
        capture((Logger) LoggerFactory.getLogger(RequestLog.LOGGER));
    AuthorServiceGrpc.AuthorServiceBlockingStub client = serve(telemetry);

    assertThat(client.getAuthor(GetAuthorRequest.newBuilder().setId("present").build()))
        .isNotNull();
    StatusRuntimeException missing =
        catchStatus(() -> client.getAuthor(GetAuthorRequest.newBuilder().setId("missing").build()));

    await().atMost(Duration.ofSeconds(10))
        .alias("four finished spans")
        .until(() -> spans.getFinishedSpanItems().size(), n -> n >= 4);
    List<SpanData> finished = spans.getFinishedSpanItems();
    SpanData server =
        finished.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    SpanData client0 =
        finished.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(server.getTraceId()).as("the server continued the client's trace").isEqualTo(client0.getTraceId());
    assertThat(server.getAttributes().get(Tracing.MODULE)).isEqualTo("author");

    String missingTrace = requestInfo(missing);
    assertThat(finished).anyMatch(s -> s.getTraceId().equals(missingTrace));
    assertThat(serviceLog.list)
        .as("every line the service logs in a call carries the call's trace id")
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey(RequestLog.TRACE_ID))
        .anySatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry(RequestLog.TRACE_ID, missingTrace));
    assertThat(requestLog.list)
        .as("one request line per call: method, status, duration, caller")
        .hasSize(2)
        .anySatisfy(
            e ->
                assertThat(e.getMDCPropertyMap())
                    .containsEntry(RequestLog.TRACE_ID, missingTrace)
                    .containsEntry(RequestLog.STATUS, "NOT_FOUND")
                    .containsEntry(RequestLog.METHOD, "library.author.v1.AuthorService/GetAuthor")
                    .containsEntry(RequestLog.CALLER, "anonymous")
                    .containsKey(RequestLog.DURATION_MS));
  }

  @Test
  void callsAreMeasuredOnBothSidesAndThrottlingCountedByReason() throws Exception {
    Telemetry telemetry = Telemetry.metricsOnly();
    AuthorServiceGrpc.AuthorServiceBlockingStub client = serve(telemetry);
    client.getAuthor(GetAuthorRequest.newBuilder().setId("present").build());
    catchStatus(() -> client.getAuthor(GetAuthorRequest.newBuilder().setId("missing").build()));
    catchStatus(() -> client.getAuthor(GetAuthorRequest.newBuilder().setId("throttle").build()));
    catchStatus(() -> client.getAuthor(GetAuthorRequest.newBuilder().setId("throttle").build()));

    MeterRegistry meters = telemetry.meters();
    assertThat(count(meters, RpcServerMetrics.DURATION, "OK")).isEqualTo(1);
    assertThat(count(meters, RpcServerMetrics.DURATION, "NOT_FOUND")).isEqualTo(1);
    assertThat(count(meters, RpcClientMetrics.DURATION, "RESOURCE_EXHAUSTED")).isEqualTo(2);
    assertThat(
            meters.get(RpcServerMetrics.THROTTLED).tag("reason", "TOO_MANY_ATTEMPTS").counter().count())
        .isEqualTo(2);
    assertThat(telemetry.meters().get("jvm.memory.used").gauges()).isNotEmpty();
  }

  @Test
  void withTracingOffNothingIsInstrumented() {
    Tracing off = Tracing.fromEnvironment(Map.of(), "test");
    assertThat(off.enabled()).isFalse();
    assertThat(off.serverInterceptor("author")).isEmpty();
    assertThat(off.clientInterceptor("author")).isEmpty();
    javax.sql.DataSource pool = new org.apache.tomcat.jdbc.pool.DataSource();
    assertThat(off.instrument(pool)).isSameAs(pool);
    Telemetry telemetry = new Telemetry(off);
    assertThat(telemetry.serverInterceptors("author"))
        .extracting(i -> i.getClass().getName())
        .noneMatch(name -> name.startsWith("io.opentelemetry"));
    assertThat(telemetry.clientInterceptors())
        .extracting(i -> i.getClass().getName())
        .noneMatch(name -> name.startsWith("io.opentelemetry"));
  }

  @Test
  void anOtlpEndpointTurnsTracingOnWithTheDefaultGrpcProtocol() {
    // Nothing listens there: building the exporter must not need a collector, only a sender.
    try (Tracing on =
        Tracing.fromEnvironment(
            Map.of(Tracing.ENDPOINT_VARIABLE, "http://localhost:" + FreePorts.next()), "test")) {
      assertThat(on.enabled()).isTrue();
      assertThat(on.serverInterceptor("author")).isPresent();
      assertThat(on.clientInterceptor("author")).isPresent();
    }
  }



  private AuthorServiceGrpc.AuthorServiceBlockingStub serve(Telemetry telemetry) throws Exception {
    List<ServerInterceptor> interceptors = new ArrayList<>(telemetry.serverInterceptors("author"));
    interceptors.add(new ExceptionTranslatingInterceptor());
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("localhost", 0))
            .addService(ServerInterceptors.interceptForward(new Authors(), interceptors))
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("localhost", server.getPort()).usePlaintext().build();
    closing.add(() -> {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      telemetry.stop();
    });
    return AuthorServiceGrpc.newBlockingStub(
        ClientInterceptors.intercept(channel, telemetry.clientInterceptors()));
  }

  private ListAppender<ILoggingEvent> capture(Logger logger) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    closing.add(() -> logger.detachAppender(appender));
    return appender;
  }

  private static long count(MeterRegistry meters, String timer, String status) {
    return meters.get(timer).tag("rpc.grpc.status_code", status).timer().count();
  }

  private static StatusRuntimeException catchStatus(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  private static String requestInfo(StatusRuntimeException e) throws Exception {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).isNotNull();
    for (var detail : status.getDetailsList()) {
      if (detail.is(RequestInfo.class)) {
        return detail.unpack(RequestInfo.class).getRequestId();
      }
    }
    throw new AssertionError("no RequestInfo in " + status + " trailers " + e.getTrailers());
  }

  /** Answers "present", refuses "missing" and throttles "throttle"; logs a line per call. */
  private static final class Authors extends AuthorServiceGrpc.AuthorServiceImplBase {
    @Override
    public void getAuthor(GetAuthorRequest request, StreamObserver<GetAuthorResponse> response) {
      SERVICE_LOG.info("looking up an author");
      switch (request.getId()) {
        case "missing" -> throw new NotFoundException("AUTHOR_NOT_FOUND", "no such author");
        case "throttle" ->
            throw new ThrottledException(
                "TOO_MANY_ATTEMPTS", "slow down", Duration.ofSeconds(1), Map.of());
        default -> {
          response.onNext(GetAuthorResponse.getDefaultInstance());
          response.onCompleted();
        }
      }
    }
  }
}
