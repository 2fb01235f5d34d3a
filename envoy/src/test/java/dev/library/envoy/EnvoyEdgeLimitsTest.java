package dev.library.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.ComparisonFilter;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ResponseMapper;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The limits and refusals of the REST edge as envoy/envoy.yaml states them: the header limit
 * fits the documented maxima, Envoy's own answers are google.rpc.Status JSON with the code of
 * README's table, bodies that are not JSON get 415, and the auth routes are rate limited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnvoyEdgeLimitsTest {
  private static final String TRANSCODER = RepoFiles.TRANSCODER;
  private static final String RATE_LIMIT = "envoy.filters.http.local_ratelimit";

  /**
   * README's "Limits and errors at the edge" table: the gRPC code that goes with each HTTP
   * status Envoy (or the gateway) answers by itself. For statuses that stand for a gRPC code it is that code
   * (google.rpc.Code's HTTP mapping); 413, 414, 415 and 431 are a request the edge refuses as
   * sent, INVALID_ARGUMENT like any 400; 408 and 502 are DEADLINE_EXCEEDED and UNAVAILABLE.
   */
  static final Map<Integer, Integer> DOCUMENTED_CODES =
      Map.ofEntries(
          Map.entry(400, 3),
          Map.entry(404, 5),
          Map.entry(408, 4),
          Map.entry(413, 3),
          Map.entry(414, 3),
          Map.entry(415, 3),
          Map.entry(429, 8),
          Map.entry(431, 3),
          Map.entry(500, 13),
          Map.entry(502, 14),
          Map.entry(503, 14),
          Map.entry(504, 4));

  private final Bootstrap bootstrap = RepoFiles.envoyBootstrap();
  private final HttpConnectionManager hcm = RepoFiles.connectionManager(bootstrap);
  private final VirtualHost host = hcm.getRouteConfig().getVirtualHosts(0);

  // ---- header limit ------------------------------------------------------------------------

  /**
   * The documented maxima must fit: ListBooks takes up to 100 category ids, and in a query
   * string each is `category_ids=<uuid>&`. With every other filter at a realistic length and a
   * bearer token, the request must stay well within the limit.
   */
  @Test
  void theHeaderLimitFitsAHundredCategoryIdsInAQueryString() {
    assertThat(hcm.hasMaxRequestHeadersKb()).as("max_request_headers_kb is set").isTrue();
    int limit = hcm.getMaxRequestHeadersKb().getValue() * 1024;

    String ids =
        IntStream.range(0, 100)
            .mapToObj(i -> "category_ids=" + UUID.randomUUID())
            .collect(Collectors.joining("&"));
    String url =
        "/api/v1/books?"
            + ids
            + "&title_query="
            + "%E2%80%94".repeat(200) // 200 non-ASCII characters, percent-encoded
            + "&author_query=le%20guin&sort_by=PUBLICATION_YEAR&sort_desc=true&page=1&page_size=100";
    int token = 2048; // an RS256 JWT with roles is under 1 KB
    int otherHeaders = 1024;

    assertThat(url.length() + token + otherHeaders)
        .as("a maximal ListBooks request, in bytes")
        .isLessThan(limit / 2);
    // Bounded all the same: Envoy's own maximum is 8192 KiB.
    assertThat(limit).isLessThanOrEqualTo(64 * 1024);
  }

  // ---- local replies -----------------------------------------------------------------------

  /** A gRPC request's local reply is left to gRPC (grpc-status), so the first mapper says so. */
  @Test
  void grpcRequestsKeepTheirLocalRepliesAsTheyAre() {
    ResponseMapper first = hcm.getLocalReplyConfig().getMappers(0);
    HeaderMatcher header = first.getFilter().getHeaderFilter().getHeader();

    assertThat(header.getName()).isEqualTo("content-type");
    assertThat(header.getStringMatch().getPrefix()).isEqualTo("application/grpc");
    assertThat(header.getInvertMatch()).isFalse();
    assertThat(first.hasBodyFormatOverride()).as("rewrites nothing").isFalse();
    assertThat(first.hasBody()).isFalse();
    assertThat(first.hasStatusCode()).isFalse();
    assertThat(hcm.getLocalReplyConfig().hasBodyFormat())
        .as("no fallback format that would apply to the gRPC mapper")
        .isFalse();
  }

  /**
   * Every other mapper turns one HTTP status into a google.rpc.Status JSON body: {"code": the
   * documented code, "message": Envoy's own text}, declared as JSON, the status unchanged.
   */
  @Test
  void localRepliesToRestClientsAreGoogleRpcStatusJsonWithTheDocumentedCode() {
    Map<Integer, Integer> codes = new LinkedHashMap<>();
    List<ResponseMapper> mappers = hcm.getLocalReplyConfig().getMappersList();
    for (ResponseMapper mapper : mappers.subList(1, mappers.size())) {
      ComparisonFilter comparison = mapper.getFilter().getStatusCodeFilter().getComparison();
      assertThat(comparison.getOp()).isEqualTo(ComparisonFilter.Op.EQ);
      assertThat(comparison.getValue().getRuntimeKey()).as("Envoy requires a runtime key").isNotBlank();
      int status = comparison.getValue().getDefaultValue();

      assertThat(mapper.hasStatusCode()).as("%s keeps its status", status).isFalse();
      assertThat(mapper.getBodyFormatOverride().getContentType()).isEqualTo("application/json");
      Map<String, Value> json = mapper.getBodyFormatOverride().getJsonFormat().getFieldsMap();
      assertThat(json.keySet()).as("fields of %s", status).containsExactlyInAnyOrder("code", "message");
      assertThat(json.get("code").getKindCase())
          .as("the code of %s is a JSON number", status)
          .isEqualTo(Value.KindCase.NUMBER_VALUE);
      assertThat(json.get("message").getStringValue()).isEqualTo("%LOCAL_REPLY_BODY%");
      codes.put(status, (int) json.get("code").getNumberValue());
    }

    assertThat(codes).isEqualTo(DOCUMENTED_CODES);
  }

  // ---- 415 -----------------------------------------------------------------------------------

  @Test
  void aContentTypeOtherThanJsonIsRefusedBeforeTranscoding() throws InvalidProtocolBufferException {
    List<Route> refusals = refusals415();
    assertThat(refusals).hasSize(3);

    Route wrongType = refusals.get(0);
    assertThat(wrongType.getMatch().getHeadersList())
        .extracting(HeaderMatcher::getName)
        .containsExactly("content-type", "content-type");
    assertThat(wrongType.getMatch().getHeaders(0).getPresentMatch()).isTrue();
    HeaderMatcher notJson = wrongType.getMatch().getHeaders(1);
    assertThat(notJson.getInvertMatch()).isTrue();
    // RE2 and java.util.regex agree on this pattern; Envoy matches the whole value.
    Pattern json = Pattern.compile(notJson.getStringMatch().getSafeRegex().getRegex());
    for (String accepted :
        List.of("application/json", "application/json; charset=utf-8", "Application/JSON",
            "application/json;charset=UTF-8")) {
      assertThat(json.matcher(accepted).matches()).as(accepted).isTrue();
    }
    for (String refused :
        List.of("text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/jsonp", "application/json-seq",
            "text/json", "")) {
      assertThat(json.matcher(refused).matches()).as(refused).isFalse();
    }

    Route bodyWithoutType = refusals.get(1);
    assertThat(bodyWithoutType.getMatch().getHeaders(0).getName()).isEqualTo("content-type");
    assertThat(bodyWithoutType.getMatch().getHeaders(0).getPresentMatch()).isFalse();
    assertThat(bodyWithoutType.getMatch().getHeaders(1).getName()).isEqualTo("content-length");
    assertThat(bodyWithoutType.getMatch().getHeaders(1).getRangeMatch().getStart()).isEqualTo(1);

    Route chunkedWithoutType = refusals.get(2);
    assertThat(chunkedWithoutType.getMatch().getHeaders(0).getPresentMatch()).isFalse();
    assertThat(chunkedWithoutType.getMatch().getHeaders(1).getName())
        .isEqualTo("transfer-encoding");
    assertThat(chunkedWithoutType.getMatch().getHeaders(1).getPresentMatch()).isTrue();

    for (Route route : refusals) {
      assertThat(route.getDirectResponse().getStatus()).isEqualTo(415);
      assertThat(route.getDirectResponse().getBody().getInlineString()).contains("application/json");
      // The transcoder would otherwise turn the request into a gRPC call before the router
      // could answer.
      FilterConfig transcoder =
          route.getTypedPerFilterConfigMap().get(TRANSCODER).unpack(FilterConfig.class);
      assertThat(transcoder.getDisabled()).isTrue();
    }
  }

  /** They must come before the /api/ route every REST request matches first. */
  @Test
  void theRefusalsComeBeforeTheApiCatchAll() {
    List<Route> routes = host.getRoutesList();
    int catchAll = -1;
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      if (route.getMatch().getPrefix().equals("/api/") && route.getMatch().getHeadersCount() == 0) {
        catchAll = i;
      }
    }
    assertThat(catchAll).isPositive();
    for (Route refusal : refusals415()) {
      assertThat(routes.indexOf(refusal)).isLessThan(catchAll);
    }
    assertThat(routes.get(catchAll).getDirectResponse().getStatus()).isEqualTo(404);
  }

  // ---- local_ratelimit on the auth routes ---------------------------------------------------

  /** The filter itself carries no bucket: only routes that declare one are limited. */
  @Test
  void theRateLimitFilterLimitsNothingByItself() throws InvalidProtocolBufferException {
    LocalRateLimit filter =
        hcm.getHttpFiltersList().stream()
            .filter(f -> f.getName().equals(RATE_LIMIT))
            .findFirst()
            .orElseThrow()
            .getTypedConfig()
            .unpack(LocalRateLimit.class);
    assertThat(filter.getStatPrefix()).isNotBlank();
    assertThat(filter.hasTokenBucket()).isFalse();
  }

  @Test
  void everyRouteToTheAuthServiceIsRateLimited() throws InvalidProtocolBufferException {
    List<Route> authRoutes = new ArrayList<>();
    for (Route route : host.getRoutesList()) {
      if (route.hasRoute() && route.getRoute().getCluster().equals("auth")) {
        authRoutes.add(route);
      }
    }
    // Login and Register (a bcrypt hash each) have buckets of their own; the rest share one.
    assertThat(authRoutes)
        .extracting(r -> r.getMatch().hasPath() ? r.getMatch().getPath() : r.getMatch().getPrefix())
        .containsExactly(
            "/library.auth.v1.AuthService/Login",
            "/library.auth.v1.AuthService/Register",
            "/library.auth.v1.AuthService/");

    for (Route route : authRoutes) {
      assertThat(route.getTypedPerFilterConfigMap()).containsKey(RATE_LIMIT);
      LocalRateLimit limit =
          route.getTypedPerFilterConfigMap().get(RATE_LIMIT).unpack(LocalRateLimit.class);
      String where = route.getMatch().toString();
      assertThat(limit.getStatPrefix()).as(where).isNotBlank();
      assertThat(limit.getTokenBucket().getMaxTokens()).as(where).isPositive();
      assertThat(limit.getTokenBucket().getTokensPerFill().getValue()).as(where).isPositive();
      assertThat(limit.getTokenBucket().getFillInterval().getSeconds()).as(where).isEqualTo(1);
      // Envoy's defaults for these are 0 %: the filter would count but never refuse.
      assertThat(percent(limit.getFilterEnabled().getDefaultValue())).as(where).isEqualTo(100);
      assertThat(percent(limit.getFilterEnforced().getDefaultValue())).as(where).isEqualTo(100);
      // gRPC RESOURCE_EXHAUSTED, which the transcoder renders as 429 {"code": 8}.
      assertThat(limit.getRateLimitedAsResourceExhausted()).as(where).isTrue();
      assertThat(limit.getResponseHeadersToAddList())
          .anySatisfy(
              h -> {
                assertThat(h.getHeader().getKey()).isEqualTo("retry-after");
                assertThat(Integer.parseInt(h.getHeader().getValue())).isPositive();
              });
    }
    LocalRateLimit login =
        authRoutes.get(0).getTypedPerFilterConfigMap().get(RATE_LIMIT).unpack(LocalRateLimit.class);
    LocalRateLimit others =
        authRoutes.get(2).getTypedPerFilterConfigMap().get(RATE_LIMIT).unpack(LocalRateLimit.class);
    assertThat(login.getTokenBucket().getTokensPerFill().getValue())
        .as("logins are the expensive calls")
        .isLessThan(others.getTokenBucket().getTokensPerFill().getValue());
  }

  /** The gRPC routes the transcoder re-routes to must come before the broader auth prefix. */
  @Test
  void theLoginAndRegisterRoutesComeBeforeTheServiceRoute() {
    List<String> order = new ArrayList<>();
    for (Route route : host.getRoutesList()) {
      order.add(route.getMatch().hasPath() ? route.getMatch().getPath() : route.getMatch().getPrefix());
    }
    assertThat(order.indexOf("/library.auth.v1.AuthService/Login"))
        .isLessThan(order.indexOf("/library.auth.v1.AuthService/"));
    assertThat(order.indexOf("/library.auth.v1.AuthService/Register"))
        .isLessThan(order.indexOf("/library.auth.v1.AuthService/"));
  }

  private List<Route> refusals415() {
    return host.getRoutesList().stream()
        .filter(r -> r.hasDirectResponse() && r.getDirectResponse().getStatus() == 415)
        .toList();
  }

  private static int percent(FractionalPercent fraction) {
    return switch (fraction.getDenominator()) {
      case HUNDRED -> fraction.getNumerator();
      case TEN_THOUSAND -> fraction.getNumerator() / 100;
      case MILLION -> fraction.getNumerator() / 10_000;
      default -> -1;
    };
  }
}
