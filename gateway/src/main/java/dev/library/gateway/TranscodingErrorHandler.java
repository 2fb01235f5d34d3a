package dev.library.gateway;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;
import dev.library.gateway.ForwardingCallHandler.UpstreamStatus;
import io.grpc.Status;
import java.util.Base64;

/** Turns a failed transcoded call into the HTTP status and google.rpc.Status body Envoy sends. */
final class TranscodingErrorHandler implements UnframedGrpcErrorHandler {
  private final RpcStatusJson json;

  TranscodingErrorHandler(RpcStatusJson json) {
    this.json = json;
  }

  @Override
  public HttpResponse handle(
      ServiceRequestContext ctx, Status status, AggregatedHttpResponse response) {
    UpstreamStatus upstream = ctx.attr(ForwardingCallHandler.UPSTREAM_STATUS);
    if (upstream != null && upstream.status().getCode() == status.getCode()) {
      return json.response(upstream.status(), upstream.trailers().get(RpcStatusJson.STATUS_DETAILS))
          .toHttpResponse();
    }
    // A status Armeria set itself, such as a request body that is not the message's JSON.
    HttpHeaders trailers = response.trailers().isEmpty() ? response.headers() : response.trailers();
    String details = trailers.get(RpcStatusJson.STATUS_DETAILS.name());
    return json.response(
            status.withDescription(RpcStatusJson.unescape(status.getDescription())),
            details == null ? null : Base64.getDecoder().decode(details))
        .toHttpResponse();
  }
}
