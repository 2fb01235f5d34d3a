package dev.library.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.library.server.OpenApiOperations.Operation;
import dev.library.server.OpenApiOperations.Parameter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import dev.library.testing.Isbns;

/**
 * Generates REST requests for an OpenAPI operation from its schemas: values that fit (so that
 * some calls succeed and the services' deeper paths run) and, by {@link Hostility}, values and
 * bodies no correct edge may accept or may fail on: NUL characters, lone surrogates, invalid
 * UTF-8, huge strings and bodies, wrong JSON types, unknown fields, trailing content, deep
 * nesting, numbers out of range, 101 ids, bodies that are not JSON. All randomness comes from the
 * {@link Random} given, so a jqwik seed reproduces a request exactly.
 */
final class HostileRequests {
  /** The edge's request body limit (envoy.yaml's max_request_bytes, which the gateway reads). */
  static final int EDGE_BODY_LIMIT = 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Non-ASCII as \\u escapes, so that a lone surrogate is written as one (not as '?'). */
  private static final ObjectWriter ESCAPING =
      JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String BAD_UTF8_MARKER = "BADUTF8MARKER";

  /** Who calls. */
  enum Caller {
    ANONYMOUS,
    MEMBER,
    LIBRARIAN,
    ADMIN,
    FORGED_TOKEN
  }

  /** What is done to the request. */
  enum Hostility {
    NONE,
    HOSTILE_STRINGS,
    NUL_CHARACTER,
    LONE_SURROGATE,
    INVALID_UTF8,
    HUGE_STRING,
    HUGE_HEADER,
    OVERSIZED_BODY,
    WRONG_TYPE,
    UNKNOWN_FIELD,
    TRAILING_GARBAGE,
    DEEP_NESTING,
    NUMBER_OUT_OF_RANGE,
    TOO_MANY_IDS,
    DUPLICATE_KEY,
    NOT_AN_OBJECT,
    WRONG_CONTENT_TYPE,
    NO_CONTENT_TYPE
  }

  /** Tokens of each caller, and ids of things that exist, so that generated calls can succeed. */
  record Context(Map<Caller, String> tokens, Map<String, List<String>> knownIds) {
    List<String> ids(String kind) {
      return knownIds.getOrDefault(kind, List.of());
    }
  }

  /**
   * Strings worth sending anywhere: ordinary, international, confusing and injection-shaped
   * text. None of them looks like what {@link ErrorBodyOracle} treats as leaked internals.
   */
  static final List<String> STRINGS =
      List.of(
          "",
          " ",
          "a",
          "Ursula K. Le Guin",
          "The Left Hand of Darkness",
          "Ümlaut ñandú ÆØÅ",
          "日本語のタイトル",
          "😀📚🏳️‍🌈",
          "\u202Eevil right-to-left",
          "zero\u200Bwidth",
          "e\u0301 combining",
          "' OR '1'='1",
          "1; DROP TABLE books; --",
          "%",
          "%25%00",
          "_",
          "\\",
          "\"quoted\"",
          "<script>alert(1)</script>",
          "../../etc/passwd",
          "${jndi:ldap://x/a}",
          "null",
          "true",
          "-1",
          "1e309",
          "\t\r\n",
          "x".repeat(201),
          "y".repeat(600),
          "z".repeat(2100));

  static final List<String> FORGED_TOKENS =
      List.of(
          "not-a-jwt",
          "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZXMiOlsiYWRtaW4iXX0.",
          "a.b.c",
          "x".repeat(3000));

  private final Context context;

  HostileRequests(Context context) {
    this.context = context;
  }

  FuzzRequest generate(Operation operation, Caller caller, Hostility hostility, Random random) {
    return new Build(operation, caller, hostility, random).request();
  }

  /** The state of one request being generated. */
  private final class Build {
    private final Operation operation;
    private final Caller caller;
    private final Random random;
    private Hostility hostility;
    private boolean applied;
    private boolean mustBeRefused;
    private final List<String> echoes = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    Build(Operation operation, Caller caller, Hostility hostility, Random random) {
      this.operation = operation;
      this.caller = caller;
      this.hostility = hostility;
      this.random = random;
    }

