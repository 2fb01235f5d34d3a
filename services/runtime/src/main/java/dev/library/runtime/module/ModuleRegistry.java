package dev.library.runtime.module;

import dev.library.api.ApiDescriptorSet;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.config.StrictSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/** The modules on the classpath, and the choice of them that a target names. */
public final class ModuleRegistry {
  public static final String ALL = "all";

  private final Map<String, ServiceModule> modules;
  private final Map<String, EdgeModule> edges;

  private ModuleRegistry(Map<String, ServiceModule> modules, Map<String, EdgeModule> edges) {
    this.modules = modules;
    this.edges = edges;
  }

  public static ModuleRegistry discover() {
    Map<String, ServiceModule> found = new LinkedHashMap<>();
    ServiceLoader.load(ServiceModule.class).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(Comparator.comparingInt(ServiceModule::defaultGrpcPort))
        .forEach(m -> found.put(m.name(), m));
    Map<String, EdgeModule> edges = new LinkedHashMap<>();
    ServiceLoader.load(EdgeModule.class).stream()
        .map(ServiceLoader.Provider::get)
        .forEach(e -> edges.put(e.name(), e));
    return new ModuleRegistry(found, edges);
  }

  /** The service modules found, in the order of their default ports. */
  public List<String> serviceNames() {
    return List.copyOf(modules.keySet());
  }

  /** The edge modules found (such as {@code gateway}). */
  public List<String> edgeNames() {
    return List.copyOf(edges.keySet());
  }

  /**
   * Every service a configuration may name under {@code services:}: the modules found, and the
   * services of the API's descriptor set, which a process may call without hosting them (a
   * module's own tests have only that module on the classpath, and reach the others by address).
   */
  public List<String> knownServiceNames() {
    Set<String> known = new LinkedHashSet<>(modules.keySet());
    known.addAll(ApiDescriptorSet.fromClasspath().libraryServiceNames());
    return List.copyOf(known);
  }

  /**
   * Refuses blocks under {@code services:} and {@code edges:} that name no known service or
   * edge: those maps are open, so Dropwizard's own check of unknown keys does not reach them.
   */
  public void checkConfigured(LibraryConfiguration configuration) {
    StrictSettings.requireKnownKeys(
        "services", configuration.getServices().keySet(), knownServiceNames());
    StrictSettings.requireKnownKeys("edges", configuration.getEdges().keySet(), edges.keySet());
  }

  /** Every service module found, whatever the target. */
  public List<ServiceModule> modules() {
    return List.copyOf(modules.values());
  }

  /** Every valid target name but {@code all}. */
  public List<String> names() {
    List<String> names = new ArrayList<>(modules.keySet());
    names.addAll(edges.keySet());
    return names;
  }

  /** The edge modules (such as the gateway) a target names. */
  public List<EdgeModule> selectEdges(String target) {
    List<String> wanted = parse(target);
    validate(wanted);
    return edges.values().stream()
        .filter(e -> wanted.contains(ALL) || wanted.contains(e.name()))
        .collect(Collectors.toList());
  }

  private static List<String> parse(String target) {
    return Arrays.stream(target.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toList());
  }

  private void validate(List<String> wanted) {
    for (String name : wanted) {
      if (!name.equals(ALL) && !modules.containsKey(name) && !edges.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown target '" + name + "'; valid targets: all, " + String.join(", ", names()));
      }
    }
  }

  /** The default gRPC port of a known module. */
  public int defaultGrpcPort(String name) {
    ServiceModule module = modules.get(name);
    if (module == null) {
      throw new IllegalArgumentException("unknown service " + name);
    }
    return module.defaultGrpcPort();
  }

  /**
   * Resolves a target such as {@code all} or {@code auth,book}; an unknown name is a startup
   * error that lists the valid ones.
   */
  public List<ServiceModule> select(String target) {
    List<String> wanted = parse(target);
    validate(wanted);
    if (wanted.contains(ALL)) {
      return List.copyOf(modules.values());
    }
    List<ServiceModule> selected = new ArrayList<>();
    for (String name : wanted) {
      ServiceModule module = modules.get(name);
      if (module != null && !selected.contains(module)) {
        selected.add(module);
      }
    }
    return selected;
  }
}
