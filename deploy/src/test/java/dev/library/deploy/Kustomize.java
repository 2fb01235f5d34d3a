package dev.library.deploy;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization as {@code kubectl kustomize} does, for the subset deploy/kubernetes
 * uses: {@code resources} (files and directories with a kustomization), {@code namespace},
 * {@code images} and {@code patches} given as JSON 6902 operations (inline or in a file) with a
 * kind/name target. Anything else in a kustomization is refused, so the manifests cannot start
 * using a feature this renderer would silently skip. Where kubectl is installed,
 * KubernetesManifestsTest also compares this rendering with its own.
 */
final class Kustomize {
  static final YAMLMapper YAML = new YAMLMapper();
  private static final Set<String> SUPPORTED =
      Set.of("apiVersion", "kind", "resources", "namespace", "images", "patches");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

  private Kustomize() {}

  static List<ObjectNode> render(Path directory) {
    JsonNode kustomization = readOne(directory.resolve("kustomization.yaml"));
    kustomization.fieldNames().forEachRemaining(field -> {
      if (!SUPPORTED.contains(field)) {
        throw new IllegalArgumentException(
            directory + "/kustomization.yaml uses `" + field + "`, which Kustomize.java does not render");
      }
    });
    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode resource : kustomization.path("resources")) {
      Path path = directory.resolve(resource.asText()).normalize();
      if (Files.isDirectory(path)) {
        objects.addAll(render(path));
      } else {
        objects.addAll(readAll(path));
      }
    }
    for (JsonNode patch : kustomization.path("patches")) {
      JsonNode operations =
          patch.has("path")
              ? readOne(directory.resolve(patch.path("path").asText()))
              : readText(patch.path("patch").asText());
      List<ObjectNode> targets =
          objects.stream().filter(o -> matches(o, patch.path("target"))).toList();
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("patch target matches nothing: " + patch.path("target"));
      }
      targets.forEach(target -> JsonPatch.apply(target, operations));
    }
    for (JsonNode image : kustomization.path("images")) {
      objects.forEach(o -> replaceImage(o, image));
    }
    if (kustomization.has("namespace")) {
      String namespace = kustomization.path("namespace").asText();
      for (ObjectNode object : objects) {
        if (!CLUSTER_SCOPED.contains(object.path("kind").asText())) {
          ((ObjectNode) object.with("metadata")).put("namespace", namespace);
        }
      }
    }
    return objects;
  }

  private static boolean matches(ObjectNode object, JsonNode target) {
    return (!target.has("kind") || target.path("kind").asText().equals(object.path("kind").asText()))
        && (!target.has("name")
            || target.path("name").asText().equals(object.path("metadata").path("name").asText()));
  }

  private static void replaceImage(ObjectNode object, JsonNode image) {
    for (JsonNode container : object.path("spec").path("template").path("spec").path("containers")) {
      String current = container.path("image").asText();
      String name = current.replaceFirst("[:@].*$", "");
      if (name.equals(image.path("name").asText())) {
        String newName = image.path("newName").asText(name);
        String tag = image.has("newTag") ? ":" + image.path("newTag").asText() : "";
        ((ObjectNode) container).put("image", newName + tag);
      }
    }
  }

  private static JsonNode readOne(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readText(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<ObjectNode> readAll(Path file) {
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      List<ObjectNode> objects = new ArrayList<>();
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          objects.add((ObjectNode) document);
        }
      }
      return objects;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** RFC 6902 add, replace and remove: what the overlays use. */
  static final class JsonPatch {
    private JsonPatch() {}

    static void apply(ObjectNode document, JsonNode operations) {
      for (JsonNode operation : operations) {
        String op = operation.path("op").asText();
        JsonPointer pointer = JsonPointer.compile(operation.path("path").asText());
        JsonNode parent = document.at(pointer.head());
        String last = pointer.last().getMatchingProperty();
        if (!(parent instanceof ContainerNode<?>)) {
          throw new IllegalArgumentException("no parent for " + pointer + " in " + name(document));
        }
        switch (op) {
          case "add" -> add(parent, last, operation.path("value").deepCopy());
          case "replace" -> {
            require(parent, last, pointer, document);
            set(parent, last, operation.path("value").deepCopy());
          }
          case "remove" -> {
            require(parent, last, pointer, document);
            if (parent instanceof ObjectNode object) {
              object.remove(last);
            } else {
              ((ArrayNode) parent).remove(Integer.parseInt(last));
            }
          }
          default -> throw new IllegalArgumentException("unsupported patch op " + op);
        }
      }
    }

    private static void add(JsonNode parent, String last, JsonNode value) {
      if (parent instanceof ArrayNode array) {
        if (last.equals("-")) {
          array.add(value);
        } else {
          array.insert(Integer.parseInt(last), value);
        }
      } else {
        ((ObjectNode) parent).set(last, value);
      }
    }

    private static void set(JsonNode parent, String last, JsonNode value) {
      if (parent instanceof ArrayNode array) {
        array.set(Integer.parseInt(last), value);
      } else {
        ((ObjectNode) parent).set(last, value);
      }
    }

    private static void require(JsonNode parent, String last, JsonPointer pointer, ObjectNode document) {
      boolean present =
          parent instanceof ArrayNode array
              ? Integer.parseInt(last) < array.size()
              : parent.has(last);
      if (!present) {
        throw new IllegalArgumentException(pointer + " is not in " + name(document));
      }
    }

    private static String name(ObjectNode document) {
      return document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
    }
  }
}
