package dev.library.gateway;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServerBuilder;
import dev.library.openapi.DocsAssets;
import java.util.Optional;

/**
 * Swagger UI and the OpenAPI documents on the gateway's port. Envoy sends {@code /docs} and
 * {@code /openapi/} to a service's HTTP port; the gateway serves the same bytes itself, from the
 * same {@link DocsAssets}, so that one port is enough on a laptop too.
 */
final class DocsRoutes {
  private final DocsAssets assets;

  DocsRoutes() {
    this(new DocsAssets());
  }

  DocsRoutes(DocsAssets assets) {
    this.assets = assets;
  }

  /**
   * Serves GETs of everything under Envoy's route {@code prefix} (such as {@code /docs}) from the
   * assets; paths they do not know are 404s.
   */
  void mount(ServerBuilder server, String prefix) {
    HttpService docs = (ctx, req) -> serve(ctx.path());
    String folder = prefix.endsWith("/") ? prefix : prefix + "/";
    server.route().pathPrefix(folder).methods(HttpMethod.GET, HttpMethod.HEAD).build(docs);
    if (!folder.equals(prefix)) {
      server.route().path(prefix).methods(HttpMethod.GET, HttpMethod.HEAD).build(docs);
    }
  }

  private HttpResponse serve(String path) {
    Optional<String> redirect = assets.redirect(path);
    if (redirect.isPresent()) {
      return HttpResponse.ofRedirect(HttpStatus.FOUND, redirect.get());
    }
    byte[] bytes =
        assets.read(path).orElseThrow(() -> HttpStatusException.of(HttpStatus.NOT_FOUND));
    return HttpResponse.of(HttpStatus.OK, MediaType.parse(DocsAssets.contentType(path)), bytes);
  }
}