    FuzzRequest request() {
      String path = path();
      String query = query();
      byte[] body = body();
      authorize();
      if (hostility == Hostility.HUGE_HEADER) {
        headers.put("x-padding", "p".repeat(40_000));
        refused();
      }
      if (hostility == Hostility.WRONG_CONTENT_TYPE && !applied) {
        // No body to declare wrongly: a GET that declares one is refused all the same.
        headers.put("content-type", pick(List.of("text/plain", "application/xml")));
        refused();
      }
      if (!applied && hostility != Hostility.NONE) {
        // Nothing in this operation to do it to: the request is an ordinary one.
        hostility = Hostility.NONE;
      }
      String target = query.isEmpty() ? path : path + "?" + query;
      return new FuzzRequest(
          operation.operationId(),
          operation.method(),
          target,
          Map.copyOf(headers),
          body,
          hostility.name() + "/" + caller.name(),
          mustBeRefused,
          List.copyOf(echoes));
    }

    private void refused() {
      applied = true;
      mustBeRefused = true;
    }

    private void authorize() {
      if (caller == Caller.FORGED_TOKEN) {
        headers.put("authorization", "Bearer " + pick(FORGED_TOKENS));
      } else if (caller != Caller.ANONYMOUS) {
        headers.put("authorization", "Bearer " + context.tokens().get(caller));
      }
      if (operation.signedIn() && (caller == Caller.ANONYMOUS || caller == Caller.FORGED_TOKEN)) {
        mustBeRefused = true;
      }
    }

    // ---- path -----------------------------------------------------------------------------

    private String path() {
      String path = operation.path();
      for (Parameter parameter : operation.in("path")) {
        byte[] value;
        if (!applied && hostility == Hostility.NUL_CHARACTER && random.nextInt(3) == 0) {
          value = utf8("id\u0000x");
          refused();
        } else if (!applied && hostility == Hostility.INVALID_UTF8 && random.nextInt(3) == 0) {
          value = invalidUtf8("id");
          refused();
        } else {
          String id = idFor(parameter.name());
          echoes.add(id);
          value = utf8(id);
        }
        path = path.replace("{" + parameter.name() + "}", percentEncode(value));
      }
      return path;
    }

    // ---- query ----------------------------------------------------------------------------

    private String query() {
      List<Parameter> parameters = operation.in("query");
      List<String> pairs = new ArrayList<>();
      for (Parameter parameter : parameters) {
        if (random.nextInt(3) == 0) {
          continue; // left out
        }
        String name = random.nextBoolean() ? parameter.name() : lowerCamel(parameter.name());
        JsonNode schema = operation.schemas().resolve(parameter.schema());
        if (schema.path("type").asText().equals("array")) {
          int count = hostility == Hostility.TOO_MANY_IDS && !applied ? 101 : random.nextInt(4);
          if (count == 101) {
            applied = true;
          }
          for (int i = 0; i < count; i++) {
            pairs.add(name + "=" + percentEncode(queryValue(parameter.name(), schema.path("items"))));
          }
        } else {
          pairs.add(name + "=" + percentEncode(queryValue(parameter.name(), schema)));
        }
      }
      if (hostility == Hostility.UNKNOWN_FIELD && !applied && operation.body() == null) {
        pairs.add("zz_no_such_parameter=1");
        refused();
      }
      return String.join("&", pairs);
    }

