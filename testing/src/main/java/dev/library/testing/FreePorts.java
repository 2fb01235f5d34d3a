package dev.library.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for test processes, chosen before the process that will listen on them starts.
 *
 * <p>{@code new ServerSocket(0)} hands out a port from the kernel's ephemeral range, the same
 * range every outgoing connection (JDBC, gRPC, HTTP) takes its local port from; in the seconds
 * between choosing the port and the server binding it, one of the test's own connections could
 * take it, and the server then failed to start with "Address already in use". These ports come
 * from below the ephemeral range, which outgoing connections never use; each is handed out once
 * per JVM and checked free (bound with no address reuse) before it is returned.
 */
public final class FreePorts {
  /** Above the registered well-known services most machines run. */
  private static final int LOWEST = 10_000;

  private static final int HIGHEST = ephemeralRangeStart() - 1;

  /** Where this JVM starts counting: spread by pid so that two test JVMs rarely meet. */
  private static final AtomicInteger NEXT =
      new AtomicInteger((int) (ProcessHandle.current().pid() * 7919 % span()));

  private FreePorts() {}

  /** A port nothing listens on now, outside the ephemeral range, not handed out before here. */
  public static int next() {
    for (int tried = 0; tried < span(); tried++) {
      int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), span());
      if (isFree(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + LOWEST + " and " + HIGHEST);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int span() {
    return HIGHEST - LOWEST + 1;
  }

  /** Linux publishes its range; elsewhere assume the IANA one (49152 up). */
  private static int ephemeralRangeStart() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      // readString trusts the size the file reports, and /proc files report none.
      int start = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
      return Math.max(start, LOWEST + 1_000);
    } catch (IOException | RuntimeException e) {
      return 49_152;
    }
  }
}
