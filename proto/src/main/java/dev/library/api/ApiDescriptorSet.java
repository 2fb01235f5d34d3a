package dev.library.api;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The descriptor set of the whole API (imports and source info included), linked into
 * descriptors: the bytes Envoy loads, and what the gateway and the OpenAPI generator read, so all
 * three see the same API.
 */
public final class ApiDescriptorSet {
  /** Where this module packages the descriptor set. */
  public static final String RESOURCE = "library/descriptor.pb";

  private final FileDescriptorSet set;
  private final Map<String, FileDescriptor> files;

  private ApiDescriptorSet(FileDescriptorSet set, Map<String, FileDescriptor> files) {
    this.set = set;
    this.files = files;
  }

  public static ApiDescriptorSet fromClasspath() {
    try (InputStream in = ApiDescriptorSet.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath (library-proto)");
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public static ApiDescriptorSet parse(InputStream in) throws IOException {
    return of(FileDescriptorSet.parseFrom(in, extensions()));
  }

  public static ApiDescriptorSet parse(byte[] bytes) throws IOException {
    return of(FileDescriptorSet.parseFrom(bytes, extensions()));
  }

  /**
   * The option extensions the readers need. Without them registered, google.api.http and
   * field_behavior stay unknown fields and the HTTP rules look absent.
   */
  public static ExtensionRegistry extensions() {
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    AnnotationsProto.registerAllExtensions(registry);
    FieldBehaviorProto.registerAllExtensions(registry);
    ClientProto.registerAllExtensions(registry);
    ResourceProto.registerAllExtensions(registry);
    AccessProto.registerAllExtensions(registry);
    return registry;
  }

  public static ApiDescriptorSet of(FileDescriptorSet set) {
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    set.getFileList().forEach(file -> protos.put(file.getName(), file));
    Map<String, FileDescriptor> built = new HashMap<>();
    protos.keySet().forEach(name -> link(name, protos, built));
    return new ApiDescriptorSet(set, Map.copyOf(built));
  }

  /** The set as protoc wrote it (source info included). */
  public FileDescriptorSet raw() {
    return set;
  }

  public Collection<FileDescriptor> files() {
    return files.values();
  }

  /** Every service of the library's own API (package {@code library.*}), in file order. */
  public java.util.List<ServiceDescriptor> libraryServices() {
    return files.values().stream()
        .filter(file -> file.getPackage().startsWith("library."))
        .sorted(java.util.Comparator.comparing(FileDescriptor::getName))
        .flatMap(file -> file.getServices().stream())
        .toList();
  }

  /**
   * The short names of {@link #libraryServices()}, in the same order: what the rest of the
   * repository calls each service (its module, target, config block, compose service, Envoy
   * cluster, database suffix and OpenAPI document).
   */
  public java.util.List<String> libraryServiceNames() {
    return libraryServices().stream().map(ApiDescriptorSet::shortName).toList();
  }

  /** The second part of a service's package: {@code library.book.v1.BookService} is "book". */
  public static String shortName(ServiceDescriptor service) {
    String[] parts = service.getFile().getPackage().split("[.]");
    if (parts.length < 2) {
      throw new IllegalArgumentException(service.getFullName() + " is not in a library.<name> package");
    }
    return parts[1];
  }

  /** The service with this fully-qualified name, e.g. {@code library.book.v1.BookService}. */
  public ServiceDescriptor service(String fullName) {
    return files.values().stream()
        .flatMap(file -> file.getServices().stream())
        .filter(service -> service.getFullName().equals(fullName))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no service " + fullName + " in " + RESOURCE));
  }

  // protoc lists dependencies first, but linking on demand does not rely on that order.
  private static FileDescriptor link(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalStateException(
          RESOURCE + " lacks " + name + ": it must be built with --include_imports");
    }
    FileDescriptor[] dependencies =
        proto.getDependencyList().stream()
            .map(dependency -> link(dependency, protos, built))
            .toArray(FileDescriptor[]::new);
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("invalid descriptor " + name + ": " + e.getMessage(), e);
    }
  }
}
