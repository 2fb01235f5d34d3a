package dev.library.runtime;

import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM is how an operator, systemd or Kubernetes asks a service to stop. The JVM's own handler
 * runs the shutdown hooks (Dropwizard's ordered stop among them) and then exits with 143, which
 * supervisors report as a failure although the stop went as asked. This handler runs the same
 * hooks through {@code System.exit(0)}, so a requested stop that drained cleanly exits 0.
 * SIGINT (Ctrl-C) is handled alike and exits 130, as the JVM's own handler would.
 *
 * <p>A stop asked for while the server is still starting waits for the start to end first: the
 * ordered stop (Jetty's shutdown hook) only stops a server that has finished starting, so an
 * early SIGTERM used to end the JVM at once and leave the embedded PostgreSQL running, orphaned.
 */
final class StopOnSigterm {
  private static final Logger LOG = LoggerFactory.getLogger(StopOnSigterm.class);
  /** Longer than any healthy start; a start that hangs must not keep the stop waiting forever. */
  private static final Duration START_WAIT = Duration.ofMinutes(2);

  private static final CountDownLatch START_ENDED = new CountDownLatch(1);
  private static volatile boolean starting;

  private StopOnSigterm() {}

  static void install() {
    handle("TERM", 0);
    // Ctrl-C in `make run`: the same wait for a start in progress; the exit code shells expect.
    handle("INT", 130);
  }

  private static void handle(String name, int exitCode) {
    try {
      Signal.handle(
          new Signal(name),
          signal -> {
            LOG.info("SIG{} received: stopping", name);
            // Not on the signal's own thread: exit blocks until every shutdown hook has run.
            new Thread(() -> stop(exitCode), "stop-on-sig" + name.toLowerCase(Locale.ROOT)).start();
          });
    } catch (IllegalArgumentException noSuchSignal) {
      LOG.debug("no SIG{} on this platform; the JVM's default handling applies", name);
    }
  }

  /** The server of this process is starting: a stop waits until it has started or failed. */
  static void serverStarting(LifecycleEnvironment lifecycle) {
    starting = true;
    lifecycle.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStarted(LifeCycle event) {
            START_ENDED.countDown();
          }

          @Override
          public void lifeCycleFailure(LifeCycle event, Throwable cause) {
            START_ENDED.countDown();
          }
        });
  }

  private static void stop(int exitCode) {
    if (starting && START_ENDED.getCount() > 0) {
      LOG.info("the server is still starting: stopping once it has started");
      try {
        if (!START_ENDED.await(START_WAIT.toSeconds(), TimeUnit.SECONDS)) {
          LOG.warn("the server did not finish starting within {} s: stopping now", START_WAIT.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    System.exit(exitCode);
  }
}
