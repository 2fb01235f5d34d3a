package dev.library.openapi;

import com.google.api.FieldBehavior;
import com.google.api.FieldBehaviorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * JSON schemas for proto messages, enums and fields, following the proto3 JSON mapping (the
 * encoding that Envoy's transcoder and the gateway speak).
 *
 * <p>Messages and enums become components named by their full proto name, so that types of
 * other packages (a book embeds an author) cannot collide; only the components a document
 * reaches are collected.
 */
final class ProtoSchemas {

  static final String STATUS = "google.rpc.Status";
  static final String ANY = "google.protobuf.Any";
  private static final String COMPONENTS = "#/components/schemas/";
  // Well-known messages that proto3 JSON writes as a string.
  private static final Set<String> STRING_FORMS =
      Set.of("google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask");

  private final SourceComments comments;
  private final SortedMap<String, Schema> components = new TreeMap<>();

  ProtoSchemas(SourceComments comments) {
    this.comments = comments;
  }

  /** Every component referenced so far, ordered by name so that the output is stable. */
  SortedMap<String, Schema> components() {
    return components;
  }

  /** A reference to the schema of a message, registering it (and what it reaches). */
  Schema<?> ref(Descriptor message) {
    Optional<Schema<?>> wellKnown = wellKnown(message);
    if (wellKnown.isPresent()) {
      return wellKnown.get();
    }
    String name = message.getFullName();
    if (!components.containsKey(name)) {
      Schema<?> schema = new Schema<>();
      // Registered before its fields are visited: a message may reach itself.
      components.put(name, schema);
      fillObject(schema, message, field -> true);
    }
    return refTo(name);
  }

  /**
   * A component for the part of a request that travels in the body: the message without the
   * fields bound to the path.
   */
  Schema<?> bodyRef(String name, Descriptor message, Predicate<FieldDescriptor> include) {
    Schema<?> schema = new Schema<>();
    components.put(name, schema);
    fillObject(schema, message, include);
    return refTo(name);
  }

  /** The {@code google.rpc.Status} JSON that REST errors carry. */
  Schema<?> status() {
    if (!components.containsKey(STATUS)) {
      components.put(
          ANY,
          new Schema<>()
              .type("object")
              .description(
                  "A message of any type, in proto3 JSON: `@type` names it (for example"
                      + " `type.googleapis.com/google.rpc.BadRequest`), the other keys are its"
                      + " fields.")
              .addProperty(
                  "@type",
                  new Schema<>()
                      .type("string")
                      .description("The type URL of the message."))
              .additionalProperties(true));
      components.put(
          STATUS,
          new Schema<>()
              .type("object")
              .description(
                  "The error of a failed call: the gRPC status code, a message for developers"
                      + " and details such as `google.rpc.BadRequest` field violations.")
              .addProperty(
                  "code",
                  new Schema<>()
                      .type("integer")
                      .format("int32")
                      .description("The gRPC status code (for example 3 = INVALID_ARGUMENT)."))
              .addProperty(
                  "message",
                  new Schema<>().type("string").description("A description of the error."))
              .addProperty(
                  "details",
                  new Schema<>()
                      .type("array")
                      .items(refTo(ANY))
                      .description("Machine-readable details of the error.")));
    }
    return refTo(STATUS);
  }

  /** The schema of a field inside its message: described, with its field behavior. */
  Schema<?> property(FieldDescriptor field) {
    Schema<?> schema = fieldValue(field);
    List<FieldBehavior> behaviors = behaviors(field);
    boolean readOnly = behaviors.contains(FieldBehavior.OUTPUT_ONLY);
    boolean writeOnly = behaviors.contains(FieldBehavior.INPUT_ONLY);
    String description = comments.of(field);
    if (schema.get$ref() != null && (readOnly || writeOnly || !description.isEmpty())) {
      // OpenAPI 3.0 ignores keywords beside a $ref; allOf keeps them.
      schema = new Schema<>().allOf(List.of(schema));
    }
    if (!description.isEmpty()) {
      schema.setDescription(description);
    }
    if (readOnly) {
      schema.setReadOnly(true);
    }
    if (writeOnly) {
      schema.setWriteOnly(true);
    }
    return schema;
  }

  /**
   * The schema of a field's value: an array for a repeated field, an object for a map. Query
   * and path parameters use it as is.
   */
  Schema<?> fieldValue(FieldDescriptor field) {
    if (field.isMapField()) {
      FieldDescriptor value = field.getMessageType().findFieldByName("value");
      return new Schema<>().type("object").additionalProperties(singleValue(value));
    }
    if (field.isRepeated()) {
      return new Schema<>().type("array").items(singleValue(field));
    }
    return singleValue(field);
  }

  static boolean isRequired(FieldDescriptor field) {
    return behaviors(field).contains(FieldBehavior.REQUIRED);
  }

  /**
   * Whether a field can be a query parameter: a scalar, an enum, a message that proto3 JSON
   * writes as a string (a Timestamp, say), or a repeated one of those. Other messages and maps
   * cannot be spelled in a query string.
   */
  static boolean isQueryable(FieldDescriptor field) {
    if (field.isMapField()) {
      return false;
    }
    if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return true;
    }
    String type = field.getMessageType().getFullName();
    return wrapperValue(type) != null || STRING_FORMS.contains(type);
  }

  private void fillObject(Schema<?> schema, Descriptor message, Predicate<FieldDescriptor> include) {
    schema.setType("object");
    String description = comments.of(message);
    if (!description.isEmpty()) {
      schema.setDescription(description);
    }
    List<String> required = new ArrayList<>();
    for (FieldDescriptor field : message.getFields()) {
      if (!include.test(field)) {
        continue;
      }
      schema.addProperty(field.getJsonName(), property(field));
      if (isRequired(field)) {
        required.add(field.getJsonName());
      }
    }
    if (!required.isEmpty()) {
      schema.setRequired(required);
    }
  }

  private Schema<?> singleValue(FieldDescriptor field) {
    return switch (field.getType()) {
      case INT32, SINT32, SFIXED32 -> new Schema<>().type("integer").format("int32");
      // Unsigned 32-bit values do not fit in int32.
      case UINT32, FIXED32 -> new Schema<>().type("integer").format("int64");
      // proto3 JSON writes 64-bit integers as strings: JavaScript numbers lose precision.
      case INT64, SINT64, SFIXED64 -> new Schema<>().type("string").format("int64");
      case UINT64, FIXED64 -> new Schema<>().type("string").format("uint64");
      case FLOAT -> new Schema<>().type("number").format("float");
      case DOUBLE -> new Schema<>().type("number").format("double");
      case BOOL -> new Schema<>().type("boolean");
      case STRING -> new Schema<>().type("string");
      case BYTES -> new Schema<>().type("string").format("byte");
      case ENUM -> enumRef(field.getEnumType());
      case MESSAGE, GROUP -> ref(field.getMessageType());
    };
  }

  private Schema<?> enumRef(EnumDescriptor enumType) {
    String name = enumType.getFullName();
    if (!components.containsKey(name)) {
      // The values' comments are the only place that says what each one means.
      StringBuilder description = new StringBuilder(comments.of(enumType));
      List<String> names = new ArrayList<>();
      for (EnumValueDescriptor value : enumType.getValues()) {
        names.add(value.getName());
        String meaning = comments.of(value).replaceAll("\\s+", " ");
        if (!meaning.isEmpty()) {
          if (description.length() > 0 && names.size() == 1) {
            description.append("\n\n");
          }
          description.append("- `").append(value.getName()).append("`: ").append(meaning);
          description.append('\n');
        }
      }
      Schema<String> schema = new Schema<>();
      schema.setType("string");
      schema.setEnum(names);
      String text = description.toString().strip();
      if (!text.isEmpty()) {
        schema.setDescription(text);
      }
      components.put(name, schema);
    }
    return refTo(name);
  }

  /**
   * Well-known types have their own proto3 JSON forms (a Timestamp is an RFC 3339 string, a
   * wrapper is its nullable value), so they are written inline rather than as objects.
   */
  private Optional<Schema<?>> wellKnown(Descriptor message) {
    Schema<?> wrapped = wrapperValue(message.getFullName());
    if (wrapped != null) {
      // A wrapper exists to tell "unset" (JSON null) from the zero value.
      wrapped.setNullable(true);
      return Optional.of(wrapped);
    }
    Schema<?> schema =
        switch (message.getFullName()) {
          case "google.protobuf.Timestamp" -> new Schema<>().type("string").format("date-time");
          case "google.protobuf.Duration" ->
              new Schema<>()
                  .type("string")
                  .description("Seconds with up to 9 fractional digits and an `s`, e.g. `1.5s`.");
          case "google.protobuf.FieldMask" ->
              new Schema<>().type("string").description("Comma-separated lowerCamelCase paths.");
          case "google.protobuf.Empty" -> new Schema<>().type("object");
          case "google.protobuf.Struct" -> new Schema<>().type("object").additionalProperties(true);
          case "google.protobuf.Value" -> new Schema<>();
          case "google.protobuf.ListValue" -> new Schema<>().type("array").items(new Schema<>());
          case "google.protobuf.Any" -> {
            status(); // registers Any beside Status
            yield refTo(ANY);
          }
          default -> null;
        };
    return Optional.ofNullable(schema);
  }

  private static Schema<?> wrapperValue(String fullName) {
    return switch (fullName) {
      case "google.protobuf.StringValue" -> new Schema<>().type("string");
      case "google.protobuf.BytesValue" -> new Schema<>().type("string").format("byte");
      case "google.protobuf.BoolValue" -> new Schema<>().type("boolean");
      case "google.protobuf.Int32Value" -> new Schema<>().type("integer").format("int32");
      case "google.protobuf.UInt32Value" -> new Schema<>().type("integer").format("int64");
      case "google.protobuf.Int64Value" -> new Schema<>().type("string").format("int64");
      case "google.protobuf.UInt64Value" -> new Schema<>().type("string").format("uint64");
      case "google.protobuf.FloatValue" -> new Schema<>().type("number").format("float");
      case "google.protobuf.DoubleValue" -> new Schema<>().type("number").format("double");
      default -> null;
    };
  }

  private static Schema<?> refTo(String name) {
    return new Schema<>().$ref(COMPONENTS + name);
  }

  private static List<FieldBehavior> behaviors(FieldDescriptor field) {
    return field.getOptions().getExtension(FieldBehaviorProto.fieldBehavior);
  }
}
