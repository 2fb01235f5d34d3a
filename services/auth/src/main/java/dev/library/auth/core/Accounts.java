package dev.library.auth.core;

import dev.library.auth.db.RefreshTokenDao;
import dev.library.auth.db.User;
import dev.library.auth.db.UserDao;
import dev.library.runtime.api.Lookup;
import dev.library.runtime.db.SqlErrors;
import dev.library.runtime.errors.AlreadyExistsException;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.IdLists;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.errors.ThrottledException;
import dev.library.runtime.errors.UnauthenticatedException;
import dev.library.runtime.security.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration, login, token refresh, logout, password and role changes: the auth service's
 * rules. Every security event goes to the {@link AuditTrail}; every change that must end
 * sessions raises the user's token generation, which the other services learn through
 * ListRevocations.
 *
 * <p>Each operation takes one connection: its reads on one handle, its changes and the audit
 * events that record them in one transaction (DAOs on that handle). No connection is held while
 * bcrypt runs, and none is opened while another is held.
 */
public final class Accounts {
  private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);
  /** One message for unknown user and wrong password: accounts cannot be probed. */
  static final String BAD_CREDENTIALS = "invalid username or password";
  static final int MAX_BATCH = 100;
  static final String BAD_REFRESH = "refresh token is invalid, expired or already used";
  /**
   * Bounds checked before anything else, so a megabyte of input reaches neither the database
   * nor bcrypt. UTF-16 units: a policy-conforming password of 128 code points is at most 256.
   */
  static final int MAX_PRESENTED_PASSWORD_UNITS = 2 * PasswordPolicy.MAX_CHARS;

  private final Jdbi jdbi;
  private final PasswordHasher hasher;
  private final PasswordPolicy passwords;
  private final RegistrationPolicy registration;
  private final LoginThrottle throttle;
  private final AuditTrail audit;
  private final AccessTokenIssuer issuer;
  private final Duration refreshTtl;
  private final Clock clock;

  public Accounts(
      Jdbi jdbi,
      PasswordHasher hasher,
      PasswordPolicy passwords,
      LoginThrottle throttle,
      AuditTrail audit,
      AccessTokenIssuer issuer,
      Duration refreshTtl,
      Clock clock) {
    this.jdbi = jdbi;
    this.hasher = hasher;
    this.passwords = passwords;
    this.registration = new RegistrationPolicy(passwords);
    this.throttle = throttle;
    this.audit = audit;
    this.issuer = issuer;
    this.refreshTtl = refreshTtl;
    this.clock = clock;
  }

  /** Creates a member; the database's unique indexes settle races between equal registrations. */
  public UUID register(String username, String email, String password, String address) {
    registration.check(username, email, password);
    UUID id = UUID.randomUUID();
    String hash = hasher.hash(password);
    try {
      jdbi.useTransaction(
          h -> {
            new UserDao(h).insert(id, username, email, hash, EnumSet.of(Role.MEMBER));
            audit.record(h, AuditEventType.USER_REGISTERED, id, username, address);
          });
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
    return id;
  }

  public TokenPair login(String username, String password, String address) {
    FieldViolations violations = new FieldViolations();
    violations.check(username.isEmpty(), "username", "is required");
    violations.check(
        username.length() > RegistrationPolicy.MAX_USERNAME_CHARS,
        "username",
        "must be at most " + RegistrationPolicy.MAX_USERNAME_CHARS + " characters");
    violations.check(password.isEmpty(), "password", "is required");
    violations.check(
        password.length() > MAX_PRESENTED_PASSWORD_UNITS,
        "password",
        "must be at most " + PasswordPolicy.MAX_CHARS + " characters");
    violations.throwIfAny();
    Optional<String> canonical = Usernames.canonical(username);
    // A name that cannot be canonical is throttled under its own lower-cased form: it names no
    // account, so this only slows whoever sends it.
    String account = canonical.orElse(username.toLowerCase(Locale.ROOT));
    // The lookup costs no bcrypt, and lets a throttled attempt be audited against its account.
    Optional<User> user =
        jdbi.withHandle(
            h -> {
              Optional<User> found = canonical.flatMap(new UserDao(h)::findByCanonicalName);
              checkThrottle(h, account, address, username, found.map(User::id));
              return found;
            });
    if (user.isEmpty()) {
      hasher.burnVerification(password);
      fail(account, address, username, null, "login");
    }
    if (!hasher.matches(password, user.get().passwordHash())) {
      fail(account, address, username, user.get().id(), "login");
    }
    return jdbi.inTransaction(
        h -> {
          throttle.recordSuccess(h, account);
          audit.record(
              h, AuditEventType.LOGIN_SUCCEEDED, user.get().id(), user.get().username(), address);
          return issuePair(new RefreshTokenDao(h), user.get());
        });
  }

  /**
   * Spends the refresh token and issues a new pair in one transaction. A replayed (already spent)
   * token is a sign it was stolen: every session of its owner ends, access tokens included.
   */
  public TokenPair refresh(String refreshToken, String address) {
    if (refreshToken.isEmpty()) {
      throw FieldViolations.of("refresh_token", "is required");
    }
    byte[] hash = RefreshTokens.hash(refreshToken);
    // Returns rather than throws on a bad token, so the replay's revocations commit.
    Optional<TokenPair> pair =
        jdbi.inTransaction(
            h -> {
              RefreshTokenDao tokens = new RefreshTokenDao(h);
              Optional<User> user = tokens.spend(hash).flatMap(new UserDao(h)::findById);
              if (user.isPresent()) {
                return Optional.of(issuePair(tokens, user.get()));
              }
              tokens.ownerOfSpent(hash).ifPresent(owner -> endEverySession(h, owner, address));
              return Optional.<TokenPair>empty();
            });
    if (pair.isPresent()) {
      return pair.get();
    }
    throw new UnauthenticatedException("BAD_REFRESH_TOKEN", BAD_REFRESH);
  }

  /** A spent refresh token came back: it was probably stolen, so every session of its owner ends. */
  private void endEverySession(Handle h, UUID owner, String address) {
    int revoked = new RefreshTokenDao(h).revokeAll(owner);
    new UserDao(h).revokeTokens(owner);
    LOG.warn(
        "spent refresh token of user {} presented again; revoked {} live tokens "
            + "and every access token",
        owner,
        revoked);
    audit.record(h, AuditEventType.REFRESH_TOKEN_REUSED, owner, "", address);
  }

  /**
   * Replaces a user's roles; {@code member} is always kept. Admin-only (checked by the caller).
   * The user's earlier access tokens are revoked, so a demotion takes effect within seconds.
   */
  public User setRoles(UUID actor, UUID userId, Set<Role> roles, String address) {
    Set<Role> granted = EnumSet.of(Role.MEMBER);
    granted.addAll(roles);
    return jdbi.inTransaction(
            h -> {
              UserDao users = new UserDao(h);
              Optional<User> before = users.lockById(userId);
              if (before.isEmpty()) {
                return Optional.<User>empty();
              }
              users.setRoles(userId, granted);
              Optional<User> after = users.revokeTokens(userId);
              after.ifPresent(
                  user ->
                      audit.record(
                          h,
                          AuditEventType.ROLES_CHANGED,
                          userId,
                          actor,
                          user.username(),
                          address,
                          Map.of(
                              "before", claims(before.get().roles()),
                              "after", claims(user.roles()))));
              return after;
            })
        .orElseThrow(() -> new NotFoundException("USER_NOT_FOUND", "user not found"));
  }

  /**
   * Replaces the user's password after checking the current one (throttled like a login), and
   * ends every session: refresh tokens revoked, access tokens refused everywhere within seconds.
   * Returns the number of refresh tokens revoked.
   */
  public int changePassword(UUID userId, String current, String replacement, String address) {
    FieldViolations violations = new FieldViolations();
    violations.check(current.isEmpty(), "current_password", "is required");
    violations.check(
        current.length() > MAX_PRESENTED_PASSWORD_UNITS,
        "current_password",
        "must be at most " + PasswordPolicy.MAX_CHARS + " characters");
    passwords.check("new_password", replacement, violations);
    violations.throwIfAny();
    User user =
        jdbi.withHandle(
            h -> {
              User found =
                  new UserDao(h)
                      .findById(userId)
                      .orElseThrow(
                          () -> new UnauthenticatedException("BAD_CREDENTIALS", BAD_CREDENTIALS));
              checkThrottle(h, account(found), address, found.username(), Optional.of(userId));
              return found;
            });
    String account = account(user);
    if (!hasher.matches(current, user.passwordHash())) {
      fail(account, address, user.username(), userId, "change_password");
    }
    String hash = hasher.hash(replacement);
    return jdbi.inTransaction(
        h -> {
          throttle.recordSuccess(h, account);
          UserDao users = new UserDao(h);
          users.setPasswordHash(userId, hash);
          users.revokeTokens(userId);
          int revoked = new RefreshTokenDao(h).revokeAll(userId);
          audit.record(h, AuditEventType.PASSWORD_CHANGED, userId, user.username(), address);
          return revoked;
        });
  }

  /**
   * Ends the refresh token's session, or with {@code everywhere} every session of its owner
   * (access tokens included). An unknown or spent token changes nothing and is no error.
   */
  public int logout(String refreshToken, boolean everywhere, String address) {
    if (refreshToken.isEmpty()) {
      throw FieldViolations.of("refresh_token", "is required");
    }
    byte[] hash = RefreshTokens.hash(refreshToken);
    return jdbi.inTransaction(
        h -> {
          RefreshTokenDao tokens = new RefreshTokenDao(h);
          Optional<UUID> owner = tokens.spend(hash);
          if (owner.isEmpty()) {
            return 0;
          }
          int revoked = 1;
          if (everywhere) {
            new UserDao(h).revokeTokens(owner.get());
            revoked += tokens.revokeAll(owner.get());
          }
          audit.record(
              h,
              AuditEventType.LOGGED_OUT,
              owner.get(),
              null,
              "",
              address,
              Map.of("everywhere", Boolean.toString(everywhere)));
          return revoked;
        });
  }

  /** Whether an access token of this generation is still the user's current one. */
  public boolean isCurrent(UUID userId, long generation) {
    return jdbi.withHandle(h -> new UserDao(h).findById(userId))
        .map(u -> generation >= u.tokenGeneration()).orElse(false);
  }

  /** The accounts of these ids (at most 100), in request order, and the ids that name none. */
  public Lookup<User> batchGet(java.util.List<String> ids) {
    FieldViolations violations = new FieldViolations();
    Set<UUID> wanted = IdLists.check("user_ids", ids, MAX_BATCH, false, violations);
    violations.throwIfAny();
    return Lookup.inRequestOrder(
        wanted,
        wanted.isEmpty()
            ? java.util.List.of()
            : jdbi.withHandle(h -> new UserDao(h).findAll(wanted)),
        User::id);
  }

  /** Creates the configured administrator unless its username or e-mail is taken. */
  public void ensureAdmin(String username, String email, String password) {
    registration.check(username, email, password);
    // Every start after the first finds the account: skip the bcrypt hash (a third of a second at
    // cost 12) that only a new account needs.
    if (jdbi.withHandle(h -> new UserDao(h).existsWithNameOrEmail(username, email))) {
      return;
    }
    String hash = hasher.hash(password);
    boolean created =
        jdbi.withHandle(
            h ->
                new UserDao(h)
                    .insertIfAbsent(
                        UUID.randomUUID(),
                        username,
                        email,
                        hash,
                        EnumSet.of(Role.MEMBER, Role.LIBRARIAN, Role.ADMIN)));
    if (created) {
      LOG.info("created administrator account '{}'", username);
    }
  }

  /** Drops refresh tokens that expired more than a day ago, and idle throttle rows. */
  public int purgeExpiredRefreshTokens() {
    Instant cutoff = clock.instant().minus(Duration.ofDays(1));
    return jdbi.withHandle(
        h -> {
          throttle.purge(h);
          return new RefreshTokenDao(h).deleteExpiredBefore(cutoff);
        });
  }

  /** On the attempt's handle: a refusal is audited on it too (autocommit, so it stays). */
  private void checkThrottle(
      Handle h, String account, String address, String username, Optional<UUID> userId) {
    try {
      throttle.checkAllowed(h, account, address);
    } catch (ThrottledException e) {
      audit.record(h, AuditEventType.LOGIN_THROTTLED, userId.orElse(null), username, address);
      throw e;
    }
  }

  /** Counts the failure, records it, and refuses: the same answer whether the user exists. */
  private void fail(String account, String address, String username, UUID userId, String during) {
    jdbi.useTransaction(
        h -> {
          throttle.recordFailure(h, account, address);
          audit.record(
              h,
              AuditEventType.LOGIN_FAILED,
              userId,
              null,
              username,
              address,
              Map.of("during", during));
        });
    throw new UnauthenticatedException("BAD_CREDENTIALS", BAD_CREDENTIALS);
  }

  /** The throttle key of an account: its name lower-cased, as login canonicalizes it. */
  private static String account(User user) {
    return user.username().toLowerCase(Locale.ROOT);
  }

  private static String claims(Set<Role> roles) {
    return roles.stream().sorted().map(Role::claim).collect(Collectors.joining(","));
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
