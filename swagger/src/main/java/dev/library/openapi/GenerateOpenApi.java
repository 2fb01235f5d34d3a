package dev.library.openapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the OpenAPI documents of the four services ({@code make swagger}).
 *
 * <p>Usage: {@code GenerateOpenApi <output directory>}; the build passes the swagger module's
 * folder, where the documents are checked in.
 */
public final class GenerateOpenApi {

  private GenerateOpenApi() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: GenerateOpenApi <output directory>");
      System.exit(2);
    }
    Path directory = Path.of(args[0]);
    Files.createDirectories(directory);
    for (Map.Entry<String, String> file : OpenApiGenerator.fromClasspath().render().entrySet()) {
      Path target = directory.resolve(file.getKey());
      Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
      System.out.println("wrote " + target);
    }
  }
}
