package dev.library.runtime.testing;

import dev.library.runtime.module.ModuleContext;
import dev.library.runtime.module.ServiceModule;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors;
import com.google.protobuf.WrappersProto;
import dev.library.api.Access;
import dev.library.api.AccessProto;
import io.grpc.BindableService;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test-only module that exercises the runtime itself: a slow call (for graceful shutdown), a
 * call that breaks in the database (for error translation), a public echo, and a server setting
 * read through the module's own pool.
 */
public final class ProbeModule implements ServiceModule {
  public static final String SERVICE = "test.Probe";
  public static volatile CountDownLatch slowStarted = new CountDownLatch(1);
  public static volatile CountDownLatch slowRelease = new CountDownLatch(1);

  /**
   * The probe's methods as a proto service would declare them, all public: the runtime reads who
   * may call a method from its proto descriptor, and refuses to serve one without.
   */
  private static final Descriptors.ServiceDescriptor SCHEMA = schema();

  public static final MethodDescriptor<String, String> SLOW = method("Slow");
  public static final MethodDescriptor<String, String> BROKEN_SQL = method("BrokenSql");
  public static final MethodDescriptor<String, String> ECHO = method("Echo");
  /** A server setting as the module's own pooled connections see it ({@code SHOW <name>}). */
  public static final MethodDescriptor<String, String> SHOW = method("Show");

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public int defaultGrpcPort() {
    return 0;
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
                SHOW,
                ServerCalls.asyncUnaryCall(
                    (setting, response) -> {
                      if (!setting.matches("[a-z_]+")) {
                        throw new IllegalArgumentException("not a setting name: " + setting);
                      }
                      response.onNext(
                          context.jdbi().withHandle(
                              h -> h.createQuery("SHOW " + setting).mapTo(String.class).one()));
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
        .setSchemaDescriptor(new Schema(SCHEMA.findMethodByName(name)))
        .build();
  }

  private static Descriptors.ServiceDescriptor schema() {
    DescriptorProtos.MethodOptions open =
        DescriptorProtos.MethodOptions.newBuilder()
            .setExtension(AccessProto.access, Access.newBuilder().setPublic(true).build())
            .build();
    DescriptorProtos.ServiceDescriptorProto.Builder service =
        DescriptorProtos.ServiceDescriptorProto.newBuilder().setName("Probe");
    for (String name : List.of("Slow", "BrokenSql", "Echo", "Show")) {
      service.addMethod(
          DescriptorProtos.MethodDescriptorProto.newBuilder()
              .setName(name)
              .setInputType(".google.protobuf.StringValue")
              .setOutputType(".google.protobuf.StringValue")
              .setOptions(open));
    }
    try {
      return Descriptors.FileDescriptor.buildFrom(
              DescriptorProtos.FileDescriptorProto.newBuilder()
                  .setName("test/probe.proto")
                  .setPackage("test")
                  .addDependency("google/protobuf/wrappers.proto")
                  .addService(service)
                  .build(),
              new Descriptors.FileDescriptor[] {WrappersProto.getDescriptor()})
          .findServiceByName("Probe");
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Schema(Descriptors.MethodDescriptor method)
      implements ProtoMethodDescriptorSupplier {
    @Override
    public Descriptors.FileDescriptor getFileDescriptor() {
      return method.getFile();
    }

    @Override
    public Descriptors.ServiceDescriptor getServiceDescriptor() {
      return method.getService();
    }

    @Override
    public Descriptors.MethodDescriptor getMethodDescriptor() {
      return method;
    }
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
