package dev.library.runtime.testing;

import dev.library.runtime.module.ModuleContext;
import dev.library.runtime.module.ServiceModule;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test-only module that exercises the runtime itself: a slow call (for graceful shutdown), a
 * call that breaks in the database (for error translation), and a public echo.
 */
public final class ProbeModule implements ServiceModule {
  public static final String SERVICE = "test.Probe";
  public static volatile CountDownLatch slowStarted = new CountDownLatch(1);
  public static volatile CountDownLatch slowRelease = new CountDownLatch(1);

  public static final MethodDescriptor<String, String> SLOW = method("Slow");
  public static final MethodDescriptor<String, String> BROKEN_SQL = method("BrokenSql");
  public static final MethodDescriptor<String, String> ECHO = method("Echo");

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public int defaultGrpcPort() {
    return 0;
  }

  @Override
  public Set<String> publicMethods() {
    return Set.of(SLOW.getFullMethodName(), BROKEN_SQL.getFullMethodName(), ECHO.getFullMethodName());
  }

  @Override
  public List<BindableService> start(ModuleContext context) {
    ServerServiceDefinition definition =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(
                SLOW,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      slowStarted.countDown();
                      try {
                        slowRelease.await(30, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      response.onNext("finished " + request);
                      response.onCompleted();
                    }))
            .addMethod(
                BROKEN_SQL,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      context.jdbi().useHandle(h -> h.execute("SELECT * FROM no_such_table"));
                      response.onNext("unreachable");
                      response.onCompleted();
                    }))
            .addMethod(
                ECHO,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      response.onNext(
                          context.jdbi().withHandle(
                              h -> h.createQuery("SELECT value FROM probe").mapTo(String.class).one())
                              + " " + request);
                      response.onCompleted();
                    }))
            .build();
    return List.of(() -> definition);
  }

  private static MethodDescriptor<String, String> method(String name) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(Utf8.INSTANCE)
        .setResponseMarshaller(Utf8.INSTANCE)
        .build();
  }

  private enum Utf8 implements MethodDescriptor.Marshaller<String> {
    INSTANCE;

    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
