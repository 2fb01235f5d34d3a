package dev.library.runtime.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The Prometheus scrape endpoint: the text format, or OpenMetrics when the scraper asks for it. */
final class PrometheusServlet extends HttpServlet {
  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String OPENMETRICS =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final transient PrometheusMeterRegistry meters;

  PrometheusServlet(PrometheusMeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String accept = request.getHeader("Accept");
    String type =
        accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(type);
    response.setHeader("Cache-Control", "must-revalidate,no-cache,no-store");
    byte[] body = meters.scrape(type).getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
