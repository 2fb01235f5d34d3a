package dev.library.gateway;

import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import dev.library.gateway.EnvoyConfig.PrintOptions;

/** JSON printers and parsers that follow the print_options of Envoy's transcoder. */
final class JsonPrinting {
  private JsonPrinting() {}

  static JsonFormat.Printer printer(PrintOptions options, TypeRegistry types) {
    JsonFormat.Printer printer = JsonFormat.printer().usingTypeRegistry(types);
    if (!options.addWhitespace()) {
      printer = printer.omittingInsignificantWhitespace();
    }
    if (options.alwaysPrintPrimitiveFields()) {
      printer = printer.alwaysPrintFieldsWithNoPresence();
    }
    if (options.alwaysPrintEnumsAsInts()) {
      printer = printer.printingEnumsAsInts();
    }
    if (options.preserveProtoFieldNames()) {
      printer = printer.preservingProtoFieldNames();
    }
    return printer;
  }

  /**
   * Accepts both lowerCamelCase and proto field names, as Envoy does, and rejects a field the
   * message does not have: a misspelt field is an error to report, not a value to drop.
   */
  static JsonFormat.Parser parser(TypeRegistry types) {
    return JsonFormat.parser().usingTypeRegistry(types);
  }
}
