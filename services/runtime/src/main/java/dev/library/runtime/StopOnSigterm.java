package dev.library.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM is how an operator, systemd or Kubernetes asks a service to stop. The JVM's own handler
 * runs the shutdown hooks (Dropwizard's ordered stop among them) and then exits with 143, which
 * supervisors report as a failure although the stop went as asked. This handler runs the same
 * hooks through {@code System.exit(0)}, so a requested stop that drained cleanly exits 0.
 */
final class StopOnSigterm {
  private static final Logger LOG = LoggerFactory.getLogger(StopOnSigterm.class);

  private StopOnSigterm() {}

  static void install() {
    try {
      Signal.handle(
          new Signal("TERM"),
          signal -> {
            LOG.info("SIGTERM received: stopping");
            // Not on the signal's own thread: exit blocks until every shutdown hook has run.
            new Thread(() -> System.exit(0), "stop-on-sigterm").start();
          });
    } catch (IllegalArgumentException noSuchSignal) {
      LOG.debug("no SIGTERM on this platform; the JVM's default handling applies");
    }
  }
}
