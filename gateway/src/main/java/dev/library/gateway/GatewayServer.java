package dev.library.gateway;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ShuttingDownException;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingQueryParamMatchRule;
import io.dropwizard.lifecycle.Managed;
import dev.library.runtime.observe.Telemetry;
import dev.library.runtime.observe.Tracing;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST edge where Envoy is absent: an Armeria server on Envoy's listener port that transcodes
 * REST/JSON to gRPC for the services Envoy's transcoder names, proxies gRPC clients on the same
 * port, answers CORS as Envoy's policy says, and serves the API docs.
 */
public final class GatewayServer implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  /** Envoy's buffer limit when its file sets none (the default per-connection buffer). */
  private static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

  /** How long a stopping gateway must see no request in flight before it closes. */
  private static final Duration DRAIN_QUIET_PERIOD = Duration.ofMillis(100);

  private final EnvoyConfig envoy;
  private final GatewaySettings settings;
  private final ProtoDescriptors protos;
  private final UpstreamChannels channels;
  private final DocsRoutes docs;
  private final Duration drainTimeout;
  private final Telemetry telemetry;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private Server server;

  /**
   * A gateway with plaintext upstreams, metrics only and a 5 s drain: one started on its own,
   * outside a configured process (the gateway's own tests).
   *
   * @param addresses cluster name to the host:port this process reaches it at
   * @param docs serves the docs routes, or null to leave them out
   */
  public static GatewayServer plaintext(
      EnvoyConfig envoy,
      GatewaySettings settings,
      ProtoDescriptors protos,
      Function<String, String> addresses,
      DocsRoutes docs) {
    return new GatewayServer(
        envoy,
        settings,
        protos,
        addresses,
        docs,
        Duration.ofSeconds(5),
        Telemetry.metricsOnly(),
        InsecureChannelCredentials.create());
  }

  /**
   * @param addresses cluster name to the host:port this process reaches it at
   * @param docs serves the docs routes, or null to leave them out
   * @param drainTimeout how long a stop lets the requests in flight finish (the process's grace
   *     period); requests arriving meanwhile are refused with 503
   * @param telemetry where the gateway's metrics go, and its tracing
   * @param upstreamCredentials how the services are reached: plaintext or TLS
   */
  public GatewayServer(
      EnvoyConfig envoy,
      GatewaySettings settings,
      ProtoDescriptors protos,
      Function<String, String> addresses,
      DocsRoutes docs,
      Duration drainTimeout,
      Telemetry telemetry,
      ChannelCredentials upstreamCredentials) {
    this.drainTimeout = drainTimeout;
    this.telemetry = telemetry;
    this.envoy = envoy;
    this.settings = settings;
    this.protos = protos;
    this.channels = new UpstreamChannels(addresses, envoy.clusters(), upstreamCredentials);
    this.docs = docs;
  }

  @Override
  public synchronized void start() {
    server = build();
    server.start().join();
    LOG.info(
        "REST gateway on port {} for {}", server.activeLocalPort(), envoy.transcodedServices());
  }

  @Override
  public synchronized void stop() throws InterruptedException {
    if (server != null) {
      stopping.set(true);
      server.stop().join();
      server = null;
      LOG.info("REST gateway stopped");
    }
    channels.close();
  }

  /** The port the server listens on (the chosen one when configured with 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("the gateway is not running");
    }
    return server.activeLocalPort();
  }

  public synchronized boolean isRunning() {
    return server != null && !server.isClosing() && !server.activePorts().isEmpty();
  }

  private Server build() {
    if (!envoy.convertGrpcStatus()) {
      LOG.warn(
          "Envoy's transcoder has convert_grpc_status off; the gateway sends google.rpc.Status "
              + "JSON bodies for gRPC errors all the same");
    }
    TypeRegistry types = protos.typeRegistry();
    JsonFormat.Printer printer = JsonPrinting.printer(envoy.printOptions(), types);
    RpcStatusJson errors = new RpcStatusJson(printer);
    EnvoyJsonMarshaller marshaller =
        new EnvoyJsonMarshaller(printer, JsonPrinting.parser(types));
    Tracing tracing = telemetry.tracing();
    HeaderForwarding headers = new HeaderForwarding(envoy.headersToRemove(), tracing.enabled());
    QueryParameters queryParameters = new QueryParameters(envoy.ignoreUnknownQueryParameters());

    GrpcServiceBuilder grpc =
        GrpcService.builder()
            // Armeria calls the last interceptor first: the span opens before the trace id is
            // read for the access log.
            .intercept(GatewayAccess.traceIdTag())
            .intercept(tracing.serverInterceptor(GatewayAccess.MODULE).stream().toList())
            .jsonMarshallerFactory(service -> marshaller)
            // The forwarding handler puts the caller's grpc-timeout on the upstream call; were
            // Armeria to time the request out too, at the same instant, it would win the race
            // with a CANCELLED (499) instead of the upstream's DEADLINE_EXCEEDED (504).
            .useClientTimeoutHeader(false)
            // A request that is not a message of the method's type (JSON of another shape, or
            // a gRPC client's malformed bytes, which grpc-protobuf's marshaller reports as
            // INTERNAL): the caller's mistake, named. A request still pending when a stop's
            // grace period ends is cut with Armeria's ShuttingDownException, which would
            // otherwise become UNKNOWN (500): it is a 503.
            .exceptionHandler(
                (ctx, status, cause, metadata) -> {
                  for (Throwable t = cause; t != null; t = t.getCause()) {
                    if (t instanceof InvalidProtocolBufferException invalid) {
                      return Status.INVALID_ARGUMENT.withDescription(invalid.getMessage());
                    }
                  }
                  if (cause instanceof ShuttingDownException) {
                    return Status.UNAVAILABLE.withDescription("the gateway is stopping; retry");
                  }
                  return null;
                })
            .enableHttpJsonTranscoding(
                HttpJsonTranscodingOptions.builder()
                    // Envoy takes both spellings of a field in a query string.
                    .queryParamMatchRules(
                        HttpJsonTranscodingQueryParamMatchRule.ORIGINAL_FIELD,
                        HttpJsonTranscodingQueryParamMatchRule.LOWER_CAMEL_CASE)
                    .errorHandler(new TranscodingErrorHandler(errors))
                    .build());
    Set<String> serviceClusters = new HashSet<>();
    for (String name : envoy.transcodedServices()) {
      ServiceDescriptor service = protos.service(name);
      EnvoyConfig.Route route = envoy.routeForService(name).orElseThrow();
      String cluster = route.cluster();
      serviceClusters.add(cluster);
      ManagedChannel upstream = channels.channel(cluster);
      Channel calls = ClientInterceptors.intercept(upstream, telemetry.clientInterceptors());
      // Envoy's route timeout where the file sets one, and never more than the gateway allows.
      Duration limit =
          route.timeout()
              .filter(t -> t.compareTo(settings.getRequestTimeout()) < 0)
              .orElse(settings.getRequestTimeout());
      Deadlines deadlines = new Deadlines(limit);
      grpc.addService(
          DynamicServiceDefinitions.define(
              service, method -> new ForwardingCallHandler(method, upstream, calls, headers, deadlines)));
      queryParameters.add(service);
    }
    GrpcService transcoding = grpc.build();

    int maxHeaders = envoy.maxRequestHeadersBytes();
    RestRequests restRequests = new RestRequests(transcoding, queryParameters, maxHeaders);
    int maxRequestBytes = envoy.maxRequestBytes().orElse(DEFAULT_MAX_REQUEST_BYTES);
    ServerBuilder builder =
        Server.builder()
            .http(settings.getPort().orElse(envoy.listenerPort()))
            .maxRequestLength(maxRequestBytes)
            // Envoy's one limit on the request line and headers together, applied to each by
            // the HTTP decoders (a request line over it is 414, headers over it 431); RestRequests
            // then checks the sum, as Envoy does.
            .http1MaxInitialLineLength(maxHeaders)
            .http1MaxHeaderSize(maxHeaders)
            .http2MaxHeaderListSize(maxHeaders)
            // A little over the upstream deadline, so that the upstream's DEADLINE_EXCEEDED
            // (a 504 with its message) is what the caller sees, not Armeria's own timeout.
            .requestTimeout(settings.getRequestTimeout().plus(Duration.ofSeconds(1)))
            // A stop closes the port and lets the requests in flight finish (their upstream gRPC
            // servers stop only after the gateway), up to the process's grace period. The quiet
            // period must not be zero: zero means "stop at once", cutting every request in flight.
            .gracefulShutdownTimeout(DRAIN_QUIET_PERIOD, drainTimeout)
            .disableServerHeader()
            .errorHandler(
                new JsonServerErrorHandler(
                    errors, new LocalReplyCodes(envoy.localReplyCodes()), maxHeaders))
            .service(transcoding, List.of(restRequests::decorate));
    if (docs != null) {
      // Envoy's routes to clusters other than the services' are the docs (/docs, /openapi/).
      for (EnvoyConfig.Route route : envoy.routes()) {
        if (!serviceClusters.contains(route.cluster())) {
          docs.mount(builder, route.prefix());
        }
      }
    }
    // While stopping, Armeria would keep serving new requests on connections already open until
    // the grace period ends (and then cut the ones in flight): refuse them, so that only the
    // requests already in flight remain to finish. gRPC clients read HTTP 503 as UNAVAILABLE.
    builder.decorator(
        (delegate, ctx, request) ->
            stopping.get()
                ? errors
                    .response(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        Status.Code.UNAVAILABLE,
                        "the gateway is stopping; retry")
                    .toHttpResponse()
                : delegate.serve(ctx, request));
    // Outermost but CORS: every request, refused or served, is timed and logged.
    builder.decorator(new GatewayAccess(telemetry.meters())::decorate);
    envoy.cors()
        .filter(policy -> !policy.allowOrigins().isEmpty())
        .ifPresent(policy -> builder.decorator(onlyForAllowedOrigins(policy)));
    return builder.build();
  }

  /**
   * CORS as Envoy's filter does it: a request from an origin the policy allows gets CORS
   * headers and its preflight answered; any other request is served as if it had no Origin
   * header (no CORS headers, so the browser withholds the answer from the page).
   */
  private static Function<? super HttpService, ? extends HttpService> onlyForAllowedOrigins(
      CorsPolicy policy) {
    CorsServiceBuilder cors = cors(policy);
    return delegate -> {
      HttpService withCors = cors.build(delegate);
      return (ctx, req) -> {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        return origin != null && policy.allows(origin)
            ? withCors.serve(ctx, req)
            : delegate.serve(ctx, req);
      };
    };
  }

  private static CorsServiceBuilder cors(CorsPolicy policy) {
    CorsServiceBuilder cors = CorsService.builder(policy::allows);
    if (!policy.allowMethods().isEmpty()) {
      cors.allowRequestMethods(
          policy.allowMethods().stream()
              .map(m -> HttpMethod.valueOf(m.toUpperCase(Locale.ROOT)))
              .toList());
    }
    if (!policy.allowHeaders().isEmpty()) {
      cors.allowRequestHeaders(policy.allowHeaders());
    }
    if (!policy.exposeHeaders().isEmpty()) {
      cors.exposeHeaders(policy.exposeHeaders());
    }
    policy.maxAge().ifPresent(cors::maxAge);
    if (policy.allowCredentials()) {
      cors.allowCredentials();
    }
    return cors;
  }
}
