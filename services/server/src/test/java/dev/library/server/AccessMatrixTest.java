package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.library.api.AccessRule;
import dev.library.api.ApiDescriptorSet;
import dev.library.auth.v1.Role;
import dev.library.runtime.testing.Credentials;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may call what, walked from the descriptor set: every RPC of the library, called directly
 * over gRPC by every kind of caller, is let through or refused exactly as its {@code
 * (library.access)} option says. The requests are empty, so an admitted call fails on its input
 * (or succeeds, for reads) and changes nothing.
 */
class AccessMatrixTest {
  private static LibrarySystem system;
  private static final Map<String, CallCredentials> CALLERS = new LinkedHashMap<>();

  /** The roles each kind of caller holds (a service holds none: it is not a user). */
  private static final Map<String, Set<dev.library.api.Role>> HELD =
      Map.of(
          "anonymous", Set.of(),
          "member", Set.of(dev.library.api.Role.ROLE_MEMBER),
          "librarian", Set.of(dev.library.api.Role.ROLE_MEMBER, dev.library.api.Role.ROLE_LIBRARIAN),
          "admin", Set.of(dev.library.api.Role.ROLE_MEMBER, dev.library.api.Role.ROLE_ADMIN),
          "service", Set.of());

  @BeforeAll
  static void start() {
    system = LibrarySystem.start("auth,author,category,book");
    TestAccounts accounts = new TestAccounts(system);
    CALLERS.put("anonymous", null);
    CALLERS.put("member", accounts.member().credentials());
    CALLERS.put("librarian", accounts.librarian().credentials());
    CALLERS.put("admin", accounts.withRoles(Role.ADMIN).credentials());
    CALLERS.put("service", Credentials.serverKey(LibrarySystem.SERVER_KEY));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void everyRpcAdmitsExactlyTheCallersItsAccessOptionNames() {
    List<String> mismatches = new ArrayList<>();
    int calls = 0;
    for (ServiceDescriptor service : ApiDescriptorSet.fromClasspath().libraryServices()) {
      Channel channel = system.channel(moduleOf(service));
      for (MethodDescriptor method : service.getMethods()) {
        AccessRule rule = AccessRule.of(method);
        for (Map.Entry<String, CallCredentials> caller : CALLERS.entrySet()) {
          Status.Code got = call(channel, method, caller.getValue());
          Status.Code expected = expected(rule, caller.getKey());
          calls++;
          boolean refused = got == Status.Code.UNAUTHENTICATED || got == Status.Code.PERMISSION_DENIED;
          if (expected == Status.Code.OK ? refused : got != expected) {
            mismatches.add(
                method.getFullName() + " as " + caller.getKey() + ": " + got + ", expected "
                    + (expected == Status.Code.OK ? "to be let through" : expected));
          }
        }
      }
    }
    assertThat(calls).isGreaterThan(150);
    assertThat(mismatches).isEmpty();
  }

  /** OK stands for "let through" (the call may still fail on its empty input). */
  private static Status.Code expected(AccessRule rule, String caller) {
    switch (rule.kind()) {
      case PUBLIC:
        return Status.Code.OK;
      case INTERNAL:
        return caller.equals("service") ? Status.Code.OK : Status.Code.PERMISSION_DENIED;
      default:
        if (caller.equals("anonymous")) {
          return Status.Code.UNAUTHENTICATED;
        }
        if (caller.equals("service")) {
          return rule.admitsServices() ? Status.Code.OK : Status.Code.UNAUTHENTICATED;
        }
        return rule.admitsUser(HELD.get(caller)) ? Status.Code.OK : Status.Code.PERMISSION_DENIED;
    }
  }

  private static Status.Code call(Channel channel, MethodDescriptor method, CallCredentials who) {
    io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpc =
        io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(
                io.grpc.MethodDescriptor.generateFullMethodName(
                    method.getService().getFullName(), method.getName()))
            .setRequestMarshaller(
                ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType())))
            .setResponseMarshaller(
                ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
            .build();
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    if (who != null) {
      options = options.withCallCredentials(who);
    }
    try {
      ClientCalls.blockingUnaryCall(
          channel, grpc, options, DynamicMessage.getDefaultInstance(method.getInputType()));
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  /** {@code library.book.v1} is hosted by the module "book". */
  private static String moduleOf(ServiceDescriptor service) {
    return service.getFile().getPackage().split("[.]")[1];
  }
}
