package dev.library.openapi;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Serves {@link DocsAssets} on a servlet container: mount it at {@code /docs/*} and {@code
 * /openapi/*} (each service's Dropwizard port does). GET and HEAD only.
 */
public class DocsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient DocsAssets assets;

  public DocsServlet() {
    this(new DocsAssets());
  }

  public DocsServlet(DocsAssets assets) {
    this.assets = assets;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    // The path below the context, whatever the mapping ("/docs/*" or "/*"); decoded, so an
    // encoded ".." is seen and refused by DocsAssets.
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    String query = request.getQueryString();
    Optional<String> redirect = assets.redirect(query == null ? path : path + "?" + query);
    if (redirect.isPresent()) {
      response.sendRedirect(request.getContextPath() + redirect.get());
      return;
    }
    Optional<byte[]> body = assets.read(path);
    if (body.isEmpty()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    response.setContentType(DocsAssets.contentType(path));
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(body.get().length);
    response.getOutputStream().write(body.get());
  }
}
