package dev.library.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies of the packaged envoy/envoy.yaml with an operator's edit applied, for a gateway started
 * with {@code edges.gateway.envoyConfig} pointing at one: what README tells an operator to do.
 */
final class EnvoyCopies {
  private static final String NO_ORIGIN = "allow_origin_string_match: []";

  private EnvoyCopies() {}

  /** envoy.yaml whose CORS policy allows exactly {@code origin}. */
  static Path withAllowedOrigin(String origin) {
    String packaged;
    try (InputStream in = EnvoyCopies.class.getClassLoader().getResourceAsStream("envoy/envoy.yaml")) {
      if (in == null) {
        throw new IllegalStateException("no envoy/envoy.yaml on the classpath (library-gateway)");
      }
      packaged = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!packaged.contains(NO_ORIGIN)) {
      throw new IllegalStateException("envoy.yaml no longer says " + NO_ORIGIN);
    }
    try {
      Path copy = Files.createTempFile("envoy-", ".yaml");
      copy.toFile().deleteOnExit();
      Files.writeString(
          copy,
          packaged.replace(NO_ORIGIN, "allow_origin_string_match: [{exact: \"" + origin + "\"}]"));
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
