package dev.library.auth.core;

import dev.library.auth.db.RefreshTokenDao;
import dev.library.auth.db.User;
import dev.library.auth.db.UserDao;
import dev.library.runtime.db.SqlErrors;
import dev.library.runtime.errors.AlreadyExistsException;
import dev.library.runtime.api.Lookup;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.IdLists;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.errors.UnauthenticatedException;
import dev.library.runtime.security.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registration, login, token refresh and role changes: the auth service's rules. */
public final class Accounts {
  private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);
  /** One message for unknown user and wrong password: accounts cannot be probed. */
  static final String BAD_CREDENTIALS = "invalid username or password";
  static final int MAX_BATCH = 100;
  static final String BAD_REFRESH = "refresh token is invalid, expired or already used";

  private final Jdbi jdbi;
  private final UserDao users;
  private final PasswordHasher hasher;
  private final AccessTokenIssuer issuer;
  private final Duration refreshTtl;
  private final Clock clock;

  public Accounts(
      Jdbi jdbi, PasswordHasher hasher, AccessTokenIssuer issuer, Duration refreshTtl, Clock clock) {
    this.jdbi = jdbi;
    this.users = new UserDao(jdbi);
    this.hasher = hasher;
    this.issuer = issuer;
    this.refreshTtl = refreshTtl;
    this.clock = clock;
  }

  /** Creates a member; the database's unique indexes settle races between equal registrations. */
  public UUID register(String username, String email, String password) {
    RegistrationPolicy.check(username, email, password);
    UUID id = UUID.randomUUID();
    try {
      users.insert(id, username, email, hasher.hash(password), EnumSet.of(Role.MEMBER));
    } catch (RuntimeException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        String constraint = SqlErrors.constraint(e);
        if ("users_email_key".equals(constraint)) {
          throw new AlreadyExistsException("EMAIL_TAKEN", "email is already registered");
        }
        throw new AlreadyExistsException("USERNAME_TAKEN", "username is taken");
      }
      throw e;
    }
    LOG.info("registered user {}", id);
    return id;
  }

  public TokenPair login(String username, String password) {
    // Bounds first: a megabyte of username must not reach the database, nor one of password
    // bcrypt. No account can have a name or password beyond what registration allows.
    FieldViolations violations = new FieldViolations();
    violations.check(username.isEmpty(), "username", "is required");
    violations.check(
        username.length() > RegistrationPolicy.MAX_USERNAME_CHARS,
        "username",
        "must be at most " + RegistrationPolicy.MAX_USERNAME_CHARS + " characters");
    violations.check(password.isEmpty(), "password", "is required");
    violations.check(
        password.length() > RegistrationPolicy.MAX_PASSWORD_CHARS,
        "password",
        "must be at most " + RegistrationPolicy.MAX_PASSWORD_CHARS + " characters");
    violations.throwIfAny();
    Optional<User> user = users.findByUsername(username);
    if (user.isEmpty()) {
      hasher.burnVerification(password);
      throw new UnauthenticatedException("BAD_CREDENTIALS", BAD_CREDENTIALS);
    }
    if (!hasher.matches(password, user.get().passwordHash())) {
      throw new UnauthenticatedException("BAD_CREDENTIALS", BAD_CREDENTIALS);
    }
    return jdbi.inTransaction(h -> issuePair(new RefreshTokenDao(h), user.get()));
  }

  /**
   * Spends the refresh token and issues a new pair in one transaction. A replayed (already spent)
   * token is a sign it was stolen: every live token of its owner is revoked.
   */
  public TokenPair refresh(String refreshToken) {
    if (refreshToken.isEmpty()) {
      throw FieldViolations.of("refresh_token", "is required");
    }
    byte[] hash = RefreshTokens.hash(refreshToken);
    Optional<TokenPair> pair =
        jdbi.inTransaction(
            h -> {
              RefreshTokenDao tokens = new RefreshTokenDao(h);
              Optional<UUID> owner = tokens.spend(hash);
              if (owner.isEmpty()) {
                return Optional.<TokenPair>empty();
              }
              Optional<User> user = users.findById(owner.get());
              if (user.isEmpty()) {
                return Optional.<TokenPair>empty();
              }
              return Optional.of(issuePair(tokens, user.get()));
            });
    if (pair.isPresent()) {
      return pair.get();
    }
    jdbi.useTransaction(
        h -> {
          RefreshTokenDao tokens = new RefreshTokenDao(h);
          tokens
              .ownerOfSpent(hash)
              .ifPresent(
                  owner -> {
                    int revoked = tokens.revokeAll(owner);
                    LOG.warn(
                        "spent refresh token of user {} presented again; revoked {} live tokens",
                        owner,
                        revoked);
                  });
        });
    throw new UnauthenticatedException("BAD_REFRESH_TOKEN", BAD_REFRESH);
  }

  /** Replaces a user's roles; {@code member} is always kept. Admin-only (checked by the caller). */
  public User setRoles(UUID userId, Set<Role> roles) {
    Set<Role> granted = EnumSet.of(Role.MEMBER);
    granted.addAll(roles);
    User user =
        users
            .setRoles(userId, granted)
            .orElseThrow(() -> new NotFoundException("USER_NOT_FOUND", "user not found"));
    LOG.info("roles of user {} set to {}", userId, granted);
    return user;
  }

  /** The accounts of these ids (at most 100), in request order, and the ids that name none. */
  public Lookup<User> batchGet(java.util.List<String> ids) {
    FieldViolations violations = new FieldViolations();
    Set<UUID> wanted = IdLists.check("user_ids", ids, MAX_BATCH, false, violations);
    violations.throwIfAny();
    return Lookup.inRequestOrder(
        wanted, wanted.isEmpty() ? java.util.List.of() : users.findAll(wanted), User::id);
  }

  /** Creates the configured administrator unless its username or e-mail is taken. */
  public void ensureAdmin(String username, String email, String password) {
    RegistrationPolicy.check(username, email, password);
    boolean created =
        users.insertIfAbsent(
            UUID.randomUUID(),
            username,
            email,
            hasher.hash(password),
            EnumSet.of(Role.MEMBER, Role.LIBRARIAN, Role.ADMIN));
    if (created) {
      LOG.info("created administrator account '{}'", username);
    }
  }

  /** Drops refresh tokens that expired more than a day ago. */
  public int purgeExpiredRefreshTokens() {
    Instant cutoff = clock.instant().minus(Duration.ofDays(1));
    return jdbi.withHandle(h -> new RefreshTokenDao(h).deleteExpiredBefore(cutoff));
  }

  private TokenPair issuePair(RefreshTokenDao tokens, User user) {
    Instant accessExpiry = issuer.nextExpiry();
    String access = issuer.issue(user, accessExpiry);
    String refresh = RefreshTokens.newToken();
    Instant refreshExpiry = clock.instant().plus(refreshTtl);
    tokens.insert(RefreshTokens.hash(refresh), user.id(), refreshExpiry);
    return new TokenPair(access, accessExpiry, refresh, refreshExpiry);
  }
}
