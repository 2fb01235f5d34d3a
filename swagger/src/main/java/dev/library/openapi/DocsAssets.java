package dev.library.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Swagger UI page and the OpenAPI documents, as classpath bytes by request path, for any
 * HTTP server to serve (the REST gateway and each service's Dropwizard port use this one class).
 *
 * <p>URL layout, all on one origin:
 *
 * <ul>
 *   <li>{@code /docs} redirects to {@code /docs/} (see {@link #redirect}): the page loads its
 *       assets by relative paths, which only resolve under the trailing slash;
 *   <li>{@code /docs/} and {@code /docs/index.html}: the page (classpath {@code docs/index.html});
 *   <li>{@code /docs/swagger-initializer.js}: the Swagger UI configuration (classpath {@code
 *       docs/swagger-initializer.js}), its list of documents filled in from the descriptor set;
 *   <li>{@code /docs/<asset>}, such as {@code swagger-ui-bundle.js}, {@code swagger-ui.css},
 *       {@code favicon-32x32.png}: the file of the org.webjars:swagger-ui jar, from {@code
 *       META-INF/resources/webjars/swagger-ui/<version>/<asset>}. No version in the URL, so
 *       that a webjar upgrade changes no route;
 *   <li>{@code /openapi/<service>.swagger.json} for every service of the descriptor set: the
 *       documents (classpath {@code openapi/<service>.swagger.json}).
 * </ul>
 *
 * <p>A server routes {@code /docs}, {@code /docs/*} and {@code /openapi/*} here. Anything else,
 * and any path with {@code ..}, a backslash or a nested folder, has no bytes.
 */
public final class DocsAssets {

  /** Prefix of the page and its assets. */
  public static final String DOCS = "/docs/";
  /** Prefix of the OpenAPI documents. */
  public static final String OPENAPI = "/openapi/";
  /** The documents served under {@link #OPENAPI}: one per service of the descriptor set. */
  public static final List<String> DOCUMENTS =
      OpenApiGenerator.SERVICES.keySet().stream().map(OpenApiGenerator::fileName).toList();

  private static final String INITIALIZER = "docs/swagger-initializer.js";
  // The initializer's placeholders, filled in with the documents when it is served, so that a
  // new service appears in the page's selector without anyone editing the script.
  private static final String URLS = "urls: [],";
  private static final String PRIMARY = "\"urls.primaryName\": \"\",";

  private static final String WEBJAR_POM =
      "META-INF/maven/org.webjars/swagger-ui/pom.properties";
  private static final String WEBJAR_ROOT = "META-INF/resources/webjars/swagger-ui/";
  // One plain path segment: no traversal, no hidden files, no folders.
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private final ClassLoader classLoader;
  private final String swaggerUiVersion;

  public DocsAssets() {
    this(DocsAssets.class.getClassLoader());
  }

  public DocsAssets(ClassLoader classLoader) {
    this.classLoader = classLoader;
    this.swaggerUiVersion = readWebjarVersion(classLoader);
  }

  /** The version of the swagger-ui webjar on the classpath, such as {@code 5.34.1}. */
  public String swaggerUiVersion() {
    return swaggerUiVersion;
  }

  /**
   * Where to send a request instead of answering it: {@code /docs/} for {@code /docs}, so that
   * the page's relative asset paths resolve.
   */
  public Optional<String> redirect(String requestPath) {
    if (requestPath == null || !withoutQuery(requestPath).equals("/docs")) {
      return Optional.empty();
    }
    // Keeps a deep link such as /docs?urls.primaryName=book working.
    return Optional.of(DOCS + requestPath.substring("/docs".length()));
  }

  /**
   * The bytes to answer a GET of {@code requestPath} with; empty means 404. A query string, if
   * the server passes one along, is ignored.
   */
  public Optional<byte[]> read(String requestPath) {
    return resource(requestPath)
        .flatMap(
            resource ->
                resource.equals(INITIALIZER)
                    ? bytes(resource).map(DocsAssets::withDocuments)
                    : bytes(resource));
  }

  /** The initializer with every document in its list, the first one selected. */
  static byte[] withDocuments(byte[] initializer) {
    String text = new String(initializer, StandardCharsets.UTF_8);
    if (!text.contains(URLS) || !text.contains(PRIMARY)) {
      throw new IllegalStateException(INITIALIZER + " lacks its placeholders " + URLS + " " + PRIMARY);
    }
    List<String> names = List.copyOf(OpenApiGenerator.SERVICES.keySet());
    String urls =
        names.stream()
            .map(
                name ->
                    "      { name: \"" + name + "\", url: \"" + OPENAPI
                        + OpenApiGenerator.fileName(name) + "\" }")
            .collect(Collectors.joining(",\n", "urls: [\n", "\n    ],"));
    String primary = "\"urls.primaryName\": \"" + names.get(0) + "\",";
    return text.replace(URLS, urls).replace(PRIMARY, primary).getBytes(StandardCharsets.UTF_8);
  }

  /** The classpath resource behind a request path, if any. */
  Optional<String> resource(String path) {
    if (path == null) {
      return Optional.empty();
    }
    String requestPath = withoutQuery(path);
    if (requestPath.equals("/docs") || requestPath.equals(DOCS)) {
      return Optional.of("docs/index.html");
    }
    if (requestPath.startsWith(DOCS)) {
      String name = requestPath.substring(DOCS.length());
      if (!isFileName(name)) {
        return Optional.empty();
      }
      // The page's own files shadow the webjar's (which has a petstore index.html and
      // initializer of its own).
      String own = "docs/" + name;
      if (classLoader.getResource(own) != null) {
        return Optional.of(own);
      }
      return Optional.of(WEBJAR_ROOT + swaggerUiVersion + "/" + name);
    }
    if (requestPath.startsWith(OPENAPI)) {
      String name = requestPath.substring(OPENAPI.length());
      return DOCUMENTS.contains(name) ? Optional.of("openapi/" + name) : Optional.empty();
    }
    return Optional.empty();
  }

  /** The Content-Type header for a request path, from its extension. */
  public static String contentType(String requestPath) {
    String path = withoutQuery(requestPath).toLowerCase(Locale.ROOT);
    if (path.equals("/docs") || path.endsWith("/") || path.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (path.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (path.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (path.endsWith(".json") || path.endsWith(".map")) {
      return "application/json; charset=utf-8";
    }
    if (path.endsWith(".png")) {
      return "image/png";
    }
    if (path.endsWith(".txt")) {
      return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
  }

  private static String withoutQuery(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static boolean isFileName(String name) {
    return FILE_NAME.matcher(name).matches() && !name.contains("..");
  }

  private Optional<byte[]> bytes(String resource) {
    try (InputStream in = classLoader.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static String readWebjarVersion(ClassLoader classLoader) {
    try (InputStream in = classLoader.getResourceAsStream(WEBJAR_POM)) {
      if (in == null) {
        throw new IllegalStateException(
            WEBJAR_POM + " is not on the classpath: add org.webjars:swagger-ui");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version");
      if (version == null || !isFileName(version)) {
        throw new IllegalStateException(WEBJAR_POM + " has no usable version: " + version);
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + WEBJAR_POM, e);
    }
  }
}
