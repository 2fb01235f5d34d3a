package dev.library.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** results.json: the same run as data, for comparing runs with a script. */
public final class JsonReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(RunReport run) {
    try {
      return JSON.writeValueAsString(run);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run report is not serialisable", e);
    }
  }
}
