package dev.library.auth.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** An RSA key pair and its id. The id is the key's RFC 7638 thumbprint, so it never collides. */
public record SigningKey(String kid, RSAPublicKey publicKey, RSAPrivateKey privateKey) {

  public static SigningKey of(RSAPublicKey publicKey, RSAPrivateKey privateKey) {
    return new SigningKey(thumbprint(publicKey), publicKey, privateKey);
  }

  /** This key as a JWK (public part only). */
  public Map<String, Object> toJwk() {
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "RSA");
    jwk.put("kid", kid);
    jwk.put("use", "sig");
    jwk.put("alg", "RS256");
    jwk.put("n", base64Url(publicKey.getModulus()));
    jwk.put("e", base64Url(publicKey.getPublicExponent()));
    return jwk;
  }

  private static String thumbprint(RSAPublicKey key) {
    // RFC 7638: the required members in lexicographic order, no whitespace.
    String canonical =
        "{\"e\":\""
            + base64Url(key.getPublicExponent())
            + "\",\"kty\":\"RSA\",\"n\":\""
            + base64Url(key.getModulus())
            + "\"}";
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Unsigned big-endian bytes, base64url without padding, as JWK wants integers. */
  private static String base64Url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
