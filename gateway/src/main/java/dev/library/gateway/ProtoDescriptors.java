package dev.library.gateway;

import com.google.api.AnnotationsProto;
import com.google.api.ClientProto;
import com.google.api.FieldBehaviorProto;
import com.google.api.ResourceProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.TypeRegistry;
import com.google.rpc.ErrorDetailsProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protos Envoy transcodes, built from the descriptor set that Envoy loads ({@code
 * library/descriptor.pb} of library-proto) rather than from generated classes, so the gateway
 * exposes exactly what that file describes.
 */
public final class ProtoDescriptors {
  public static final String DESCRIPTOR_SET = "library/descriptor.pb";

  private final Map<String, FileDescriptor> files;

  private ProtoDescriptors(Map<String, FileDescriptor> files) {
    this.files = files;
  }

  public static ProtoDescriptors load() {
    InputStream in = ProtoDescriptors.class.getClassLoader().getResourceAsStream(DESCRIPTOR_SET);
    if (in == null) {
      throw new IllegalStateException(DESCRIPTOR_SET + " is not on the classpath (library-proto)");
    }
    try (in) {
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DESCRIPTOR_SET, e);
    }
  }

  static ProtoDescriptors parse(InputStream in) throws IOException {
    // Without the registry, google.api.http and field_behavior stay unknown fields of the
    // options, and Armeria would find no HTTP rule to transcode.
    ExtensionRegistry extensions = ExtensionRegistry.newInstance();
    AnnotationsProto.registerAllExtensions(extensions);
    FieldBehaviorProto.registerAllExtensions(extensions);
    ClientProto.registerAllExtensions(extensions);
    ResourceProto.registerAllExtensions(extensions);
    FileDescriptorSet set = FileDescriptorSet.parseFrom(in, extensions);

    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    set.getFileList().forEach(f -> protos.put(f.getName(), f));
    Map<String, FileDescriptor> built = new HashMap<>();
    for (String name : protos.keySet()) {
      build(name, protos, built);
    }
    return new ProtoDescriptors(Map.copyOf(built));
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalStateException(
          DESCRIPTOR_SET + " lacks " + name + " (build it with include_imports)");
    }
    FileDescriptor[] dependencies =
        proto.getDependencyList().stream()
            .map(d -> build(d, protos, built))
            .toArray(FileDescriptor[]::new);
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("invalid descriptor " + name + ": " + e.getMessage(), e);
    }
  }

  /** The service with this fully-qualified name, e.g. {@code library.book.v1.BookService}. */
  public ServiceDescriptor service(String fullName) {
    for (FileDescriptor file : files.values()) {
      for (ServiceDescriptor service : file.getServices()) {
        if (service.getFullName().equals(fullName)) {
          return service;
        }
      }
    }
    throw new IllegalArgumentException(
        "Envoy transcodes " + fullName + " but " + DESCRIPTOR_SET + " does not define it");
  }

  /**
   * Types an error detail or response {@code Any} may hold: google.rpc's error details plus
   * every message of the set.
   */
  public TypeRegistry typeRegistry() {
    TypeRegistry.Builder types = TypeRegistry.newBuilder();
    types.add(ErrorDetailsProto.getDescriptor().getMessageTypes());
    types.add(com.google.rpc.Status.getDescriptor());
    Collection<FileDescriptor> all = files.values();
    for (FileDescriptor file : all) {
      // The set's own copies of google.rpc types would clash with the generated ones above.
      if (!file.getPackage().equals("google.rpc")) {
        types.add(file.getMessageTypes());
      }
    }
    return types.build();
  }
}
