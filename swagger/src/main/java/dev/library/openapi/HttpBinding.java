package dev.library.openapi;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import io.swagger.v3.oas.models.PathItem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One REST mapping of an RPC, read from its {@code google.api.http} option: the HTTP method,
 * the path (in OpenAPI's template syntax) and which request fields travel where.
 *
 * @param method the HTTP method
 * @param path the OpenAPI path, such as {@code /api/v1/books/{id}}
 * @param pathFields the request fields bound to path segments, in template order
 * @param body "" (no body), "*" (every field not bound to the path) or the name of one field
 */
record HttpBinding(PathItem.HttpMethod method, String path, List<String> pathFields, String body) {

  // A variable is "{field}" or "{field=pattern}"; OpenAPI has only the first form.
  private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z0-9_.]+)(?:=[^}]*)?}");

  /** Every binding of an RPC, the primary one first; empty for an RPC with no REST mapping. */
  static List<HttpBinding> of(MethodDescriptor rpc) {
    if (!rpc.getOptions().hasExtension(AnnotationsProto.http)) {
      return List.of();
    }
    HttpRule rule = rpc.getOptions().getExtension(AnnotationsProto.http);
    List<HttpBinding> bindings = new ArrayList<>();
    bindings.add(from(rule, rpc));
    for (HttpRule additional : rule.getAdditionalBindingsList()) {
      bindings.add(from(additional, rpc));
    }
    return bindings;
  }

  private static HttpBinding from(HttpRule rule, MethodDescriptor rpc) {
    PathItem.HttpMethod method;
    String template;
    switch (rule.getPatternCase()) {
      case GET -> {
        method = PathItem.HttpMethod.GET;
        template = rule.getGet();
      }
      case PUT -> {
        method = PathItem.HttpMethod.PUT;
        template = rule.getPut();
      }
      case POST -> {
        method = PathItem.HttpMethod.POST;
        template = rule.getPost();
      }
      case DELETE -> {
        method = PathItem.HttpMethod.DELETE;
        template = rule.getDelete();
      }
      case PATCH -> {
        method = PathItem.HttpMethod.PATCH;
        template = rule.getPatch();
      }
      case CUSTOM -> {
        method = PathItem.HttpMethod.valueOf(rule.getCustom().getKind().toUpperCase());
        template = rule.getCustom().getPath();
      }
      default ->
          throw new IllegalArgumentException(
              rpc.getFullName() + " has a google.api.http rule without a pattern");
    }
    List<String> pathFields = new ArrayList<>();
    Matcher variables = VARIABLE.matcher(template);
    StringBuilder path = new StringBuilder();
    while (variables.find()) {
      pathFields.add(variables.group(1));
      variables.appendReplacement(path, Matcher.quoteReplacement("{" + variables.group(1) + "}"));
    }
    variables.appendTail(path);
    return new HttpBinding(method, path.toString(), List.copyOf(pathFields), rule.getBody());
  }

  boolean hasBody() {
    return !body.isEmpty();
  }

  boolean bodyIsWholeRequest() {
    return body.equals("*");
  }
}
