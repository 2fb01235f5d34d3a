package dev.library.runtime.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.library.runtime.LibraryApplication;
import dev.library.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A fresh embedded PostgreSQL data directory for a test, made by copying one that this JVM
 * initialised and migrated once, instead of running initdb, CREATE DATABASE and every migration
 * again for each system a test starts (about 3 s of CPU each time, some sixty times per
 * {@code make test}).
 *
 * <p>The copy is what a first start would have made: the application's own {@code migrate}
 * command built it with every module on the classpath (the target {@code all}), from a cleanly
 * stopped server, so it holds the databases with their schemas and nothing else: no accounts,
 * no signing key, no rows. A process hosting fewer modules finds the others' databases there and
 * leaves them alone. Its startup still runs Flyway, which finds nothing to apply.
 */
public final class MigratedDataDirectory {
  private static Path template;

  private MigratedDataDirectory() {}

  /** Makes {@code target} (absent or empty) a migrated data directory. */
  public static synchronized void copyInto(Path target) {
    try {
      if (template == null) {
        template = migrate();
      }
      copy(template, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path migrate() throws IOException {
    Path work = Files.createTempDirectory("library-pg-template-");
    Path data = work.resolve("postgres");
    ObjectNode config = (ObjectNode) TestConfiguration.tree(TestConfiguration.text());
    config.put("target", "all");
    ObjectNode postgres = config.withObjectProperty("embeddedPostgres");
    postgres.put("dataDirectory", data.toString());
    postgres.put("port", FreePorts.next());
    Path file = work.resolve("migrate.yml");
    Files.writeString(file, new YAMLMapper().writeValueAsString(config));
    LibraryApplication application =
        new LibraryApplication() {
          @Override
          protected void onFatalError(Throwable failure) {
            // Dropwizard's default exits the JVM, which would end the whole test run.
            throw new IllegalStateException("could not migrate the template data directory", failure);
          }
        };
    try {
      application.run("migrate", file.toString());
    } catch (Exception e) {
      throw new IllegalStateException("could not migrate the template data directory " + data, e);
    }
    return data;
  }

  /**
   * Copies files and directories with their permissions (PostgreSQL refuses a data directory
   * others can read); an existing file is never overwritten.
   */
  private static void copy(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
              throws IOException {
            if (dir.equals(from.resolve("log"))) {
              return FileVisitResult.SKIP_SUBTREE; // the template's own server log
            }
            Path copy = to.resolve(from.relativize(dir).toString());
            if (Files.isDirectory(copy)) {
              Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(dir));
            } else {
              Files.copy(dir, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.COPY_ATTRIBUTES);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
