package dev.library.auth.core;

import dev.library.auth.db.SigningKeyDao;
import dev.library.auth.db.SigningKeyDao.StoredKey;
import dev.library.runtime.security.InvalidTokenException;
import dev.library.runtime.security.SigningKeyResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys the auth service signs with and publishes. Only this service holds private keys; the
 * others see the public halves through the JWKS document.
 */
public final class SigningKeys implements SigningKeyResolver {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  private static final int MIN_BITS = 2048;

  private final SigningKey active;
  private final List<SigningKey> published;

  private SigningKeys(SigningKey active, List<SigningKey> published) {
    this.active = active;
    this.published = List.copyOf(published);
  }

  /**
   * The configured key file when there is one; otherwise the stored development key, generated
   * on first start.
   */
  public static SigningKeys load(String keyFile, SigningKeyDao dao) throws Exception {
    if (keyFile != null && !keyFile.isBlank()) {
      SigningKey key = readPem(Path.of(keyFile));
      LOG.info("signing with the configured key {}", key.kid());
      return new SigningKeys(key, List.of(key));
    }
    List<StoredKey> stored = dao.all();
    if (stored.isEmpty()) {
      dao.insertIfAbsent(encode(generate()));
      stored = dao.all();
      LOG.warn(
          "generated a development signing key and stored it in the auth database; "
              + "configure JWT_SIGNING_KEY_FILE in production");
    }
    List<SigningKey> keys = new ArrayList<>();
    for (StoredKey key : stored) {
      keys.add(decode(key));
    }
    return new SigningKeys(keys.get(0), keys);
  }

  public SigningKey active() {
    return active;
  }

  /** The JWKS document. */
  public Map<String, Object> jwks() {
    return Map.of("keys", published.stream().map(SigningKey::toJwk).collect(Collectors.toList()));
  }

  @Override
  public RSAPublicKey publicKey(String kid) throws InvalidTokenException {
    for (SigningKey key : published) {
      if (key.kid().equals(kid)) {
        return key.publicKey();
      }
    }
    throw new InvalidTokenException("access token signed by an unknown key");
  }

  private static SigningKey generate() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(MIN_BITS);
    KeyPair pair = generator.generateKeyPair();
    return SigningKey.of((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
  }

  private static StoredKey encode(SigningKey key) {
    return new StoredKey(key.kid(), key.privateKey().getEncoded(), key.publicKey().getEncoded());
  }

  private static SigningKey decode(StoredKey stored) throws GeneralSecurityException {
    KeyFactory rsa = KeyFactory.getInstance("RSA");
    RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(stored.publicKey()));
    RSAPrivateKey priv =
        (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(stored.privateKey()));
    return new SigningKey(stored.kid(), pub, priv);
  }

  static SigningKey readPem(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          file + " must hold a PKCS#8 RSA private key ('-----BEGIN PRIVATE KEY-----'); "
              + "see README.md for the openssl command");
    }
    String base64 =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    KeyFactory rsa = KeyFactory.getInstance("RSA");
    RSAPrivateCrtKey priv =
        (RSAPrivateCrtKey)
            rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    if (priv.getModulus().bitLength() < MIN_BITS) {
      throw new IllegalArgumentException(file + ": RSA keys need at least " + MIN_BITS + " bits");
    }
    RSAPublicKey pub =
        (RSAPublicKey)
            rsa.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
    return SigningKey.of(pub, priv);
  }
}
