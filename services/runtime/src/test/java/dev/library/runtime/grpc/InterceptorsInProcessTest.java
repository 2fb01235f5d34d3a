package dev.library.runtime.grpc;

import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.library.author.v1.Author;
import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.CreateAuthorRequest;
import dev.library.author.v1.CreateAuthorResponse;
import dev.library.author.v1.GetAuthorRequest;
import dev.library.author.v1.GetAuthorResponse;
import dev.library.author.v1.SearchAuthorIdsRequest;
import dev.library.author.v1.SearchAuthorIdsResponse;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.security.AccessTokenVerifier;
import dev.library.runtime.security.AuthInterceptor;
import dev.library.runtime.security.Caller;
import dev.library.runtime.security.InvalidTokenException;
import dev.library.runtime.security.ServerKey;
import dev.library.runtime.testing.StatusAssertions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The interceptors of every module's server (AuthInterceptor enforcing the proto's access option,
 * ExceptionTranslatingInterceptor mapping domain exceptions), in order, on an in-process server
 * (grpc-inprocess, as grpc-java's own examples test interceptors): no ports, no database. The
 * service is a stand-in AuthorService whose answers show who the interceptors said was calling.
 */
class InterceptorsInProcessTest {
  private static final String SERVER_KEY = "in-process-key";
  private static final String ISSUER = "library-auth";
  private static final String KEY_ID = "test-key";

  private static Server server;
  private static ManagedChannel channel;
  private static Algorithm signing;

  /** Answers with the caller the interceptors established; a missing author is a domain error. */
  static final class StandInAuthors extends AuthorServiceGrpc.AuthorServiceImplBase {
    @Override
    public void getAuthor(GetAuthorRequest request, StreamObserver<GetAuthorResponse> response) {
      if (request.getId().equals("missing")) {
        throw new NotFoundException("AUTHOR_NOT_FOUND", "author not found");
      }
      response.onNext(
          GetAuthorResponse.newBuilder()
              .setAuthor(Author.newBuilder().setName(describe(CallerContext.current())))
              .build());
      response.onCompleted();
    }

    @Override
    public void createAuthor(
        CreateAuthorRequest request, StreamObserver<CreateAuthorResponse> response) {
      response.onNext(
          CreateAuthorResponse.newBuilder()
              .setAuthor(Author.newBuilder().setName(describe(CallerContext.current())))
              .build());
      response.onCompleted();
    }

    @Override
    public void searchAuthorIds(
        SearchAuthorIdsRequest request, StreamObserver<SearchAuthorIdsResponse> response) {
      response.onNext(SearchAuthorIdsResponse.getDefaultInstance());
      response.onCompleted();
    }

    private static String describe(Caller caller) {
      return caller.isService() ? "service" : caller.isUser() ? "user " + caller.userId() : "nobody";
    }
  }

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    var keys = generator.generateKeyPair();
    RSAPublicKey publicKey = (RSAPublicKey) keys.getPublic();
    signing = Algorithm.RSA256(publicKey, (RSAPrivateKey) keys.getPrivate());
    AccessTokenVerifier verifier =
        new AccessTokenVerifier(
            kid -> {
              if (!kid.equals(KEY_ID)) {
                throw new InvalidTokenException("unknown key id");
              }
              return publicKey;
            },
            ISSUER);
    ServerServiceDefinition authors = new StandInAuthors().bindService();
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                io.grpc.ServerInterceptors.interceptForward(
                    authors,
                    // The order of ModuleHost's list: who is calling, then error mapping.
                    AuthInterceptor.guarding(verifier, ServerKey.of(SERVER_KEY), List.of(authors)),
                    new ExceptionTranslatingInterceptor()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void anonymousCallersMeetTheAccessOption() {
    AuthorServiceGrpc.AuthorServiceBlockingStub anonymous = AuthorServiceGrpc.newBlockingStub(channel);

    assertThat(reason(() -> anonymous.getAuthor(GetAuthorRequest.newBuilder().setId("x").build())))
        .isEqualTo("MISSING_TOKEN");
    assertThat(StatusAssertions.code(() -> anonymous.createAuthor(CreateAuthorRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    // Internal RPCs are for services only, whatever a user presents.
    assertThat(StatusAssertions.code(() -> anonymous.searchAuthorIds(SearchAuthorIdsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void usersAreAdmittedByTheirRoles() {
    AuthorServiceGrpc.AuthorServiceBlockingStub member = withToken(token("m1", "member"));
    AuthorServiceGrpc.AuthorServiceBlockingStub librarian = withToken(token("l1", "librarian"));

    assertThat(member.getAuthor(GetAuthorRequest.newBuilder().setId("x").build()).getAuthor().getName())
        .isEqualTo("user m1");
    assertThat(reason(() -> member.createAuthor(CreateAuthorRequest.getDefaultInstance())))
        .isEqualTo("ROLE_REQUIRED");
    assertThat(librarian.createAuthor(CreateAuthorRequest.getDefaultInstance()).getAuthor().getName())
        .isEqualTo("user l1");
    assertThat(reason(() -> librarian.searchAuthorIds(SearchAuthorIdsRequest.getDefaultInstance())))
        .isEqualTo("INTERNAL_METHOD");
  }

  @Test
  void aForgedOrExpiredTokenIsUnauthenticated() {
    Algorithm otherKey;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      var keys = generator.generateKeyPair();
      otherKey =
          Algorithm.RSA256((RSAPublicKey) keys.getPublic(), (RSAPrivateKey) keys.getPrivate());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    String forged =
        JWT.create()
            .withKeyId(KEY_ID)
            .withIssuer(ISSUER)
            .withSubject("m1")
            .withClaim("roles", List.of("admin"))
            .withExpiresAt(Instant.now().plusSeconds(600))
            .sign(otherKey);
    String expired =
        JWT.create()
            .withKeyId(KEY_ID)
            .withIssuer(ISSUER)
            .withSubject("m1")
            .withClaim("roles", List.of("member"))
            .withExpiresAt(Instant.now().minusSeconds(600))
            .sign(signing);
    GetAuthorRequest request = GetAuthorRequest.newBuilder().setId("x").build();

    assertThat(StatusAssertions.code(() -> withToken(forged).getAuthor(request)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(reason(() -> withToken(expired).getAuthor(request))).isEqualTo("TOKEN_EXPIRED");
  }

  @Test
  void theServerKeyMakesTheCallerAServiceWhereTheOptionAdmitsServices() {
    AuthorServiceGrpc.AuthorServiceBlockingStub service = withServerKey(SERVER_KEY);

    assertThat(service.getAuthor(GetAuthorRequest.newBuilder().setId("x").build()).getAuthor().getName())
        .isEqualTo("service");
    assertThat(service.searchAuthorIds(SearchAuthorIdsRequest.getDefaultInstance())).isNotNull();
    // A role-guarded RPC needs a user, not a service.
    assertThat(reason(() -> service.createAuthor(CreateAuthorRequest.getDefaultInstance())))
        .isEqualTo("USER_TOKEN_REQUIRED");
    assertThat(reason(() -> withServerKey("wrong").getAuthor(GetAuthorRequest.getDefaultInstance())))
        .isEqualTo("INVALID_SERVER_KEY");
  }

  @Test
  void aDomainExceptionThrownByTheServiceBecomesItsStatusWithErrorInfo() {
    var error =
        failure(
            () ->
                withServerKey(SERVER_KEY)
                    .getAuthor(GetAuthorRequest.newBuilder().setId("missing").build()));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(StatusAssertions.errorInfo(error))
        .hasValueSatisfying(
            info -> {
              assertThat(info.getReason()).isEqualTo("AUTHOR_NOT_FOUND");
              assertThat(info.getDomain()).isEqualTo(StatusMapping.DOMAIN);
            });
  }

  private static String token(String subject, String role) {
    return JWT.create()
        .withKeyId(KEY_ID)
        .withIssuer(ISSUER)
        .withSubject(subject)
        .withClaim("roles", List.of(role))
        .withExpiresAt(Instant.now().plusSeconds(600))
        .sign(signing);
  }

  private static AuthorServiceGrpc.AuthorServiceBlockingStub withToken(String token) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return AuthorServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static AuthorServiceGrpc.AuthorServiceBlockingStub withServerKey(String key) {
    Metadata headers = new Metadata();
    headers.put(ServerKey.HEADER, key);
    return AuthorServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }
}
