package dev.library.gateway;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.ServerMethodDefinition;
import java.util.Optional;

/**
 * What the gateway does to a REST request before Armeria transcodes it, so that it is taken as
 * Envoy takes it: the body is JSON whatever its Content-Type says (so {@code curl -d} works), a
 * query parameter naming no field is rejected when Envoy's config rejects it, and a query value
 * that does not fit its field is a 400 that names the parameter.
 */
final class RestRequests implements DecoratingHttpServiceFunction {
  private static final String GRPC_ENCODING = "grpc-encoding";
  private static final String GRPC_ACCEPT_ENCODING = "grpc-accept-encoding";

  private final GrpcService grpc;
  private final QueryParameters queryParameters;

  RestRequests(GrpcService grpc, QueryParameters queryParameters) {
    this.grpc = grpc;
    this.queryParameters = queryParameters;
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
    if (!ctx.queryParams().isEmpty()) {
      checkQueryParameters(ctx);
    }
    if (contentType == null || !contentType.isJson()) {
      req = req.withHeaders(req.headers().toBuilder().contentType(MediaType.JSON_UTF_8).build());
    }
    return delegate
        .serve(ctx, req)
        // Content negotiation of the gRPC hop, meaningless to a REST client.
        .mapHeaders(
            headers ->
                headers.toBuilder()
                    .removeAndThen(GRPC_ENCODING)
                    .removeAndThen(GRPC_ACCEPT_ENCODING)
                    .build());
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
                throw HttpStatusException.of(
                    HttpStatus.BAD_REQUEST, new IllegalArgumentException(problem.get()));
              }
            });
  }
}
