package dev.library.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Page tokens: what one server issued decodes; anything changed, foreign or malformed does not. */
class PageTokensTest {
  private final PageTokens tokens = new PageTokens("key one".getBytes());
  private final PageTokens.Position position =
      new PageTokens.Position(40, List.of("the left hand of darkness", "6f1c2d3e-0000-0000-0000-000000000001"));

  @Test
  void aTokenNamesThePositionItWasIssuedFor() {
    String token = tokens.encode("ListBooks", "title=dark", position);
    assertThat(tokens.decode("ListBooks", "title=dark", token)).contains(position);
    assertThat(token).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void everyChangedByteIsRefused() {
    byte[] token = Base64.getUrlDecoder().decode(tokens.encode("ListBooks", "", position));
    for (int i = 0; i < token.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] changed = token.clone();
        changed[i] ^= (byte) (1 << bit);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
        assertThat(tokens.decode("ListBooks", "", forged)).as("byte %d bit %d", i, bit).isEmpty();
      }
    }
  }

  @Test
  void everyChangedCharacterIsRefused() {
    String token = tokens.encode("ListBooks", "", position);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < token.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (c != token.charAt(i)) {
          String changed = token.substring(0, i) + c + token.substring(i + 1);
          assertThat(tokens.decode("ListBooks", "", changed)).as("%d %s", i, c).isEmpty();
        }
      }
    }
  }

  @Test
  void aTokenOfAnotherListOtherFiltersOrAnotherKeyIsRefused() {
    String token = tokens.encode("ListBooks", "title=dark", position);
    assertThat(tokens.decode("ListAuthors", "title=dark", token)).isEmpty();
    assertThat(tokens.decode("ListBooks", "title=light", token)).isEmpty();
    assertThat(new PageTokens("key two".getBytes()).decode("ListBooks", "title=dark", token)).isEmpty();
  }

  @Test
  void malformedTokensAreRefusedWithoutAnException() {
    for (String bad : List.of("", "x", "%%%", "AAAA", "A".repeat(5000), "not a token at all")) {
      assertThat(tokens.decode("ListBooks", "", bad)).as(bad).isEmpty();
    }
  }
}
