package dev.library.runtime.observe;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.DropwizardLayout;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import java.util.TimeZone;

/**
 * Dropwizard's plain text layout under the name {@code text}, so that one setting
 * ({@code layout.type: ${LOG_FORMAT:-text}}) switches an appender between text and {@code json}.
 * A line logged inside a request carries its trace id.
 */
@JsonTypeName("text")
public final class TextLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
  static final String PATTERN =
      "%-5p [%d{ISO8601,UTC}] %replace([trace %X{trace_id}] ){'\\[trace \\] ', ''}%c: %m%n%rEx";

  @Override
  public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
    DropwizardLayout layout = new DropwizardLayout(context, timeZone);
    layout.setPattern(PATTERN);
    return layout;
  }
}
