package dev.library.auth.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts stored signing keys (AES-256-GCM, a random 96-bit nonce per seal, the
 * key id as associated data so a sealed key cannot be swapped onto another row). It comes from
 * configuration (an environment variable) or a file, base64 of 32 random bytes: {@code openssl
 * rand -base64 32}. It never touches the database.
 */
public final class KeyEncryptionKey {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private KeyEncryptionKey(byte[] raw) {
    this.key = new SecretKeySpec(raw, "AES");
  }

  /** The configured key: {@code value} (base64) or else the base64 content of {@code file}. */
  public static Optional<KeyEncryptionKey> configured(String value, String file) throws IOException {
    String base64 = value == null ? "" : value.trim();
    if (base64.isEmpty() && file != null && !file.isBlank()) {
      base64 = Files.readString(Path.of(file), StandardCharsets.US_ASCII).trim();
    }
    if (base64.isEmpty()) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the key-encryption key is not base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          "the key-encryption key must be 32 bytes (openssl rand -base64 32), not " + raw.length);
    }
    return Optional.of(new KeyEncryptionKey(raw));
  }

  public byte[] seal(String kid, byte[] plain) throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
    byte[] sealed = cipher.doFinal(plain);
    return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
  }

  public byte[] open(String kid, byte[] sealed) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        key,
        new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 0, NONCE_BYTES)));
    cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
    return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
  }

  @Override
  public String toString() {
    return "KeyEncryptionKey<hidden>";
  }
}
