package dev.library.auth.api;

import static dev.library.runtime.grpc.Replies.reply;
import static dev.library.runtime.grpc.Replies.timestamp;

import dev.library.auth.core.Accounts;
import dev.library.auth.core.AuditTrail;
import dev.library.auth.core.Revocations;
import dev.library.auth.v1.ChangePasswordRequest;
import dev.library.auth.v1.ChangePasswordResponse;
import dev.library.auth.v1.ListAuditEventsRequest;
import dev.library.auth.v1.ListAuditEventsResponse;
import dev.library.auth.v1.ListRevocationsRequest;
import dev.library.auth.v1.ListRevocationsResponse;
import dev.library.auth.v1.LogoutRequest;
import dev.library.auth.v1.LogoutResponse;
import dev.library.auth.v1.Revocation;
import dev.library.runtime.grpc.CallerContext;
import dev.library.runtime.grpc.ClientAddress;
import java.util.UUID;
import dev.library.auth.core.TokenPair;
import dev.library.auth.db.User;
import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.BatchGetUsersRequest;
import dev.library.auth.v1.BatchGetUsersResponse;
import dev.library.auth.v1.UserSummary;
import dev.library.runtime.api.Lookup;
import dev.library.auth.v1.LoginRequest;
import dev.library.auth.v1.LoginResponse;
import dev.library.auth.v1.RefreshTokenRequest;
import dev.library.auth.v1.RefreshTokenResponse;
import dev.library.auth.v1.RegisterRequest;
import dev.library.auth.v1.RegisterResponse;
import dev.library.auth.v1.SetUserRolesRequest;
import dev.library.auth.v1.SetUserRolesResponse;
import dev.library.auth.v1.VerifyTokenRequest;
import dev.library.auth.v1.VerifyTokenResponse;
import dev.library.runtime.errors.Ids;
import dev.library.runtime.security.AccessTokenVerifier;
import dev.library.runtime.security.InvalidTokenException;
import dev.library.runtime.security.VerifiedToken;
import io.grpc.stub.StreamObserver;

/** The AuthService RPCs, one method each, in the order of auth.proto. */
public final class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {
  private static final String BEARER = "Bearer";

  private final Accounts accounts;
  private final AuditTrail audit;
  private final Revocations revocations;
  private final AccessTokenVerifier verifier;

  public AuthGrpcService(
      Accounts accounts, AuditTrail audit, Revocations revocations, AccessTokenVerifier verifier) {
    this.accounts = accounts;
    this.audit = audit;
    this.revocations = revocations;
    this.verifier = verifier;
  }

