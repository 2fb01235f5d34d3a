package dev.library.runtime.module;

import io.grpc.BindableService;
import java.util.List;

/**
 * One service of the library (auth, author, category, book) as the runtime sees it. Modules are
 * found with {@link java.util.ServiceLoader}; the {@code target} setting picks which of them a
 * process hosts. Each hosted module gets its own gRPC server, database and migrations. Who may
 * call each RPC is not the module's to say: its proto declares it ({@code library.access}).
 */
public interface ServiceModule {
  /** Short name: the target name, the config key under {@code services:}, the database suffix. */
  String name();

  /** The gRPC port used when the configuration names none. */
  int defaultGrpcPort();

  /** Flyway location of this module's migrations. */
  default String migrationsLocation() {
    return "classpath:db/migration/" + name();
  }

  /**
   * Builds the module's gRPC services. Called once the module's database is migrated; may
   * register HTTP resources, health checks and managed objects on the context's environment.
   */
  List<BindableService> start(ModuleContext context) throws Exception;

  /** Commands of this module's own (such as auth's {@code rotate-signing-key}). */
  default List<io.dropwizard.core.cli.ConfiguredCommand<dev.library.runtime.config.LibraryConfiguration>>
      commands() {
    return List.of();
  }
}
