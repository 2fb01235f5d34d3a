package dev.library.gateway;

import com.google.common.base.CaseFormat;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The query parameters each method accepts: the paths of its request's scalar fields, by proto
 * name or lowerCamelCase name, nested with dots ({@code a.b_c}). Armeria drops a name that maps
 * to no field and reads {@code ?flag=yes} as false; Envoy, with ignore_unknown_query_parameters
 * off, rejects the first, and the gateway rejects both, or a misspelt filter would silently list
 * everything.
 */
final class QueryParameters {
  /** Messages whose JSON form is a single string or scalar, usable as one query parameter. */
  private static final Set<String> SCALAR_MESSAGES =
      Set.of(
          "google.protobuf.Timestamp",
          "google.protobuf.Duration",
          "google.protobuf.FieldMask",
          "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue",
          "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value",
          "google.protobuf.Int32Value",
          "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue",
          "google.protobuf.StringValue",
          "google.protobuf.BytesValue");

  /** The most of a refused value an error message repeats. */
  private static final int MAX_ECHOED = 100;

  /** Full method name to accepted parameter name to the field it sets. */
  private final Map<String, Map<String, FieldDescriptor>> fieldsByMethod = new HashMap<>();

  private final boolean ignoreUnknown;

  /** @param ignoreUnknown Envoy's ignore_unknown_query_parameters */
  QueryParameters(boolean ignoreUnknown) {
    this.ignoreUnknown = ignoreUnknown;
  }

  void add(ServiceDescriptor service) {
    for (MethodDescriptor method : service.getMethods()) {
      Map<String, FieldDescriptor> fields = new HashMap<>();
      collect(method.getInputType(), List.of(""), new HashSet<>(), fields);
      fieldsByMethod.put(
          io.grpc.MethodDescriptor.generateFullMethodName(service.getFullName(), method.getName()),
          Map.copyOf(fields));
    }
  }

  /** Why {@code name=value} cannot be transcoded for the method, if it cannot. */
  Optional<String> problem(String fullMethodName, String name, String value) {
    Map<String, FieldDescriptor> fields = fieldsByMethod.get(fullMethodName);
    if (fields == null) {
      return Optional.empty();
    }
    FieldDescriptor field = fields.get(name);
    if (field == null) {
      return ignoreUnknown
          ? Optional.empty()
          : Optional.of("unknown query parameter '" + name + "'");
    }
    return valid(field, value)
        ? Optional.empty()
        : Optional.of(
            "query parameter '"
                + name
                + "' must be "
                + expected(field)
                + ", not '"
                + (value.length() <= MAX_ECHOED ? value : value.substring(0, MAX_ECHOED) + "…")
                + "'");
  }

  private static boolean valid(FieldDescriptor field, String value) {
    try {
      switch (scalarType(field)) {
        case INT -> Integer.parseInt(value);
        case LONG -> Long.parseLong(value);
        case FLOAT, DOUBLE -> Double.parseDouble(value);
        case BOOLEAN -> {
          return value.equals("true") || value.equals("false");
        }
        default -> {
          // Strings, bytes, enums and timestamps: the JSON parser checks them later.
        }
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String expected(FieldDescriptor field) {
    return switch (scalarType(field)) {
      case INT, LONG -> "an integer";
      case FLOAT, DOUBLE -> "a number";
      case BOOLEAN -> "true or false";
      default -> "a " + field.getType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** The Java type of the field, or of the value inside a wrapper message. */
  private static FieldDescriptor.JavaType scalarType(FieldDescriptor field) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && field.getMessageType().getFullName().endsWith("Value")) {
      return field.getMessageType().getFields().get(0).getJavaType();
    }
    return field.getJavaType();
  }

  private static void collect(
      Descriptor message,
      List<String> prefixes,
      Set<String> visiting,
      Map<String, FieldDescriptor> fields) {
    if (!visiting.add(message.getFullName())) {
      return;
    }
    for (FieldDescriptor field : message.getFields()) {
      List<String> paths = new ArrayList<>();
      for (String prefix : prefixes) {
        for (String name : spellings(field)) {
          paths.add(prefix.isEmpty() ? name : prefix + "." + name);
        }
      }
      boolean nested =
          field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
              && !field.isMapField()
              && !SCALAR_MESSAGES.contains(field.getMessageType().getFullName());
      if (nested) {
        collect(field.getMessageType(), paths, visiting, fields);
      } else {
        paths.forEach(path -> fields.put(path, field));
      }
    }
    visiting.remove(message.getFullName());
  }

  private static Set<String> spellings(FieldDescriptor field) {
    Set<String> spellings = new HashSet<>();
    spellings.add(field.getName());
    spellings.add(CaseFormat.LOWER_UNDERSCORE.to(CaseFormat.LOWER_CAMEL, field.getName()));
    spellings.add(field.getJsonName());
    return spellings;
  }
}
