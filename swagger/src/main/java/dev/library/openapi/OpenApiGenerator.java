package dev.library.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import java.util.LinkedHashMap;
import java.util.Map;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.library.api.ApiDescriptorSet;

/**
 * The four OpenAPI documents, rendered as the exact text that is checked in: the staleness test
 * compares bytes, so the rendering must not depend on the platform or the time.
 */
final class OpenApiGenerator {

  /**
   * Document name (the file is {@code <name>.swagger.json}) to the service it describes: every
   * service of the descriptor set, named by its package ({@code library.book.v1} is "book").
   */
  static final Map<String, String> SERVICES = services(ApiDescriptorSet.fromClasspath());

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
        descriptors.service(service), descriptors.comments());
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

  static Map<String, String> services(ApiDescriptorSet api) {
    Map<String, String> services = new LinkedHashMap<>();
    for (ServiceDescriptor service : api.libraryServices()) {
      services.put(ApiDescriptorSet.shortName(service), service.getFullName());
    }
    return java.util.Collections.unmodifiableMap(services);
  }
}
