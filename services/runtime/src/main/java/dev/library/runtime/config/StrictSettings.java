package dev.library.runtime.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dropwizard.jackson.Jackson;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds a free-form settings block (a module's {@code services.<name>.settings}, an edge's {@code
 * edges.<name>}) to its class the way Dropwizard binds the rest of the file: a key the class does
 * not know stops the start, naming the key's full path and the keys known at that place.
 * Dropwizard's own mapper, which modules get from the environment, ignores unknown keys, so a
 * misspelt setting would silently keep its default.
 */
public final class StrictSettings {
  // An empty value (`signingKeyFile: ${JWT_SIGNING_KEY_FILE:-}` with the variable unset) is YAML
  // null: it keeps the setting's default instead of nulling a field the module reads as set.
  private static final ObjectMapper MAPPER =
      Jackson.newObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setDefaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SKIP));

  private StrictSettings() {}

  /**
   * The block at {@code path} bound to {@code type}.
   *
   * @throws InvalidSettingsException for an unknown key or a value of the wrong form
   */
  public static <T> T bind(String path, JsonNode block, Class<T> type) {
    try {
      return MAPPER.treeToValue(block, type);
    } catch (UnrecognizedPropertyException e) {
      throw unknownKey(path, e);
    } catch (JsonMappingException e) {
      throw new InvalidSettingsException(
          at(path, e) + " is invalid: " + e.getOriginalMessage());
    } catch (Exception e) {
      throw new InvalidSettingsException(path + " is invalid: " + e.getMessage());
    }
  }

  /** As {@link #bind(String, JsonNode, Class)}, then the class's bean validation constraints. */
  public static <T> T bind(String path, JsonNode block, Class<T> type, Validator validator) {
    T settings = bind(path, block, type);
    Set<ConstraintViolation<T>> violations = validator.validate(settings);
    if (!violations.isEmpty()) {
      throw new InvalidSettingsException(
          violations.stream()
              .map(v -> path + "." + v.getPropertyPath() + " " + v.getMessage())
              .sorted()
              .collect(Collectors.joining(", ")));
    }
    return settings;
  }

  /** Refuses a block for something that takes no settings at all. */
  public static void requireEmpty(String path, JsonNode block) {
    if (block != null && !block.isNull() && !(block.isObject() && block.isEmpty())) {
      throw new InvalidSettingsException(path + " is set, but this takes no settings");
    }
  }

  /** Refuses a key of an open map (such as {@code services:}) that names nothing known. */
  public static void requireKnownKeys(String path, Collection<String> keys, Collection<String> known) {
    for (String key : keys) {
      if (!known.contains(key)) {
        throw new InvalidSettingsException(unknown(path + "." + key, key, known));
      }
    }
  }

  private static InvalidSettingsException unknownKey(String path, UnrecognizedPropertyException e) {
    List<String> known =
        e.getKnownPropertyIds() == null
            ? List.of()
            : e.getKnownPropertyIds().stream().map(String::valueOf).toList();
    return new InvalidSettingsException(unknown(at(path, e), e.getPropertyName(), known));
  }

  private static String unknown(String fullPath, String key, Collection<String> known) {
    List<String> sorted = known.stream().sorted().toList();
    String message = "unknown setting " + fullPath + "; known here: " + sorted;
    return nearest(key, sorted).map(k -> message + "; did you mean " + k + "?").orElse(message);
  }

  /** The path of the failing value: the block's path, then Jackson's path inside it. */
  private static String at(String path, JsonMappingException e) {
    StringBuilder full = new StringBuilder(path);
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        full.append('.').append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        full.append('[').append(reference.getIndex()).append(']');
      }
    }
    return full.toString();
  }

  /** The known key closest to a misspelt one, if any is close (a few edits). */
  static java.util.Optional<String> nearest(String key, Collection<String> known) {
    return known.stream()
        .filter(k -> distance(k.toLowerCase(), key.toLowerCase()) <= Math.max(2, key.length() / 4))
        .min(Comparator.comparingInt(k -> distance(k.toLowerCase(), key.toLowerCase())));
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