  @Override
  public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
    String userId =
        accounts
            .register(
                request.getUsername(),
                request.getEmail(),
                request.getPassword(),
                ClientAddress.current())
            .toString();
    reply(response, RegisterResponse.newBuilder().setUserId(userId).build());
  }

  @Override
  public void login(LoginRequest request, StreamObserver<LoginResponse> response) {
    TokenPair pair = accounts.login(request.getUsername(), request.getPassword(), ClientAddress.current());
    reply(
        response,
        LoginResponse.newBuilder()
            .setAccessToken(pair.accessToken())
            .setRefreshToken(pair.refreshToken())
            .setAccessTokenExpiresAt(timestamp(pair.accessExpiresAt()))
            .setRefreshTokenExpiresAt(timestamp(pair.refreshExpiresAt()))
            .setTokenType(BEARER)
            .build());
  }

  @Override
  public void refreshToken(
      RefreshTokenRequest request, StreamObserver<RefreshTokenResponse> response) {
    TokenPair pair = accounts.refresh(request.getRefreshToken(), ClientAddress.current());
    reply(
        response,
        RefreshTokenResponse.newBuilder()
            .setAccessToken(pair.accessToken())
            .setRefreshToken(pair.refreshToken())
            .setAccessTokenExpiresAt(timestamp(pair.accessExpiresAt()))
            .setRefreshTokenExpiresAt(timestamp(pair.refreshExpiresAt()))
            .setTokenType(BEARER)
            .build());
  }

  /** Never fails for a bad token: that is what {@code valid: false} is for. */
  @Override
  public void verifyToken(VerifyTokenRequest request, StreamObserver<VerifyTokenResponse> response) {
    VerifyTokenResponse.Builder out = VerifyTokenResponse.newBuilder().setValid(false);
    try {
      VerifiedToken token = verifier.verify(request.getToken());
      // Revocation is checked against the database here: this is the service that knows.
      if (!accounts.isCurrent(UUID.fromString(token.userId()), token.generation())) {
        reply(response, out.build());
        return;
      }
      out.setValid(true).setUserId(token.userId()).setExpiresAt(timestamp(token.expiresAt()));
      token.roles().stream().sorted().map(RoleMapping::toProto).forEach(out::addRoles);
    } catch (InvalidTokenException e) {
      // valid stays false
    }
    reply(response, out.build());
  }

  @Override
  public void batchGetUsers(
      BatchGetUsersRequest request, StreamObserver<BatchGetUsersResponse> response) {
    Lookup<User> batch = accounts.batchGet(request.getUserIdsList());
    BatchGetUsersResponse.Builder out = BatchGetUsersResponse.newBuilder();
    batch
        .found()
        .forEach(
            u ->
                out.addUsers(
                    UserSummary.newBuilder()
                        .setUserId(u.id().toString())
                        .setUsername(u.username())));
    batch.missing().forEach(id -> out.addMissingIds(id.toString()));
    reply(response, out.build());
  }

  @Override
  public void setUserRoles(
      SetUserRolesRequest request, StreamObserver<SetUserRolesResponse> response) {
    User user =
        accounts.setRoles(
            CallerContext.current().requireUser(),
            Ids.parse("user_id", request.getUserId()),
            RoleMapping.fromProto("roles", request.getRolesList()),
            ClientAddress.current());
    SetUserRolesResponse.Builder out =
        SetUserRolesResponse.newBuilder().setUserId(user.id().toString());
    user.roles().stream().sorted().map(RoleMapping::toProto).forEach(out::addRoles);
    reply(response, out.build());
  }

  @Override
  public void changePassword(
      ChangePasswordRequest request, StreamObserver<ChangePasswordResponse> response) {
    int revoked =
        accounts.changePassword(
            CallerContext.current().requireUser(),
            request.getCurrentPassword(),
            request.getNewPassword(),
            ClientAddress.current());
    reply(response, ChangePasswordResponse.newBuilder().setRevokedSessions(revoked).build());
  }

  @Override
  public void logout(LogoutRequest request, StreamObserver<LogoutResponse> response) {
    int revoked =
        accounts.logout(request.getRefreshToken(), request.getEverywhere(), ClientAddress.current());
    reply(response, LogoutResponse.newBuilder().setRevokedSessions(revoked).build());
  }

  @Override
  public void listAuditEvents(
      ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> response) {
    AuditTrail.Page page =
        audit.list(
            request.getUserId().isEmpty() ? null : Ids.parse("user_id", request.getUserId()),
            AuditMapping.fromProto(request.getType()),
            request.hasStartTime() ? AuditMapping.instant(request.getStartTime()) : null,
            request.hasEndTime() ? AuditMapping.instant(request.getEndTime()) : null,
            request.getPageSize(),
            request.getPageToken());
    ListAuditEventsResponse.Builder out =
        ListAuditEventsResponse.newBuilder().setNextPageToken(page.nextPageToken());
    page.events().forEach(e -> out.addEvents(AuditMapping.toProto(e)));
    reply(response, out.build());
  }

  @Override
  public void listRevocations(
      ListRevocationsRequest request, StreamObserver<ListRevocationsResponse> response) {
    Revocations.Since answer =
        revocations.since(request.hasSince() ? AuditMapping.instant(request.getSince()) : null);
    ListRevocationsResponse.Builder out =
        ListRevocationsResponse.newBuilder().setAsOf(timestamp(answer.asOf()));
    answer
        .revoked()
        .forEach(
            r ->
                out.addRevocations(
                    Revocation.newBuilder()
                        .setUserId(r.userId().toString())
                        .setGeneration(r.generation())
                        .setRevokedAt(timestamp(r.revokedAt()))));
    reply(response, out.build());
  }
}
