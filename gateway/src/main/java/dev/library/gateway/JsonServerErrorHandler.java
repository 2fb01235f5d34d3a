package dev.library.gateway;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.annotation.Nullable;
import com.linecorp.armeria.server.HttpResponseException;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the gateway answers by itself (no route, a body that is not JSON, too large, a
 * bug) as a google.rpc.Status JSON body, never Armeria's HTML or plain-text pages: REST clients
 * of the library parse one error shape only.
 */
final class JsonServerErrorHandler implements ServerErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(JsonServerErrorHandler.class);

  private final RpcStatusJson json;
  private final LocalReplyCodes codes;
  private final int maxRequestHeadersBytes;

  /** @param maxRequestHeadersBytes the limit on the request line and headers, for messages */
  JsonServerErrorHandler(RpcStatusJson json, LocalReplyCodes codes, int maxRequestHeadersBytes) {
    this.json = json;
    this.codes = codes;
    this.maxRequestHeadersBytes = maxRequestHeadersBytes;
  }

  @Nullable
  @Override
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    if (cause instanceof HttpStatusException e) {
      String message =
          e.httpStatus() == HttpStatus.REQUEST_ENTITY_TOO_LARGE
              ? tooLarge(ctx.config())
              : messageOf(e);
      return render(e.httpStatus(), message).toHttpResponse();
    }
    if (cause instanceof HttpResponseException) {
      // A complete response (a redirect, for one) the service chose to send.
      return null;
    }
    if (cause instanceof RequestTimeoutException) {
      return render(HttpStatus.GATEWAY_TIMEOUT, "the request took too long")
          .toHttpResponse();
    }
    if (cause instanceof ContentTooLargeException) {
      return render(HttpStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge(ctx.config()))
          .toHttpResponse();
    }
    LOG.warn("unexpected error serving {}", ctx.path(), cause);
    return render(HttpStatus.INTERNAL_SERVER_ERROR, "internal error").toHttpResponse();
  }

  @Nullable
  @Override
  public AggregatedHttpResponse renderStatus(
      @Nullable ServiceRequestContext ctx,
      ServiceConfig config,
      @Nullable RequestHeaders headers,
      HttpStatus status,
      @Nullable String description,
      @Nullable Throwable cause) {
    if (status.code() < 400) {
      return null;
    }
    if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
      // Armeria's description is about its own buffers.
      return render(status, tooLarge(config));
    }
    if (status == HttpStatus.REQUEST_URI_TOO_LONG) {
      // The HTTP/1 decoder refused the request line before any service saw it.
      return render(
          status, "the request line is longer than " + maxRequestHeadersBytes + " bytes");
    }
    if (status == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE) {
      return render(status, headersTooLarge(maxRequestHeadersBytes));
    }
    if (status == HttpStatus.METHOD_NOT_ALLOWED) {
      // Envoy's transcoder (reject_unknown_method) answers an unknown method+path pair with 404,
      // whether or not the path exists for another method; the gateway answers the same.
      return render(HttpStatus.NOT_FOUND, defaultMessage(HttpStatus.NOT_FOUND));
    }
    return render(status, description != null ? description : defaultMessage(status));
  }

  static String headersTooLarge(int limit) {
    return "the request line and headers are larger than " + limit + " bytes";
  }

  private static String tooLarge(ServiceConfig config) {
    return "the request body is larger than " + config.maxRequestLength() + " bytes";
  }

  private AggregatedHttpResponse render(HttpStatus status, String message) {
    return json.response(status, codes.codeFor(status), message);
  }

  /** The cause's message when it is about the request (bad JSON, bad query value). */
  private static String messageOf(HttpStatusException e) {
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && e.httpStatus().code() < 500) {
      return cause.getMessage();
    }
    return defaultMessage(e.httpStatus());
  }

  private static String defaultMessage(HttpStatus status) {
    return switch (status.code()) {
      case 404 -> "no route matches this method and path";
      default -> status.reasonPhrase();
    };
  }
}
