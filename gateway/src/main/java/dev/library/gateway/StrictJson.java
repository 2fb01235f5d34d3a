package dev.library.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a request body is what Envoy's transcoder accepts: one JSON value (RFC 8259, no
 * comments, no single quotes, no NaN), in valid UTF-8, with nothing but whitespace after it, and
 * no string holding half of a surrogate pair. protobuf's JsonFormat, which the gateway transcodes
 * with, is lenient about all of these (it reads through Gson in lenient mode, decodes bytes with
 * replacement characters and stops after the first value), so the gateway checks first: a body
 * it would have accepted half-read or silently altered is refused with 400 instead.
 */
final class StrictJson {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  /** Jackson's own hints (`(from `StreamReadConstraints...`)`) name its classes. */
  private static final Pattern CODE_HINT = Pattern.compile("\\s*\\([^()]*`[^`]*`[^()]*\\)");

  private StrictJson() {}

  /** Why {@code body} is not acceptable, or empty when it is. */
  static Optional<String> problem(byte[] body) {
    String text;
    try {
      text = utf8().decode(ByteBuffer.wrap(body)).toString();
    } catch (MalformedInputException e) {
      return Optional.of(
          "the request body is not valid UTF-8 (at byte " + malformedOffset(body) + ")");
    } catch (CharacterCodingException e) {
      return Optional.of("the request body is not valid UTF-8");
    }
    try (JsonParser parser = JSON.createParser(text)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return Optional.of("the request body is only whitespace");
      }
      // Walk the first value to its end; Jackson checks the syntax on the way.
      int depth = 0;
      while (true) {
        if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME)
            && hasLoneSurrogate(parser.getText())) {
          return Optional.of(
              "the request body holds half of a UTF-16 surrogate pair in a string"
                  + at(parser.currentTokenLocation()));
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        if (depth == 0) {
          break;
        }
        token = parser.nextToken();
      }
      if (parser.nextToken() != null) {
        return Optional.of(
            "the request body has content after its JSON value"
                + at(parser.currentTokenLocation()));
      }
      return Optional.empty();
    } catch (StreamConstraintsException e) {
      return Optional.of("the request body is nested too deeply or holds a value that is too long");
    } catch (JsonEOFException e) {
      return Optional.of("the request body ends before its JSON value does");
    } catch (JsonProcessingException e) {
      return Optional.of(
          "the request body is not valid JSON: " + reason(e) + at(e.getLocation()));
    } catch (IOException e) {
      return Optional.of("the request body cannot be read as JSON");
    }
  }

  private static CharsetDecoder utf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** The offset of the first byte that does not decode, for the message. */
  private static int malformedOffset(byte[] body) {
    CharsetDecoder decoder = utf8();
    ByteBuffer in = ByteBuffer.wrap(body);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(body.length + 1);
    decoder.decode(in, out, true);
    return in.position();
  }

  static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return true;
      }
      if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static String reason(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return "malformed";
    }
    int cut = message.indexOf(" (start marker");
    if (cut >= 0) {
      message = message.substring(0, cut);
    }
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    return CODE_HINT.matcher(message).replaceAll("");
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
