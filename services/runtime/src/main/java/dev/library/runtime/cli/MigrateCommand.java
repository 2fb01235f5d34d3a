package dev.library.runtime.cli;

import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.module.ModuleHost;
import dev.library.runtime.module.ModuleRegistry;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code migrate <config.yml>}: applies the pending Flyway migrations of the target's modules and
 * exits, without starting any server. Startup migrates too; this is for deployments that migrate
 * as a separate step.
 */
public final class MigrateCommand extends ConfiguredCommand<LibraryConfiguration> {
  private final ModuleRegistry registry;

  public MigrateCommand(ModuleRegistry registry) {
    super("migrate", "Apply database migrations of the configured target, then exit");
    this.registry = registry;
  }

  @Override
  protected void run(
      Bootstrap<LibraryConfiguration> bootstrap, Namespace namespace, LibraryConfiguration config)
      throws Exception {
    System.out.println("migrated: " + ModuleHost.migrateOnly(registry, config));
  }
}
