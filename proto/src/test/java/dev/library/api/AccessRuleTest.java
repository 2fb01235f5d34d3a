package dev.library.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.EmptyProto;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every RPC of the API says who may call it; the build fails when one does not. */
class AccessRuleTest {
  private final ApiDescriptorSet api = ApiDescriptorSet.fromClasspath();

  @Test
  void everyRpcOfTheLibraryDeclaresExactlyOneAccessRule() {
    List<MethodDescriptor> methods =
        api.libraryServices().stream().flatMap(s -> s.getMethods().stream()).toList();
    assertThat(methods).hasSizeGreaterThan(30);
    for (MethodDescriptor method : methods) {
      AccessRule rule = AccessRule.of(method);
      assertThat(rule.kind()).as(method.getFullName()).isNotNull();
      if (rule.kind() == AccessRule.Kind.ROLES) {
        assertThat(rule.roles()).as(method.getFullName()).isNotEmpty();
      }
    }
  }

  @Test
  void internalRpcsHaveNoRestMapping() {
    for (var service : api.libraryServices()) {
      for (MethodDescriptor method : service.getMethods()) {
        boolean hasHttp = method.getOptions().hasExtension(com.google.api.AnnotationsProto.http);
        if (AccessRule.of(method).kind() == AccessRule.Kind.INTERNAL) {
          assertThat(hasHttp).as(method.getFullName() + " is internal but has a REST path").isFalse();
        }
      }
    }
  }

  @Test
  void theGeneratedStubsCarryTheSameRules() {
    MethodDescriptor login =
        dev.library.auth.v1.AuthProto.getDescriptor()
            .findServiceByName("AuthService")
            .findMethodByName("Login");
    assertThat(AccessRule.of(login).kind()).isEqualTo(AccessRule.Kind.PUBLIC);
    MethodDescriptor create =
        dev.library.book.v1.BookProto.getDescriptor()
            .findServiceByName("BookService")
            .findMethodByName("CreateBook");
    assertThat(AccessRule.of(create).roles())
        .containsExactlyInAnyOrder(Role.ROLE_LIBRARIAN, Role.ROLE_ADMIN);
    assertThat(AccessRule.of(create).admitsUser(Set.of(Role.ROLE_MEMBER))).isFalse();
    assertThat(AccessRule.of(create).admitsUser(Set.of(Role.ROLE_MEMBER, Role.ROLE_ADMIN))).isTrue();
  }

  @Test
  void anRpcWithoutTheOptionIsRefused() throws Exception {
    assertThatThrownBy(() -> AccessRule.of(method(MethodOptions.getDefaultInstance())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("declares no (library.access) option");
  }

  @Test
  void anRpcWithTwoKindsOfRuleIsRefused() throws Exception {
    MethodOptions both =
        MethodOptions.newBuilder()
            .setExtension(
                AccessProto.access,
                Access.newBuilder().setPublic(true).addRoles(Role.ROLE_ADMIN).build())
            .build();
    assertThatThrownBy(() -> AccessRule.of(method(both)))
        .hasMessageContaining("exactly one of public, signed_in, roles, internal");
  }

  private static MethodDescriptor method(MethodOptions options) throws Exception {
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("test/no_access.proto")
            .setPackage("test")
            .addDependency("google/protobuf/empty.proto")
            .addService(
                ServiceDescriptorProto.newBuilder()
                    .setName("Probe")
                    .addMethod(
                        MethodDescriptorProto.newBuilder()
                            .setName("Call")
                            .setInputType(".google.protobuf.Empty")
                            .setOutputType(".google.protobuf.Empty")
                            .setOptions(options)))
            .build();
    return FileDescriptor.buildFrom(file, new FileDescriptor[] {EmptyProto.getDescriptor()})
        .findServiceByName("Probe")
        .findMethodByName("Call");
  }
}