    private byte[] queryValue(String name, JsonNode schema) {
      String type = schema.path("type").asText();
      if (type.equals("string") && !schema.has("enum") && !applied) {
        switch (hostility) {
          case NUL_CHARACTER -> {
            refused();
            return utf8("a\u0000b");
          }
          case INVALID_UTF8 -> {
            refused();
            return invalidUtf8("a");
          }
          case LONE_SURROGATE -> {
            refused();
            return wtf8("a\uD800b");
          }
          case HUGE_STRING -> {
            refused(); // over the request-line limit: 414 or 431
            return utf8("h".repeat(40_000));
          }
          default -> {}
        }
      }
      if ((type.equals("integer") || type.equals("number")) && !applied) {
        if (hostility == Hostility.NUMBER_OUT_OF_RANGE) {
          refused();
          return utf8(pick(List.of("99999999999", "-2147483649", "1e40")));
        }
        if (hostility == Hostility.WRONG_TYPE) {
          refused();
          return utf8(pick(List.of("abc", "1.5", "", "0x10")));
        }
      }
      if (type.equals("boolean") && hostility == Hostility.WRONG_TYPE && !applied) {
        refused();
        return utf8(pick(List.of("yes", "1", "TRUE ")));
      }
      if (schema.has("enum") && hostility == Hostility.WRONG_TYPE && !applied) {
        refused();
        return utf8("NOT_A_VALUE");
      }
      JsonNode value = value(name, schema, 0);
      String text = value.isTextual() ? value.asText() : value.toString();
      echoes.add(text);
      return utf8(text);
    }

    // ---- body -----------------------------------------------------------------------------

    private byte[] body() {
      if (operation.body() == null) {
        return null;
      }
      ObjectNode body = object(operation.body(), 0);
      String text;
      switch (hostility) {
        case NOT_AN_OBJECT -> {
          refused();
          text = pick(List.of("[]", "\"a string\"", "1", "true", "[{}]"));
          return declareJson(utf8(text));
        }
        case OVERSIZED_BODY -> {
          refused();
          body.put("zz", "o".repeat(EDGE_BODY_LIMIT + 10));
          return declareJson(utf8(body.toString()));
        }
        case UNKNOWN_FIELD -> {
          refused();
          body.put("zzNoSuchField", random.nextInt(100));
        }
        case WRONG_TYPE -> wrongType(body);
        case DEEP_NESTING -> {
          refused();
          int depth = 2_000 + random.nextInt(3_000);
          body.putRawValue("zzDeep", new com.fasterxml.jackson.databind.util.RawValue(
              "[".repeat(depth) + "]".repeat(depth)));
        }
        case NUMBER_OUT_OF_RANGE -> outOfRange(body);
        default -> {}
      }
      text = write(body);
      switch (hostility) {
        case TRAILING_GARBAGE -> {
          refused();
          text = text + pick(List.of(" x", "}", "{}", ",", " []", "\u0000", " // comment"));
        }
        case DUPLICATE_KEY -> {
          if (body.size() > 0) {
            refused();
            String first = body.fieldNames().next();
            String pair = "\"" + first + "\":" + write(body.get(first));
            text = "{" + pair + "," + text.substring(1);
          }
        }
        default -> {}
      }
      byte[] bytes = utf8(text);
      if (hostility == Hostility.INVALID_UTF8 && text.contains(BAD_UTF8_MARKER)) {
        bytes = replaceMarker(bytes);
      }
      if (hostility == Hostility.WRONG_CONTENT_TYPE) {
        refused();
        headers.put(
            "content-type",
            pick(
                List.of(
                    "text/plain",
                    "text/plain;charset=UTF-8",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=zz",
                    "application/jsonp")));
        return bytes;
      }
      if (hostility == Hostility.NO_CONTENT_TYPE) {
        refused();
        return bytes;
      }
      return declareJson(bytes);
    }

    private byte[] declareJson(byte[] body) {
      headers.put(
          "content-type",
          pick(List.of("application/json", "application/json; charset=utf-8", "Application/JSON")));
      return body;
    }

