package dev.library.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.library.api.ApiDescriptorSet;
import dev.library.testing.Rest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The REST operations of the OpenAPI documents the edge serves ({@code /openapi/<service>.swagger.json}),
 * with their parameters and request body schemas, {@code $ref}s resolved against the document's
 * components. Tests generate requests from these, so a new operation or field is fuzzed without
 * anyone listing it.
 */
final class OpenApiOperations {
  /** One document per service of the descriptor set. */
  static final List<String> DOCUMENTS = ApiDescriptorSet.fromClasspath().libraryServiceNames();

  /** A path or query parameter: its name, where it goes, and its schema. */
  record Parameter(String name, String in, JsonNode schema) {}

  /**
   * One operation: {@code method} on {@code path} (a template with {@code {name}} segments), its
   * parameters and the schema of its JSON body (null without one).
   */
  record Operation(
      String service,
      String operationId,
      String method,
      String path,
      List<Parameter> parameters,
      JsonNode body,
      boolean signedIn,
      Schemas schemas) {
    List<Parameter> in(String where) {
      return parameters.stream().filter(p -> p.in().equals(where)).toList();
    }

    @Override
    public String toString() {
      return operationId + " (" + method + " " + path + ")";
    }
  }

  /** The component schemas of one document. */
  record Schemas(JsonNode components) {
    /** The schema itself, or the one its {@code $ref} names. */
    JsonNode resolve(JsonNode schema) {
      JsonNode current = schema;
      for (int hops = 0; current != null && current.has("$ref") && hops < 10; hops++) {
        String ref = current.get("$ref").asText();
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        current = components.path("schemas").get(name);
      }
      return current == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : current;
    }
  }

  private OpenApiOperations() {}

  /** Every operation of the documents, fetched through the edge by {@code rest}. */
  static List<Operation> read(Rest rest) {
    List<Operation> operations = new ArrayList<>();
    for (String document : DOCUMENTS) {
      JsonNode openApi = rest.get("/openapi/" + document + ".swagger.json").send().expect(200);
      operations.addAll(parse(document, openApi));
    }
    return List.copyOf(operations);
  }

  static List<Operation> parse(String service, JsonNode openApi) {
    Schemas schemas = new Schemas(openApi.path("components"));
    boolean secured = openApi.path("security").size() > 0;
    List<Operation> operations = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> entry = methods.next();
        JsonNode operation = entry.getValue();
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
          parameters.add(
              new Parameter(
                  parameter.path("name").asText(),
                  parameter.path("in").asText(),
                  parameter.path("schema")));
        }
        JsonNode body =
            operation.path("requestBody").path("content").path("application/json").get("schema");
        JsonNode security = operation.has("security") ? operation.get("security") : null;
        boolean signedIn = security != null ? security.size() > 0 : secured;
        operations.add(
            new Operation(
                service,
                operation.path("operationId").asText(),
                entry.getKey().toUpperCase(java.util.Locale.ROOT),
                path.getKey(),
                List.copyOf(parameters),
                body == null ? null : schemas.resolve(body),
                signedIn,
                schemas));
      }
    }
    return operations;
  }

  /** The object schema's properties, name to (resolved) schema. */
  static Map<String, JsonNode> properties(Operation operation, JsonNode objectSchema) {
    Map<String, JsonNode> properties = new java.util.LinkedHashMap<>();
    JsonNode resolved = operation.schemas().resolve(objectSchema);
    if (resolved instanceof ObjectNode object && object.has("properties")) {
      object.get("properties").fields().forEachRemaining(f -> properties.put(f.getKey(), f.getValue()));
    }
    return properties;
  }
}
