package dev.library.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.library.runtime.module.ModuleRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The test harnesses' base configuration: {@code library-test.yml} cut to what this classpath
 * knows. The file holds a block for every module any test may host, the runtime's test-only probe
 * included; the application refuses blocks naming neither a module found nor a service of the
 * descriptor set, and edges it does not have. So the blocks of the probe (outside the runtime's
 * own tests) and of absent edges are dropped here, and every known service gets at least an empty
 * block for the harness's overrides to land in.
 */
public final class TestConfiguration {
  public static final String RESOURCE = "library-test.yml";

  private static final YAMLMapper YAML = new YAMLMapper();

  private TestConfiguration() {}

  /** The configuration text for the modules on the classpath. */
  public static String text() {
    return text(ModuleRegistry.discover());
  }

  static String text(ModuleRegistry registry) {
    ObjectNode root;
    try (InputStream in = TestConfiguration.class.getResourceAsStream("/" + RESOURCE)) {
      root = (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    keepOnly(root.withObjectProperty("services"), registry.knownServiceNames());
    for (String service : registry.knownServiceNames()) {
      ObjectNode block = root.withObjectProperty("services").withObjectProperty(service);
      if (!block.has("grpcPort")) {
        block.put("grpcPort", 0);
      }
      if (!block.has("address")) {
        block.put("address", "");
      }
    }
    keepOnly(root.withObjectProperty("edges"), registry.edgeNames());
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the edge (such as {@code gateway}) is on the classpath, so its block exists. */
  public static boolean hasEdge(String name) {
    return ModuleRegistry.discover().edgeNames().contains(name);
  }

  private static void keepOnly(ObjectNode blocks, List<String> names) {
    List<String> absent = new ArrayList<>();
    blocks.fieldNames().forEachRemaining(absent::add);
    absent.removeAll(names);
    absent.forEach(blocks::remove);
  }

  static JsonNode tree(String text) throws IOException {
    return YAML.readTree(text);
  }
}
