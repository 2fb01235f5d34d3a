package dev.library.runtime.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AIP-158 page tokens: where the next page starts (the sort key and id of the last row returned,
 * and how many rows came before it), signed with HMAC-SHA256 so that a client can neither forge a
 * position nor carry a token to another list or to the same list with other filters. The list's
 * name and a canonical form of the request's filters are part of what is signed but not of the
 * token, so a token of another request fails the check like a tampered one.
 *
 * <p>Clients must treat a token as opaque; its content is not secret (it holds a row's sort key,
 * which the client was just shown).
 */
public final class PageTokens {
  private static final byte VERSION = 1;
  private static final int MAC_BYTES = 16;
  private static final int MAX_TOKEN_CHARS = 4096;

  private final SecretKeySpec key;

  public PageTokens(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** A position in a list: the keys of the last row returned and the rows up to and including it. */
  public record Position(long rowsBefore, List<String> keys) {
    public Position {
      keys = List.copyOf(keys);
    }
  }

  public String encode(String list, String filters, Position position) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(position.rowsBefore());
      out.writeByte(position.keys().size());
      for (String value : position.keys()) {
        out.writeUTF(value);
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory", e);
    }
    byte[] payload = bytes.toByteArray();
    byte[] mac = mac(list, filters, payload);
    byte[] token = Arrays.copyOf(payload, payload.length + MAC_BYTES);
    System.arraycopy(mac, 0, token, payload.length, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  /**
   * The position a token names, or empty when it is not a token this server issued for this list
   * and these filters (malformed, tampered with, or from another request).
   */
  public Optional<Position> decode(String list, String filters, String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // Unused low bits of the last character are ignored by the decoder: a token that is not the
    // one encoding of its bytes was changed, even where the change made no difference.
    if (bytes.length <= MAC_BYTES
        || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token)) {
      return Optional.empty();
    }
    byte[] payload = Arrays.copyOf(bytes, bytes.length - MAC_BYTES);
    byte[] presented = Arrays.copyOfRange(bytes, bytes.length - MAC_BYTES, bytes.length);
    byte[] expected = Arrays.copyOf(mac(list, filters, payload), MAC_BYTES);
    if (!MessageDigest.isEqual(expected, presented)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      if (in.readByte() != VERSION) {
        return Optional.empty();
      }
      long rowsBefore = in.readLong();
      int count = in.readUnsignedByte();
      List<String> keys = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        keys.add(in.readUTF());
      }
      return in.available() == 0 && rowsBefore >= 0
          ? Optional.of(new Position(rowsBefore, keys))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private byte[] mac(String list, String filters, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(list.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(filters.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
