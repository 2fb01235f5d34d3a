package dev.library.auth.db;

import dev.library.runtime.security.Role;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Accounts in the auth database, on the caller's handle. */
public final class UserDao {
  private final Handle handle;

  public UserDao(Handle handle) {
    this.handle = handle;
  }

  /** Inserts; a taken username or e-mail surfaces as a unique violation from the database. */
  public void insert(UUID id, String username, String email, String passwordHash, Set<Role> roles) {
    handle
        .createUpdate(
            "INSERT INTO users (id, username, email, password_hash, roles) "
                + "VALUES (:id, :username, :email, :hash, :roles)")
        .bind("id", id)
        .bind("username", username)
        .bind("email", email)
        .bind("hash", passwordHash)
        .bind("roles", claims(roles))
        .execute();
  }

  /** Whether an account has this username or this e-mail (both compared regardless of case). */
  public boolean existsWithNameOrEmail(String username, String email) {
    return handle
        .createQuery(
            "SELECT EXISTS (SELECT 1 FROM users "
                + "WHERE lower(username) = lower(:username) OR lower(email) = lower(:email))")
        .bind("username", username)
        .bind("email", email)
        .mapTo(Boolean.class)
        .one();
  }

  /** Inserts unless the username or e-mail exists; true when a row was added. */
  public boolean insertIfAbsent(
      UUID id, String username, String email, String passwordHash, Set<Role> roles) {
    return handle
            .createUpdate(
                "INSERT INTO users (id, username, email, password_hash, roles) "
                    + "VALUES (:id, :username, :email, :hash, :roles) ON CONFLICT DO NOTHING")
            .bind("id", id)
            .bind("username", username)
            .bind("email", email)
            .bind("hash", passwordHash)
            .bind("roles", claims(roles))
            .execute()
        > 0;
  }

  /**
   * The account of a canonical (ASCII lower-cased, see Usernames) name. Stored names are ASCII,
   * so lower() here folds ASCII only and matches the unique index.
   */
  public Optional<User> findByCanonicalName(String canonical) {
    return handle
        .createQuery("SELECT * FROM users WHERE lower(username) = :username")
        .bind("username", canonical)
        .map(UserDao::map)
        .findOne();
  }

  /** The users of these ids that exist, in any order. */
  public List<User> findAll(Collection<UUID> ids) {
    return handle
        .createQuery("SELECT * FROM users WHERE id = ANY(:ids)")
        .bind("ids", ids.toArray(UUID[]::new))
        .map(UserDao::map)
        .list();
  }

  public Optional<User> findById(UUID id) {
    return handle
        .createQuery("SELECT * FROM users WHERE id = :id")
        .bind("id", id)
        .map(UserDao::map)
        .findOne();
  }

  /** Replaces the roles; empty when no user has the id. */
  public Optional<User> setRoles(UUID id, Set<Role> roles) {
    return handle
        .createQuery(
            "UPDATE users SET roles = :roles, updated_at = now() WHERE id = :id RETURNING *")
        .bind("id", id)
        .bind("roles", claims(roles))
        .map(UserDao::map)
        .findOne();
  }

  /** The user, its row locked until the caller's transaction ends. */
  public Optional<User> lockById(UUID id) {
    return handle
        .createQuery("SELECT * FROM users WHERE id = :id FOR UPDATE")
        .bind("id", id)
        .map(UserDao::map)
        .findOne();
  }

  /**
   * Raises the user's token generation: every access token issued before is revoked. Returns the
   * user as it is now, or empty when no user has the id.
   */
  public Optional<User> revokeTokens(UUID id) {
    return handle
        .createQuery(
            "UPDATE users SET token_generation = token_generation + 1, tokens_revoked_at = now() "
                + "WHERE id = :id RETURNING *")
        .bind("id", id)
        .map(UserDao::map)
        .findOne();
  }

  /** Replaces the password hash. */
  public void setPasswordHash(UUID id, String hash) {
    handle
        .createUpdate("UPDATE users SET password_hash = :hash, updated_at = now() WHERE id = :id")
        .bind("id", id)
        .bind("hash", hash)
        .execute();
  }

  /** A user whose tokens were revoked, and the generation now required. */
  public record Revoked(UUID userId, long generation, Instant revokedAt) {}

  /** Users whose tokens were revoked after {@code since}, oldest first. */
  public List<Revoked> revokedSince(Instant since) {
    return handle
        .createQuery(
            "SELECT id, token_generation, tokens_revoked_at FROM users "
                + "WHERE tokens_revoked_at > :since ORDER BY tokens_revoked_at")
        .bind("since", since)
        .map(
            (rs, ctx) ->
                new Revoked(
                    rs.getObject("id", UUID.class),
                    rs.getLong("token_generation"),
                    rs.getTimestamp("tokens_revoked_at").toInstant()))
        .list();
  }

  /** The database's clock, which stamps revocations: pollers count from it, not from ours. */
  public Instant now() {
    return handle.createQuery("SELECT now()").mapTo(Instant.class).one();
  }

  private static String[] claims(Set<Role> roles) {
    return roles.stream().sorted().map(Role::claim).toArray(String[]::new);
  }

  private static User map(ResultSet rs, StatementContext ctx) throws SQLException {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    Array array = rs.getArray("roles");
    for (Object claim : (Object[]) array.getArray()) {
      Role.fromClaim((String) claim).ifPresent(roles::add);
    }
    return new User(
        rs.getObject("id", UUID.class),
        rs.getString("username"),
        rs.getString("email"),
        rs.getString("password_hash"),
        roles,
        rs.getLong("token_generation"));
  }
}
