package dev.library.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DocsServlet on a real Jetty, mounted the way the services' Dropwizard ports mount it. */
class DocsServletTest {

  private static Server server;
  private static URI base;
  private static final HttpClient client =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder docs = new ServletHolder(new DocsServlet());
    context.getServletHandler().addServletWithMapping(docs, "/docs/*");
    context.getServletHandler().addServletWithMapping(docs, "/openapi/*");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  @Test
  void redirectsTheBareFolderToTheSlash() throws Exception {
    HttpResponse<String> response = get("/docs");
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
        location -> assertThat(URI.create(location).getPath()).isEqualTo("/docs/"));
    HttpResponse<String> deepLink = get("/docs?urls.primaryName=book");
    assertThat(deepLink.headers().firstValue("Location")).hasValueSatisfying(
        location -> assertThat(location).endsWith("/docs/?urls.primaryName=book"));
  }

  @Test
  void servesThePageItsAssetsAndTheDocuments() throws Exception {
    HttpResponse<String> page = get("/docs/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(page.body()).contains("swagger-initializer.js");

    HttpResponse<String> bundle = get("/docs/swagger-ui-bundle.js");
    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/javascript"));

    HttpResponse<String> document = get("/openapi/book.swagger.json");
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    assertThat(document.body()).contains("\"operationId\": \"ListBooks\"");
  }

  @Test
  void answersNotFoundForAnythingElse() throws Exception {
    assertThat(get("/docs/nope.js").statusCode()).isEqualTo(404);
    assertThat(get("/openapi/nope.swagger.json").statusCode()).isEqualTo(404);
    // Jetty itself may refuse an encoded traversal as ambiguous (400) before the servlet sees it.
    assertThat(get("/docs/..%2Fpom.xml").statusCode()).isIn(400, 404);
    assertThat(get("/docs/%2e%2e/docs/index.html").statusCode()).isIn(400, 404);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
