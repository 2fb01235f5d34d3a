package dev.library.gateway;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.ServerMethodDefinition;
import io.netty.util.AsciiString;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * What the gateway checks of a REST request before Armeria transcodes it, so that it is refused
 * where Envoy refuses it, with the same status:
 *
 * <ul>
 *   <li>request line and headers together over Envoy's {@code max_request_headers_kb}: 431;
 *   <li>a path or query string that does not percent-decode to valid UTF-8: 400;
 *   <li>a Content-Type other than {@code application/json}, or a body without one: 415 (Envoy's
 *       415 routes), so a browser's cross-site "simple" request never reaches a service;
 *   <li>a body that is not exactly one JSON value in UTF-8 ({@link StrictJson}): 400;
 *   <li>a query parameter naming no field, when Envoy's config rejects those, or a value that
 *       does not fit its field: 400 naming the parameter.
 * </ul>
 *
 * Requests with a gRPC content type are gRPC clients of the proxy and pass untouched.
 */
final class RestRequests implements DecoratingHttpServiceFunction {
  private static final String GRPC_ENCODING = "grpc-encoding";
  private static final String GRPC_ACCEPT_ENCODING = "grpc-accept-encoding";
  static final String NOT_JSON = "the request body must be JSON (Content-Type: application/json)";

  private final GrpcService grpc;
  private final QueryParameters queryParameters;
  private final int maxRequestHeadersBytes;

  RestRequests(GrpcService grpc, QueryParameters queryParameters, int maxRequestHeadersBytes) {
    this.grpc = grpc;
    this.queryParameters = queryParameters;
    this.maxRequestHeadersBytes = maxRequestHeadersBytes;
  }

  HttpService decorate(HttpService delegate) {
    return delegate.decorate(this);
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    MediaType contentType = req.contentType();
    if (contentType != null && contentType.subtype().startsWith("grpc")) {
      return delegate.serve(ctx, req);
    }
    if (headerBytes(req.headers()) > maxRequestHeadersBytes) {
      throw refusal(
          HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          JsonServerErrorHandler.headersTooLarge(maxRequestHeadersBytes));
    }
    if (!PercentEncodedUtf8.isValid(ctx.rawPath())) {
      throw refusal(HttpStatus.BAD_REQUEST, "the request path is not valid UTF-8 once decoded");
    }
    if (!PercentEncodedUtf8.isValid(ctx.query())) {
      throw refusal(HttpStatus.BAD_REQUEST, "the query string is not valid UTF-8 once decoded");
    }
    if (contentType != null && !contentType.is(MediaType.JSON)) {
      throw refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE, NOT_JSON);
    }
    if (!ctx.queryParams().isEmpty()) {
      checkQueryParameters(ctx);
    }
    return HttpResponse.of(
        req.aggregate().thenApply(request -> transcode(delegate, ctx, request, contentType)));
  }

  private HttpResponse transcode(
      HttpService delegate,
      ServiceRequestContext ctx,
      AggregatedHttpRequest request,
      MediaType contentType) {
    if (!request.content().isEmpty()) {
      if (contentType == null) {
        throw refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE, NOT_JSON);
      }
      Optional<String> problem = StrictJson.problem(request.content().array());
      if (problem.isPresent()) {
        throw refusal(HttpStatus.BAD_REQUEST, problem.get());
      }
    }
    HttpRequest checked = request.toHttpRequest();
    if (contentType == null) {
      // A bare POST (BorrowBook without a body): Armeria transcodes JSON requests only.
      checked =
          checked.withHeaders(
              checked.headers().toBuilder().contentType(MediaType.JSON_UTF_8).build());
    }
    try {
      return delegate
          .serve(ctx, checked)
          // Content negotiation of the gRPC hop, meaningless to a REST client.
          .mapHeaders(
              headers ->
                  headers.toBuilder()
                      .removeAndThen(GRPC_ENCODING)
                      .removeAndThen(GRPC_ACCEPT_ENCODING)
                      .build());
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** Bytes of the request line's target and every header, as Envoy counts them. */
  private static int headerBytes(RequestHeaders headers) {
    int total = 0;
    for (Map.Entry<AsciiString, String> header : headers) {
      total += header.getKey().length() + header.getValue().length();
    }
    return total;
  }

  private static HttpStatusException refusal(HttpStatus status, String why) {
    return HttpStatusException.of(status, new IllegalArgumentException(why));
  }

  private void checkQueryParameters(ServiceRequestContext ctx) {
    ServerMethodDefinition<?, ?> method = grpc.methodDefinition(ctx);
    if (method == null) {
      return;
    }
    String fullName = method.getMethodDescriptor().getFullMethodName();
    ctx.queryParams()
        .forEach(
            (name, value) -> {
              Optional<String> problem = queryParameters.problem(fullName, name, value);
              if (problem.isPresent()) {
                throw refusal(HttpStatus.BAD_REQUEST, problem.get());
              }
            });
  }
}
