package dev.library.auth;

import dev.library.auth.api.AuthGrpcService;
import dev.library.auth.core.AccessTokenIssuer;
import dev.library.auth.cli.RotateSigningKeyCommand;
import dev.library.auth.core.Accounts;
import dev.library.auth.core.KeyEncryptionKey;
import dev.library.auth.core.SigningKeyReloader;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.config.SecurityConfig;
import io.dropwizard.core.cli.ConfiguredCommand;
import java.util.Optional;
import dev.library.auth.core.AuditTrail;
import dev.library.auth.core.CommonPasswords;
import dev.library.auth.core.LoginThrottle;
import dev.library.auth.core.PasswordPolicy;
import dev.library.auth.core.Revocations;
import dev.library.auth.core.PasswordHasher;
import dev.library.auth.core.SigningKeys;
import dev.library.auth.http.JwksResource;
import dev.library.runtime.module.ModuleContext;
import dev.library.runtime.module.ServiceModule;
import dev.library.runtime.security.AccessTokenVerifier;
import io.grpc.BindableService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The auth service: accounts, tokens, roles, and the JWKS every other service trusts. */
public final class AuthModule implements ServiceModule {
  @Override
  public String name() {
    return "auth";
  }

  @Override
  public int defaultGrpcPort() {
    return 50051;
  }

  @Override
  public List<BindableService> start(ModuleContext context) throws Exception {
    AuthSettings settings = context.settings(AuthSettings.class);
    Clock clock = Clock.systemUTC();
    String issuerName = context.configuration().getSecurity().getIssuer();

    Optional<KeyEncryptionKey> kek =
        keyEncryptionKey(settings, context.configuration().getSecurity().getMode());
    SigningKeys keys =
        SigningKeys.load(
            settings.getSigningKeyFile(), context.jdbi(), kek, clock);
    context.environment().lifecycle().manage(new SigningKeyReloader(keys, toJava(settings.getKeyReloadInterval())));
    AccessTokenIssuer issuer =
        new AccessTokenIssuer(keys, issuerName, toJava(settings.getAccessTokenTtl()), clock);
    AuthSettings.Throttle limits = settings.getThrottle();
    LoginThrottle throttle =
        new LoginThrottle(
            new LoginThrottle.Limits(
                limits.getAccountFreeFailures(),
                limits.getAddressFreeFailures(),
                toJava(limits.getMaxDelay()),
                limits.getAccountFailuresPerHour()),
            clock);
    AuditTrail audit = new AuditTrail(context.jdbi());
    Accounts accounts =
        new Accounts(
            context.jdbi(),
            new PasswordHasher(settings.getBcryptCost()),
            new PasswordPolicy(CommonPasswords.load()),
            throttle,
            audit,
            issuer,
            toJava(settings.getRefreshTokenTtl()),
            clock);
    Revocations revocations =
        new Revocations(context.jdbi(), toJava(settings.getAccessTokenTtl()));

    AuthSettings.Admin admin = settings.getAdmin();
    if (!admin.getPassword().isEmpty()) {
      accounts.ensureAdmin(admin.getUsername(), admin.getEmail(), admin.getPassword());
    }
    accounts.purgeExpiredRefreshTokens();

    context.environment().jersey().register(new JwksResource(keys));
    // VerifyToken checks against the keys held here, not through HTTP to itself.
    AccessTokenVerifier localVerifier = new AccessTokenVerifier(keys, issuerName);
    return List.of(new AuthGrpcService(accounts, audit, revocations, localVerifier));
  }

  @Override
  public List<ConfiguredCommand<LibraryConfiguration>> commands() {
    return List.of(new RotateSigningKeyCommand(this));
  }

  /**
   * The configured key-encryption key. Production mode refuses to start without one unless the
   * signing key comes from a file (then nothing secret is stored in the database).
   */
  static Optional<KeyEncryptionKey> keyEncryptionKey(AuthSettings settings, SecurityConfig.Mode mode)
      throws java.io.IOException {
    Optional<KeyEncryptionKey> kek =
        KeyEncryptionKey.configured(
            settings.getKeyEncryptionKey(), settings.getKeyEncryptionKeyFile());
    if (kek.isEmpty()
        && settings.getSigningKeyFile().isBlank()
        && mode == SecurityConfig.Mode.PRODUCTION) {
      throw new IllegalStateException(
          "security.mode is production but no key-encryption key is configured: set "
              + "KEY_ENCRYPTION_KEY (openssl rand -base64 32) or KEY_ENCRYPTION_KEY_FILE, or a "
              + "JWT_SIGNING_KEY_FILE");
    }
    return kek;
  }

  static Duration toJava(io.dropwizard.util.Duration duration) {
    return Duration.ofMillis(duration.toMilliseconds());
  }
}
