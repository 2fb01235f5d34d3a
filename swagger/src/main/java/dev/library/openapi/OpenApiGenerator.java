package dev.library.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The four OpenAPI documents, rendered as the exact text that is checked in: the staleness test
 * compares bytes, so the rendering must not depend on the platform or the time.
 */
final class OpenApiGenerator {

  /** Document name (the file is {@code <name>.swagger.json}) to the service it describes. */
  static final Map<String, String> SERVICES = services();

  /**
   * The RPCs that issue or check tokens and so cannot require one. The auth service's access
   * rules say the same; the protos have no option to carry it.
   */
  static final Set<String> PUBLIC_RPCS =
      Set.of(
          "library.auth.v1.AuthService.Register",
          "library.auth.v1.AuthService.Login",
          "library.auth.v1.AuthService.RefreshToken",
          "library.auth.v1.AuthService.VerifyToken");

  private final ProtoDescriptors descriptors;

  OpenApiGenerator(ProtoDescriptors descriptors) {
    this.descriptors = descriptors;
  }

  static OpenApiGenerator fromClasspath() {
    return new OpenApiGenerator(ProtoDescriptors.fromClasspath());
  }

  OpenAPI document(String name) {
    String service = SERVICES.get(name);
    if (service == null) {
      throw new IllegalArgumentException("no document " + name + "; known: " + SERVICES.keySet());
    }
    return ServiceDocument.build(
        descriptors.service(service), descriptors.comments(), PUBLIC_RPCS);
  }

  /** File name ({@code auth.swagger.json}, ...) to its content, in a fixed order. */
  Map<String, String> render() {
    Map<String, String> files = new LinkedHashMap<>();
    SERVICES.keySet().forEach(name -> files.put(fileName(name), toJson(document(name))));
    return files;
  }

  static String fileName(String name) {
    return name + ".swagger.json";
  }

  /**
   * Two-space indentation and "\n" line ends whatever the platform (Jackson's default follows
   * the system line separator), and a final newline as text files have.
   */
  static String toJson(OpenAPI document) {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    try {
      return Json.mapper().writer(printer).writeValueAsString(document) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the OpenAPI document", e);
    }
  }

  private static Map<String, String> services() {
    Map<String, String> services = new LinkedHashMap<>();
    services.put("auth", "library.auth.v1.AuthService");
    services.put("author", "library.author.v1.AuthorService");
    services.put("category", "library.category.v1.CategoryService");
    services.put("book", "library.book.v1.BookService");
    return java.util.Collections.unmodifiableMap(services);
  }
}
