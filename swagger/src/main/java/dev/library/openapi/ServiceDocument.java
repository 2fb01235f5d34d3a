package dev.library.openapi;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.library.api.AccessRule;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document of one gRPC service: an operation per REST binding, in the order the
 * RPCs are declared. RPCs without a {@code google.api.http} option are internal (direct gRPC
 * with the server key only) and are left out.
 */
final class ServiceDocument {

  static final String BEARER_AUTH = "bearerAuth";
  private static final String JSON = "application/json";

  private static final String ERROR_DESCRIPTION =
      "The call failed: the body is the gRPC status as JSON (`code`, `message`, `details`). The"
          + " HTTP status follows the gRPC code: INVALID_ARGUMENT and FAILED_PRECONDITION 400,"
          + " UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404, ALREADY_EXISTS 409,"
          + " RESOURCE_EXHAUSTED 429, UNAVAILABLE 503, DEADLINE_EXCEEDED 504, INTERNAL 500 (a"
          + " bug). Every error carries a `google.rpc.ErrorInfo` detail whose `reason` is a"
          + " stable UPPER_SNAKE code; field violations come as a `google.rpc.BadRequest`.";

  private final ServiceDescriptor service;
  private final SourceComments comments;
  private final ProtoSchemas schemas;

  private ServiceDocument(ServiceDescriptor service, SourceComments comments) {
    this.service = service;
    this.comments = comments;
    this.schemas = new ProtoSchemas(comments);
  }

  /** Who may call each RPC comes from its {@code (library.access)} option. */
  static OpenAPI build(ServiceDescriptor service, SourceComments comments) {
    return new ServiceDocument(service, comments).build();
  }

  private OpenAPI build() {
    Paths paths = new Paths();
    for (MethodDescriptor rpc : service.getMethods()) {
      List<HttpBinding> bindings = HttpBinding.of(rpc);
      for (int i = 0; i < bindings.size(); i++) {
        HttpBinding binding = bindings.get(i);
        // Additional bindings need operation ids of their own: ids are unique in a document.
        String operationId = i == 0 ? rpc.getName() : rpc.getName() + "_" + (i + 1);
        PathItem item = paths.computeIfAbsent(binding.path(), path -> new PathItem());
        if (item.readOperationsMap().containsKey(binding.method())) {
          throw new IllegalStateException(
              binding.method() + " " + binding.path() + " is bound twice in " + service.getName());
        }
        item.operation(binding.method(), operation(rpc, binding, operationId));
      }
    }
    String description = comments.of(service);
    return new OpenAPI()
        .openapi("3.0.3")
        .info(
            new Info()
                .title(service.getFullName())
                .description(description)
                .version(apiVersion()))
        // Relative to the page: Swagger UI's "Try it out" then calls the REST entry (Envoy or
        // the gateway) that served the document.
        .servers(List.of(new Server().url("/")))
        .tags(
            List.of(
                new Tag()
                    .name(service.getName())
                    .description(SourceComments.firstSentence(description))))
        .paths(paths)
        .components(
            new Components()
                .schemas(schemas.components())
                .securitySchemes(
                    Map.of(
                        BEARER_AUTH,
                        new SecurityScheme()
                            .type(SecurityScheme.Type.HTTP)
                            .scheme("bearer")
                            .bearerFormat("JWT")
                            .description(
                                "An access token from `POST /api/v1/auth/login`"
                                    + " (AuthService.Login), sent as"
                                    + " `Authorization: Bearer <token>`."))));
  }

  private Operation operation(MethodDescriptor rpc, HttpBinding binding, String operationId) {
    String comment = comments.of(rpc);
    Operation operation =
        new Operation().operationId(operationId).tags(List.of(service.getName()));
    if (!comment.isEmpty()) {
      operation.summary(SourceComments.firstSentence(comment)).description(comment);
    }
    Descriptor request = rpc.getInputType();
    List<Parameter> parameters = new ArrayList<>();
    for (String fieldPath : binding.pathFields()) {
      FieldDescriptor field = resolve(request, fieldPath, rpc);
      parameters.add(
          describe(new Parameter().in("path").name(fieldPath).required(true), field)
              .schema(schemas.fieldValue(field)));
    }
    if (!binding.bodyIsWholeRequest()) {
      parameters.addAll(queryParameters(request, binding));
    }
    if (!parameters.isEmpty()) {
      operation.parameters(parameters);
    }
    if (binding.hasBody()) {
      operation.requestBody(requestBody(rpc, binding));
    }
    AccessRule access = AccessRule.of(rpc);
    ApiResponses responses =
        new ApiResponses().addApiResponse("200", response(rpc.getOutputType()));
    if (access.needsCredentials()) {
      responses.addApiResponse(
          "401",
          error("UNAUTHENTICATED: no access token, or one that is malformed, expired or revoked."));
    }
    if (access.kind() == AccessRule.Kind.ROLES) {
      responses.addApiResponse(
          "403", error("PERMISSION_DENIED: the caller holds none of the roles " + roles(access) + "."));
    }
    responses.addApiResponse("default", error(ERROR_DESCRIPTION));
    operation.responses(responses);
    operation.security(
        access.needsCredentials()
            ? List.of(new SecurityRequirement().addList(BEARER_AUTH))
            : new ArrayList<>());
    operation.addExtension("x-library-access", describe(access));
    return operation;
  }

