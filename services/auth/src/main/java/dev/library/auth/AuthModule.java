package dev.library.auth;

import dev.library.auth.api.AuthGrpcService;
import dev.library.auth.core.AccessTokenIssuer;
import dev.library.auth.core.Accounts;
import dev.library.auth.core.AuditTrail;
import dev.library.auth.core.CommonPasswords;
import dev.library.auth.core.LoginThrottle;
import dev.library.auth.core.PasswordPolicy;
import dev.library.auth.core.Revocations;
import dev.library.auth.db.AuditEventDao;
import dev.library.auth.db.ThrottleDao;
import dev.library.auth.db.UserDao;
import dev.library.auth.core.PasswordHasher;
import dev.library.auth.core.SigningKeys;
import dev.library.auth.db.SigningKeyDao;
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

    SigningKeys keys = SigningKeys.load(settings.getSigningKeyFile(), new SigningKeyDao(context.jdbi()));
    AccessTokenIssuer issuer =
        new AccessTokenIssuer(
            keys.active(), issuerName, toJava(settings.getAccessTokenTtl()), clock);
    AuthSettings.Throttle limits = settings.getThrottle();
    LoginThrottle throttle =
        new LoginThrottle(
            new ThrottleDao(context.jdbi()),
            new LoginThrottle.Limits(
                limits.getAccountFreeFailures(),
                limits.getAddressFreeFailures(),
                toJava(limits.getMaxDelay()),
                limits.getAccountFailuresPerHour()),
            clock);
    AuditTrail audit = new AuditTrail(new AuditEventDao(context.jdbi()));
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
        new Revocations(new UserDao(context.jdbi()), toJava(settings.getAccessTokenTtl()));

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

  private static Duration toJava(io.dropwizard.util.Duration duration) {
    return Duration.ofMillis(duration.toMilliseconds());
  }
}
