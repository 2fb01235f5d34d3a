package dev.library.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * The {@code LOG_FORMAT} switch of the shipped configurations: {@code layout.type} names a layout
 * Dropwizard finds ({@code text}, ours, or {@code json}, dropwizard-json-logging's), and both
 * carry the request's trace id.
 */
class LogLayoutsTest {
  private static final ObjectMapper DROPWIZARD = Jackson.newObjectMapper();
  private static final Map<String, String> REQUEST =
      Map.of(
          RequestLog.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736",
          RequestLog.METHOD, "library.book.v1.BookService/GetBook",
          RequestLog.STATUS, "NOT_FOUND",
          RequestLog.DURATION_MS, "12",
          RequestLog.CALLER, "user:42");

  @Test
  void jsonLinesCarryTheRequestFields() throws Exception {
    String line = layout("json").doLayout(event(REQUEST));
    JsonNode json = DROPWIZARD.readTree(line);
    assertThat(json.path("message").asText()).isEqualTo("GetBook NOT_FOUND 12 ms");
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    JsonNode mdc = json.path("mdc");
    REQUEST.forEach((key, value) -> assertThat(mdc.path(key).asText()).as(key).isEqualTo(value));
  }

  @Test
  void textLinesNameTheTraceOnlyInsideARequest() throws Exception {
    LayoutBase<ILoggingEvent> text = layout("text");
    assertThat(text.doLayout(event(REQUEST)))
        .contains("[trace 4bf92f3577b34da6a3ce929d0e0e4736] dev.library.requests: GetBook");
    assertThat(text.doLayout(event(Map.of())))
        .doesNotContain("trace")
        .contains("] dev.library.requests: GetBook");
  }

  private static LayoutBase<ILoggingEvent> layout(String type) throws Exception {
    DiscoverableLayoutFactory<ILoggingEvent> factory =
        DROPWIZARD.readValue(
            "{\"type\": \"" + type + "\"}",
            new TypeReference<DiscoverableLayoutFactory<ILoggingEvent>>() {});
    LayoutBase<ILoggingEvent> layout =
        factory.build(new LoggerContext(), TimeZone.getTimeZone("UTC"));
    layout.start();
    return layout;
  }

  private static ILoggingEvent event(Map<String, String> mdc) {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            LogLayoutsTest.class.getName(),
            context.getLogger(RequestLog.LOGGER),
            Level.INFO,
            "GetBook NOT_FOUND 12 ms",
            null,
            null);
    event.setMDCPropertyMap(mdc);
    return event;
  }
}