  private ApiResponse error(String description) {
    return new ApiResponse()
        .description(description)
        .content(new Content().addMediaType(JSON, new MediaType().schema(schemas.status())));
  }

  /** The access option in words, as Swagger UI shows an extension. */
  private static String describe(AccessRule access) {
    return switch (access.kind()) {
      case PUBLIC -> "public: no access token needed";
      case SIGNED_IN -> "any signed-in user";
      case ROLES -> "signed-in users with the role " + roles(access);
      case INTERNAL -> "internal: the library's services only";
    };
  }

  private static String roles(AccessRule access) {
    return access.roles().stream()
        .map(r -> r.name().substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT))
        .sorted()
        .collect(java.util.stream.Collectors.joining(" or "));
  }

  /**
   * The fields that travel in neither the path nor the body, as query parameters, under their
   * proto names (which Envoy and grpc-gateway both accept). A repeated field is repeated in the
   * query: {@code ?category_ids=a&category_ids=b}.
   */
  private List<Parameter> queryParameters(Descriptor request, HttpBinding binding) {
    List<Parameter> parameters = new ArrayList<>();
    for (FieldDescriptor field : request.getFields()) {
      if (binding.pathFields().contains(field.getName())
          || field.getName().equals(binding.body())
          || !ProtoSchemas.isQueryable(field)) {
        continue;
      }
      Parameter parameter =
          new Parameter()
              .in("query")
              .name(field.getName())
              .required(ProtoSchemas.isRequired(field) ? true : null)
              .schema(schemas.fieldValue(field));
      if (field.isRepeated()) {
        parameter.style(Parameter.StyleEnum.FORM).explode(true);
      }
      parameters.add(describe(parameter, field));
    }
    return parameters;
  }

  private RequestBody requestBody(MethodDescriptor rpc, HttpBinding binding) {
    Descriptor request = rpc.getInputType();
    Schema<?> schema;
    String description;
    if (!binding.bodyIsWholeRequest()) {
      FieldDescriptor field = resolve(request, binding.body(), rpc);
      schema = schemas.fieldValue(field);
      description = comments.of(field);
    } else if (binding.pathFields().isEmpty()) {
      schema = schemas.ref(request);
      description = comments.of(request);
    } else {
      // The path fields are not read from the body, so they are not shown there. Only
      // top-level ones are left out: no RPC here binds a nested field such as {book.id}.
      schema =
          schemas.bodyRef(
              rpc.getFullName() + "Body",
              request,
              field -> !binding.pathFields().contains(field.getName()));
      description = comments.of(request);
    }
    RequestBody body =
        new RequestBody()
            .required(true)
            .content(new Content().addMediaType(JSON, new MediaType().schema(schema)));
    if (!description.isEmpty()) {
      body.description(description);
    }
    return body;
  }

  private ApiResponse response(Descriptor message) {
    String description = comments.of(message);
    return new ApiResponse()
        .description(description.isEmpty() ? "OK" : description)
        .content(new Content().addMediaType(JSON, new MediaType().schema(schemas.ref(message))));
  }

  private Parameter describe(Parameter parameter, FieldDescriptor field) {
    String description = comments.of(field);
    return description.isEmpty() ? parameter : parameter.description(description);
  }

  /** A field named by a path template or a body rule: "id", or "book.id" in a nested message. */
  private static FieldDescriptor resolve(Descriptor message, String fieldPath, MethodDescriptor rpc) {
    Descriptor current = message;
    FieldDescriptor field = null;
    for (String name : fieldPath.split("\\.")) {
      field = current == null ? null : current.findFieldByName(name);
      if (field == null) {
        throw new IllegalStateException(
            rpc.getFullName() + " binds " + fieldPath + ", which " + message.getName() + " lacks");
      }
      current = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? field.getMessageType() : null;
    }
    return field;
  }

  // "library.book.v1" is served as version "v1".
  private String apiVersion() {
    String pkg = service.getFile().getPackage();
    return pkg.substring(pkg.lastIndexOf('.') + 1);
  }
}
