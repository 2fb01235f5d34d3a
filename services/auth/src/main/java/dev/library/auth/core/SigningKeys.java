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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys the auth service signs with and publishes. Only this service holds private keys; the
 * others see the public halves through the JWKS document.
 *
 * <p>Generated keys live in the auth database, their private halves sealed with the {@link
 * KeyEncryptionKey} when one is configured, and follow a schedule (see {@link #rotate}): a new
 * key is published first and signs only from its activation time; the one before stays
 * published until the last token it signed has expired. {@link #reload} re-reads the schedule,
 * so every instance of the auth service follows a rotation made by the command.
 */
public final class SigningKeys implements SigningKeyResolver {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  private static final int MIN_BITS = 2048;
  /** Tokens outlive their key's retirement by nothing; this is for clocks that disagree. */
  static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

  /** The signing key and the published ones at one moment. */
  private record Snapshot(SigningKey active, List<SigningKey> published) {}

  /** The auth database, or null when the key comes from a file. */
  private final Jdbi jdbi;
  private final Optional<KeyEncryptionKey> kek;
  private final Clock clock;
  private volatile Snapshot snapshot;

  private SigningKeys(Jdbi jdbi, Optional<KeyEncryptionKey> kek, Clock clock, Snapshot snapshot) {
    this.jdbi = jdbi;
    this.kek = kek;
    this.clock = clock;
    this.snapshot = snapshot;
  }

  /**
   * The configured key file when there is one; otherwise the stored keys, one generated on first
   * start. Keys stored unsealed are sealed now when a key-encryption key is configured.
   */
  public static SigningKeys load(
      String keyFile, Jdbi jdbi, Optional<KeyEncryptionKey> kek, Clock clock) throws Exception {
    if (keyFile != null && !keyFile.isBlank()) {
      SigningKey key = readPem(Path.of(keyFile));
      LOG.info("signing with the configured key {}", key.kid());
      return new SigningKeys(null, kek, clock, new Snapshot(key, List.of(key)));
    }
    jdbi.useHandle(h -> prepareStored(new SigningKeyDao(h), kek, clock));
    SigningKeys keys = new SigningKeys(jdbi, kek, clock, null);
    keys.reload();
    return keys;
  }

  /** Generates the first key if none is stored, and seals unsealed ones when a KEK is set. */
  private static void prepareStored(SigningKeyDao dao, Optional<KeyEncryptionKey> kek, Clock clock)
      throws GeneralSecurityException {
    if (dao.all().isEmpty()) {
      dao.insertIfAbsent(encode(generate(), kek, clock.instant()));
      if (kek.isEmpty()) {
        LOG.warn(
            "generated a signing key and stored it unencrypted in the auth database "
                + "(development mode); set KEY_ENCRYPTION_KEY in production");
      }
    }
    if (kek.isPresent()) {
      for (StoredKey stored : dao.all()) {
        if (!stored.sealed()) {
          dao.seal(stored.kid(), kek.get().seal(stored.kid(), stored.privateKey()));
          LOG.info("sealed stored signing key {} with the key-encryption key", stored.kid());
        }
      }
    }
  }

  /** Re-reads the stored keys and their schedule (no-op for a configured key file). */
  public void reload() throws GeneralSecurityException {
    if (jdbi == null) {
      return;
    }
    Instant now = clock.instant();
    SigningKey active = null;
    List<SigningKey> published = new ArrayList<>();
    for (StoredKey stored : jdbi.withHandle(h -> new SigningKeyDao(h).all())) {
      if (stored.retiresAt() != null && !stored.retiresAt().isAfter(now)) {
        continue;
      }
      SigningKey key = decode(stored, kek);
      published.add(key);
      if (!stored.activatesAt().isAfter(now)) {
        active = key; // ordered by activation: the latest active one wins
      }
    }
    if (active == null && !published.isEmpty()) {
      // Only keys scheduled for later (the first key was made by the rotate command): nothing
      // signed before it, so no verifier's cache can be behind; sign with the earliest.
      active = published.get(0);
    }
    if (active == null) {
      throw new IllegalStateException("no stored signing key is published");
    }
    Snapshot next = new Snapshot(active, List.copyOf(published));
    Snapshot previous = snapshot;
    snapshot = next;
    if (previous != null && !previous.active().kid().equals(active.kid())) {
      LOG.info("now signing with key {}", active.kid());
    }
  }

  /**
   * Generates the next key: published at once, signing from {@code now + publishWait}; every
   * current key leaves the JWKS once the last token it can sign has expired. Returns the new key
   * id and its activation time. {@code dao} is on the caller's transaction.
   */
  public static Rotation rotate(
      SigningKeyDao dao,
      Optional<KeyEncryptionKey> kek,
      Instant now,
      Duration publishWait,
      Duration accessTokenTtl)
      throws GeneralSecurityException {
    SigningKey next = generate();
    Instant activates = now.plus(publishWait);
    Instant retires = activates.plus(accessTokenTtl).plus(CLOCK_MARGIN);
    StoredKey stored = encode(next, kek, activates);
    dao.rotate(stored, retires);
    return new Rotation(next.kid(), activates, retires);
  }

  /** What a rotation scheduled. */
  public record Rotation(String kid, Instant activatesAt, Instant previousRetireAt) {}

  public SigningKey active() {
    return snapshot.active();
  }

  /** The JWKS document. */
  public Map<String, Object> jwks() {
    return Map.of(
        "keys", snapshot.published().stream().map(SigningKey::toJwk).collect(Collectors.toList()));
  }

  @Override
  public RSAPublicKey publicKey(String kid) throws InvalidTokenException {
    for (SigningKey key : snapshot.published()) {
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

  private static StoredKey encode(
      SigningKey key, Optional<KeyEncryptionKey> kek, Instant activatesAt)
      throws GeneralSecurityException {
    byte[] priv = key.privateKey().getEncoded();
    boolean sealed = kek.isPresent();
    if (sealed) {
      priv = kek.get().seal(key.kid(), priv);
    }
    return new StoredKey(
        key.kid(), priv, key.publicKey().getEncoded(), sealed, activatesAt, null);
  }

  private static SigningKey decode(StoredKey stored, Optional<KeyEncryptionKey> kek)
      throws GeneralSecurityException {
    byte[] priv = stored.privateKey();
    if (stored.sealed()) {
      if (kek.isEmpty()) {
        throw new IllegalStateException(
            "signing key " + stored.kid() + " is sealed, but no key-encryption key is configured "
                + "(KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_FILE)");
      }
      priv = kek.get().open(stored.kid(), priv);
    }
    KeyFactory rsa = KeyFactory.getInstance("RSA");
    RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(stored.publicKey()));
    RSAPrivateKey privateKey = (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(priv));
    return new SigningKey(stored.kid(), pub, privateKey);
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
