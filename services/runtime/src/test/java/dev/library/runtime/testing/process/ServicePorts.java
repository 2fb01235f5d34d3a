package dev.library.runtime.testing.process;

import dev.library.testing.FreePorts;
import dev.library.runtime.module.ModuleRegistry;
import dev.library.runtime.module.ServiceModule;
import dev.library.runtime.testing.LibrarySystem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each service of a multi-process system listens, chosen before any process starts and
 * kept across restarts, so that processes find each other (and find each other again after one
 * of them comes back). The services are those found on the classpath.
 */
public final class ServicePorts {
  private final Map<String, Integer> grpc = new LinkedHashMap<>();
  private final int authHttp = FreePorts.next();

  private ServicePorts() {
    for (ServiceModule module : ModuleRegistry.discover().select(ModuleRegistry.ALL)) {
      grpc.put(module.name(), FreePorts.next());
    }
  }

  /** A free port for every service found on the classpath. */
  public static ServicePorts allocate() {
    return new ServicePorts();
  }

  public List<String> services() {
    return List.copyOf(grpc.keySet());
  }

  public int grpc(String service) {
    Integer port = grpc.get(service);
    if (port == null) {
      throw new IllegalArgumentException("no service " + service + " on the classpath");
    }
    return port;
  }

  /** The HTTP port of the process hosting auth: the JWKS every process fetches keys from. */
  public int authHttp() {
    return authHttp;
  }
}
