package dev.library.gateway;

import com.google.common.base.Utf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Whether the raw (still percent-encoded) path or query of a request decodes to valid UTF-8.
 * Armeria decodes them with replacement characters, so {@code ?title_query=%FF} would reach a
 * service as U+FFFD: stored, searched and echoed as something the caller never sent. Envoy's
 * transcoder hands the bytes on, and the service's protobuf parser refuses them; the gateway
 * refuses them here.
 */
final class PercentEncodedUtf8 {
  private PercentEncodedUtf8() {}

  static boolean isValid(String raw) {
    if (raw == null || raw.indexOf('%') < 0) {
      // Armeria has already refused raw bytes outside ASCII.
      return true;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          bytes.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      if (c > 0x7f) {
        // Not expected (Armeria percent-encodes what is not ASCII), but if text arrives
        // decoded, it is judged as the UTF-8 it stands for.
        int codePoint = raw.codePointAt(i);
        if (Character.isSurrogate(c) && Character.charCount(codePoint) == 1) {
          return false;
        }
        byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(codePoint) - 1;
      } else {
        bytes.write(c);
      }
    }
    return Utf8.isWellFormed(bytes.toByteArray());
  }
}
