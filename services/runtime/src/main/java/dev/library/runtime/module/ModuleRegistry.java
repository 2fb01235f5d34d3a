package dev.library.runtime.module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The modules on the classpath, and the choice of them that a target names. */
public final class ModuleRegistry {
  public static final String ALL = "all";

  private final Map<String, ServiceModule> modules;

  private ModuleRegistry(Map<String, ServiceModule> modules) {
    this.modules = modules;
  }

  public static ModuleRegistry discover() {
    Map<String, ServiceModule> found = new LinkedHashMap<>();
    ServiceLoader.load(ServiceModule.class).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(Comparator.comparingInt(ServiceModule::defaultGrpcPort))
        .forEach(m -> found.put(m.name(), m));
    return new ModuleRegistry(found);
  }

  public List<String> names() {
    return List.copyOf(modules.keySet());
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
    List<String> wanted =
        Arrays.stream(target.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toList());
    if (wanted.contains(ALL)) {
      return List.copyOf(modules.values());
    }
    List<ServiceModule> selected = new ArrayList<>();
    for (String name : wanted) {
      ServiceModule module = modules.get(name);
      if (module == null) {
        throw new IllegalArgumentException(
            "unknown target '" + name + "'; valid targets: all, " + String.join(", ", names()));
      }
      if (!selected.contains(module)) {
        selected.add(module);
      }
    }
    return selected;
  }
}