    private String write(JsonNode node) {
      try {
        // A lone surrogate survives only as a JSON escape; other text goes either way.
        return hostility == Hostility.LONE_SURROGATE || random.nextBoolean()
            ? ESCAPING.writeValueAsString(node)
            : JSON.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    private ObjectNode object(JsonNode schema, int depth) {
      ObjectNode object = NODES.objectNode();
      Map<String, JsonNode> properties = OpenApiOperations.properties(operation, schema);
      List<String> required = new ArrayList<>();
      operation.schemas().resolve(schema).path("required").forEach(r -> required.add(r.asText()));
      for (Map.Entry<String, JsonNode> property : properties.entrySet()) {
        if (!required.contains(property.getKey()) && random.nextInt(3) == 0) {
          continue;
        }
        object.set(property.getKey(), value(property.getKey(), property.getValue(), depth + 1));
      }
      return object;
    }

    /** A value for a field or parameter named {@code name}, fitting its schema or hostile. */
    private JsonNode value(String name, JsonNode rawSchema, int depth) {
      JsonNode schema = operation.schemas().resolve(rawSchema);
      String type = schema.path("type").asText();
      if (schema.has("enum")) {
        List<String> values = new ArrayList<>();
        schema.get("enum").forEach(v -> values.add(v.asText()));
        return NODES.textNode(pick(values));
      }
      switch (type) {
        case "integer" -> {
          return NODES.numberNode(integer(name));
        }
        case "number" -> {
          return NODES.numberNode(random.nextDouble() * 100);
        }
        case "boolean" -> {
          return NODES.booleanNode(random.nextBoolean());
        }
        case "array" -> {
          ArrayNode array = NODES.arrayNode();
          int count =
              hostility == Hostility.TOO_MANY_IDS && !applied ? 101 : random.nextInt(4);
          if (count == 101) {
            applied = true;
          }
          for (int i = 0; i < count; i++) {
            array.add(value(singular(name), schema.path("items"), depth + 1));
          }
          return array;
        }
        case "object" -> {
          return depth > 4 ? NODES.objectNode() : object(schema, depth);
        }
        default -> {
          return NODES.textNode(string(name, schema));
        }
      }
    }

    private String string(String name, JsonNode schema) {
      if (!applied) {
        switch (hostility) {
          case NUL_CHARACTER -> {
            refused();
            return "before\u0000after";
          }
          case LONE_SURROGATE -> {
            refused();
            return pick(List.of("a\uD800b", "\uDC00", "x\uD83D"));
          }
          case INVALID_UTF8 -> {
            refused();
            return BAD_UTF8_MARKER;
          }
          case HUGE_STRING -> {
            applied = true; // large but within the body limit: the service decides
            return "h".repeat(100_000 + random.nextInt(100_000));
          }
          default -> {}
        }
      }
      String value;
      if (hostility == Hostility.HOSTILE_STRINGS && random.nextInt(3) > 0) {
        applied = true;
        value = pick(STRINGS);
      } else {
        value = fitting(name, schema);
      }
      echoes.add(value);
      return value;
    }

    /** A value likely to pass the field's rules, by its name and format. */
    private String fitting(String name, JsonNode schema) {
      String key = name.toLowerCase(Locale.ROOT).replace("_", "");
      if (schema.path("format").asText().equals("date-time")) {
        return pick(List.of("2024-01-02T03:04:05Z", "1970-01-01T00:00:00Z", "not a time"));
      }
      if (key.endsWith("id") || key.endsWith("ids") || key.equals("id")) {
        return idFor(name);
      }
      return switch (key) {
        case "isbn", "isbnquery" -> random.nextInt(4) == 0 ? "123" : isbn13(random);
        case "birthdate" -> pick(List.of("1950-01-02", "2999-01-01", "02/01/1950", ""));
        case "username" -> "fuzz" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        case "email" -> "fuzz" + random.nextInt(1_000_000) + "@example.org";
        case "password" -> pick(List.of("a long test password", "short", ""));
        case "itemtype" -> pick(List.of("book", "", "dvd"));
        case "token", "refreshtoken" -> pick(List.of("not-a-token", context.tokens().get(Caller.MEMBER)));
        default -> pick(STRINGS.subList(2, 8));
      };
    }

    private long integer(String name) {
      String key = name.toLowerCase(Locale.ROOT).replace("_", "");
      return switch (key) {
        case "page" -> random.nextInt(4);
        case "pagesize" -> pick(List.of(0L, 1L, 20L, 100L, 101L));
        case "publicationyear", "publicationyearstart", "publicationyearend" ->
            pick(List.of(0L, 1969L, 2024L, 3000L));
        case "totalcopies" -> pick(List.of(1L, 3L, 0L, 10_000L, 10_001L));
        case "limit" -> pick(List.of(1L, 5L, 20L, 21L, 0L));
        default -> random.nextInt(10);
      };
    }

    private void wrongType(ObjectNode body) {
      if (body.size() == 0) {
        return;
      }
      String field = pick(iterable(body.fieldNames()));
      JsonNode current = body.get(field);
      JsonNode wrong =
          current.isArray() ? NODES.textNode("not an array")
              : current.isObject() ? NODES.arrayNode().add(1)
              : NODES.objectNode().put("not", "a scalar");
      body.set(field, wrong);
      refused();
    }

    private void outOfRange(ObjectNode body) {
      List<String> integers = new ArrayList<>();
      Map<String, JsonNode> properties = OpenApiOperations.properties(operation, operation.body());
      properties.forEach(
          (name, schema) -> {
            if (operation.schemas().resolve(schema).path("type").asText().equals("integer")) {
              integers.add(name);
            }
          });
      if (integers.isEmpty()) {
        return;
      }
      String field = pick(integers);
      body.putRawValue(
          field,
          new com.fasterxml.jackson.databind.util.RawValue(
              pick(List.of("2147483648", "-2147483649", "1e40", "99999999999999999999", "3.5"))));
      refused();
    }

    // ---- ids ------------------------------------------------------------------------------

    private String idFor(String name) {
      String key = name.toLowerCase(Locale.ROOT).replace("_", "");
      int roll = random.nextInt(10);
      if (roll < 6) {
        String kind =
            key.contains("author") ? "author"
                : key.contains("categor") ? "category"
                : key.contains("user") ? "user"
                : key.contains("transaction") || key.contains("loan") ? "loan"
                : operation.path().contains("/authors") ? "author"
                : operation.path().contains("/categories") && !key.contains("item") ? "category"
                : operation.path().contains("/auth/") ? "user"
                : "book";
        List<String> known = context.ids(kind);
        if (!known.isEmpty()) {
          return pick(known);
        }
      }
      if (roll < 8) {
        return UUID.randomUUID().toString();
      }
      return pick(
          List.of(
              "not-a-uuid",
              "00000000-0000-0000-0000-000000000000",
              "' OR 1=1",
              "..",
              "a/b",
              "%2F",
              "x".repeat(5000),
              UUID.randomUUID().toString().toUpperCase(Locale.ROOT)));
    }

    private <T> T pick(List<T> values) {
      return values.get(random.nextInt(values.size()));
    }

    private byte[] invalidUtf8(String prefix) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.writeBytes(utf8(prefix));
      bytes.writeBytes(pick(INVALID_UTF8));
      return bytes.toByteArray();
    }

    private byte[] replaceMarker(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int at = text.indexOf(BAD_UTF8_MARKER);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(bytes, 0, at);
      out.writeBytes(utf8("x"));
      out.writeBytes(pick(INVALID_UTF8));
      out.writeBytes(utf8("y"));
      int after = at + BAD_UTF8_MARKER.length();
      out.write(bytes, after, bytes.length - after);
      return out.toByteArray();
    }
  }

  static final List<byte[]> INVALID_UTF8 =
      List.of(
          new byte[] {(byte) 0xff},
          new byte[] {(byte) 0xc0, (byte) 0xaf},
          new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
          new byte[] {(byte) 0xe2, (byte) 0x82},
          new byte[] {(byte) 0x80},
          new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80});

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * UTF-8, except that a lone surrogate is encoded as if it were a character (three bytes, as
   * CESU-8 and WTF-8 do): the bytes a careless client sends for it.
   */
  static byte[] wtf8(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (Character.isSurrogate(c)) {
        out.write(0xe0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3f));
        out.write(0x80 | (c & 0x3f));
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /** Percent-encodes every byte but RFC 3986's unreserved characters. */
  static String percentEncode(byte[] bytes) {
    StringBuilder encoded = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return encoded.toString();
  }

  static String lowerCamel(String snake) {
    StringBuilder camel = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        camel.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return camel.toString();
  }

  private static String singular(String name) {
    return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  /** A random valid ISBN-13. */
  static String isbn13(Random random) {
    return Isbns.randomIsbn13(random);
  }
}
