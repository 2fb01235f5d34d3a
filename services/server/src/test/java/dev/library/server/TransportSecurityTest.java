package dev.library.server;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.CreateAuthorRequest;
import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.CreateBookRequest;
import dev.library.runtime.config.TlsConfig;
import dev.library.runtime.grpc.TransportSecurity;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.runtime.testing.TestAccounts.User;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tls} block: every gRPC server of the process speaks TLS with the configured
 * certificate, and the channel from Book to Author (a service pair) does too, verifying the
 * Author server's certificate against the configured CA. Plaintext callers and callers that do
 * not trust the CA are refused.
 */
class TransportSecurityTest {
  @TempDir static Path certificates;
  private static TestCertificates tls;
  private static LibrarySystem system;
  private static final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void start() {
    tls = TestCertificates.create(certificates, "library-test");
    system =
        LibrarySystem.start(
            "auth,author,book",
            Map.of(
                "tls.certFile", tls.certFile().toString(),
                "tls.keyFile", tls.keyFile().toString(),
                "tls.trustFile", tls.caFile().toString()));
  }

  @AfterAll
  static void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (system != null) {
      system.close();
    }
  }

  @Test
  void bookReachesAuthorOverTls() {
    TestAccounts accounts = new TestAccounts(trusting(tls.caFile(), "auth"));
    // The first JWKS fetch of a cold process may outlast the verifier's 2 s fetch timeout on a
    // loaded machine (UNAVAILABLE, retryable by contract); that is not what this test is about.
    User librarian =
        await().atMost(Duration.ofSeconds(60))
            .ignoreExceptionsMatching(
                e ->
                    e instanceof StatusRuntimeException s
                        && s.getStatus().getCode() == Status.Code.UNAVAILABLE)
            .alias("a librarian signed in over TLS")
            .until(accounts::librarian, user -> true);
    String authorId =
        AuthorServiceGrpc.newBlockingStub(trusting(tls.caFile(), "author"))
            .withCallCredentials(librarian.credentials())
            .createAuthor(CreateAuthorRequest.newBuilder().setName("Ursula K. Le Guin").build())
            .getAuthor()
            .getId();

    // CreateBook checks the author and embeds it: a call from Book to Author on the TLS channel.
    Book book =
        BookServiceGrpc.newBlockingStub(trusting(tls.caFile(), "book"))
            .withCallCredentials(librarian.credentials())
            .createBook(
                CreateBookRequest.newBuilder()
                    .setTitle("The Dispossessed")
                    .setAuthorId(authorId)
                    .setIsbn(isbn())
                    .setTotalCopies(1)
                    .build())
            .getBook();

    assertThat(book.getAuthor().getName()).isEqualTo("Ursula K. Le Guin");
  }

  @Test
  void plaintextCallersAreRefused() {
    ManagedChannel plaintext =
        NettyChannelBuilder.forAddress("localhost", system.grpcPort("book")).usePlaintext().build();
    channels.add(plaintext);

    assertThatThrownBy(() -> health(plaintext))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void callersThatDoNotTrustTheCaAreRefused(@TempDir Path elsewhere) {
    TestCertificates stranger = TestCertificates.create(elsewhere, "stranger");

    assertThatThrownBy(() -> health(trusting(stranger.caFile(), "book")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(health(trusting(tls.caFile(), "book")))
        .isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
  }

  /**
   * The development set `make certs` writes (deploy/certs.sh, openssl) is what a gRPC server of
   * this process accepts as tls.certFile/keyFile and a caller as tls.trustFile, for the names the
   * services are reached by.
   */
  @Test
  void makeCertsWritesFilesTheServersAndChannelsAccept(@TempDir Path directory) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("sh", "-c", "command -v openssl").start().waitFor() == 0,
        "openssl is not installed");
    Path certs = directory.resolve("certs");
    Process script =
        new ProcessBuilder("sh", Path.of("../../deploy/certs.sh").toAbsolutePath().normalize().toString(), certs.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(script.getInputStream().readAllBytes());
    assertThat(script.waitFor()).as(output).isZero();

    TlsConfig config = new TlsConfig();
    config.setCertFile(certs.resolve("server.pem").toString());
    config.setKeyFile(certs.resolve("server.key").toString());
    config.setTrustFile(certs.resolve("ca.pem").toString());
    TransportSecurity security = new TransportSecurity(config);
    io.grpc.protobuf.services.HealthStatusManager status = new io.grpc.protobuf.services.HealthStatusManager();
    io.grpc.Server server =
        io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                new java.net.InetSocketAddress(0), security.serverCredentials())
            .addService(status.getHealthService())
            .build()
            .start();
    try {
      for (String host : List.of("localhost", "127.0.0.1")) {
        ManagedChannel channel =
            NettyChannelBuilder.forTarget(host + ":" + server.getPort(), security.channelCredentials()).build();
        channels.add(channel);
        assertThat(health(channel)).as(host).isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
      }
    } finally {
      server.shutdownNow();
    }
  }

  private static io.grpc.health.v1.HealthCheckResponse.ServingStatus health(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }

  private static ManagedChannel trusting(Path ca, String service) {
    try {
      ChannelCredentials credentials = TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
      ManagedChannel channel =
          NettyChannelBuilder.forTarget("localhost:" + system.grpcPort(service), credentials).build();
      channels.add(channel);
      return channel;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A valid, fresh ISBN-13. */
  private static String isbn() {
    StringBuilder digits = new StringBuilder("978");
    for (int i = 0; i < 9; i++) {
      digits.append(ThreadLocalRandom.current().nextInt(10));
    }
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return digits.append((10 - sum % 10) % 10).toString();
  }
}
