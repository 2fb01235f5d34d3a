package dev.library.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocsAssetsTest {

  private final DocsAssets assets = new DocsAssets();

  @Test
  void knowsTheWebjarVersion() {
    assertThat(assets.swaggerUiVersion()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(
            getClass()
                .getClassLoader()
                .getResource(
                    "META-INF/resources/webjars/swagger-ui/"
                        + assets.swaggerUiVersion()
                        + "/swagger-ui-bundle.js"))
        .isNotNull();
  }

  @Test
  void servesThePageAtTheDocsFolder() {
    String page = text("/docs/index.html");
    assertThat(page).contains("<title>Library API</title>", "./swagger-initializer.js");
    assertThat(text("/docs/")).isEqualTo(page);
    assertThat(text("/docs")).isEqualTo(page);
    assertThat(assets.redirect("/docs")).contains("/docs/");
    assertThat(assets.redirect("/docs?urls.primaryName=book"))
        .contains("/docs/?urls.primaryName=book");
    assertThat(text("/docs/?urls.primaryName=book")).isEqualTo(page);
    assertThat(assets.redirect("/docs/")).isEmpty();
    assertThat(assets.redirect("/docs/index.html")).isEmpty();
  }

  @Test
  void everyAssetThePageLoadsIsServed() {
    String page = text("/docs/");
    Matcher references = Pattern.compile("(?:src|href)=\"\\./([^\"]+)\"").matcher(page);
    List<String> assetsOfPage = new ArrayList<>();
    while (references.find()) {
      assetsOfPage.add(references.group(1));
    }
    assertThat(assetsOfPage)
        .contains("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js");
    for (String asset : assetsOfPage) {
      assertThat(assets.read("/docs/" + asset)).as(asset).isPresent();
    }
    assertThat(assets.read("/docs/swagger-ui-bundle.js").orElseThrow().length)
        .isGreaterThan(100_000);
  }

  @Test
  void theInitializerListsEveryServiceOfTheDescriptorSetAndNoOutsideService() {
    String initializer = text("/docs/swagger-initializer.js");
    Matcher urls =
        Pattern.compile("\\{ name: \"(\\w+)\", url: \"(/openapi/[\\w.]+)\" }").matcher(initializer);
    List<String> names = new ArrayList<>();
    while (urls.find()) {
      names.add(urls.group(1));
      assertThat(urls.group(2)).isEqualTo("/openapi/" + urls.group(1) + ".swagger.json");
      assertThat(assets.read(urls.group(2))).as(urls.group(2)).isPresent();
    }
    assertThat(names)
        .containsExactlyElementsOf(OpenApiGenerator.SERVICES.keySet())
        .contains("auth", "author", "category", "book");
    assertThat(initializer)
        .contains("\"urls.primaryName\": \"" + names.get(0) + "\"", "persistAuthorization: true",
            "validatorUrl: null")
        .doesNotContain("petstore", "https://");
  }

  @Test
  void servesTheCheckedInDocuments() throws Exception {
    for (String document : DocsAssets.DOCUMENTS) {
      Path file = Path.of(System.getProperty("basedir", "."), document);
      assertThat(assets.read("/openapi/" + document))
          .as(document)
          .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(readBytes(file)));
    }
    assertThat(text("/openapi/book.swagger.json")).contains("\"operationId\": \"ListBooks\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "/index.html",
        "/docs/nope.js",
        "/docs/..",
        "/docs/../pom.xml",
        "/docs/..%2Fpom.xml",
        "/docs/a/../index.html",
        "/docs/sub/index.html",
        "/docs//index.html",
        "/docs/.hidden",
        "/docs/..\\index.html",
        "/docs/C:\\index.html",
        "/openapi/",
        "/openapi/nope.swagger.json",
        "/openapi/../docs/index.html",
        "/openapi/..%2Fdocs%2Findex.html",
        "/openapi/book.swagger.json/",
        "/webjars/swagger-ui/swagger-ui-bundle.js",
        "/META-INF/maven/org.webjars/swagger-ui/pom.properties",
        "/docs/dev/library/openapi/DocsAssets.class",
      })
  void refusesEverythingElse(String path) {
    assertThat(assets.read(path)).isEmpty();
  }

  @Test
  void refusesNull() {
    assertThat(assets.read(null)).isEmpty();
  }

  @Test
  void namesContentTypes() {
    assertThat(DocsAssets.contentType("/docs/")).startsWith("text/html");
    assertThat(DocsAssets.contentType("/docs/?urls.primaryName=book")).startsWith("text/html");
    assertThat(DocsAssets.contentType("/docs")).startsWith("text/html");
    assertThat(DocsAssets.contentType("/docs/index.html")).startsWith("text/html");
    assertThat(DocsAssets.contentType("/docs/swagger-ui-bundle.js"))
        .isEqualTo("text/javascript; charset=utf-8");
    assertThat(DocsAssets.contentType("/docs/swagger-ui.css")).startsWith("text/css");
    assertThat(DocsAssets.contentType("/docs/favicon-32x32.png")).isEqualTo("image/png");
    assertThat(DocsAssets.contentType("/openapi/book.swagger.json"))
        .startsWith("application/json");
    assertThat(DocsAssets.contentType("/docs/unknown.bin")).isEqualTo("application/octet-stream");
  }

  private String text(String path) {
    return new String(
        assets.read(path).orElseThrow(() -> new AssertionError("no bytes for " + path)),
        StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
