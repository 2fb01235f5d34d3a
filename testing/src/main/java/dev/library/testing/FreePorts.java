package dev.library.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>Test JVMs run side by side (surefire forks, Maven modules built in parallel), and a port one
 * of them checked free may be bound by its server only seconds later. Each port handed out is
 * therefore also reserved for the life of the JVM with a lock on a file named after it, which
 * the other JVMs see and skip; the operating system releases the lock when the JVM ends, however
 * it ends.
 */
public final class FreePorts {
  /** Above the registered well-known services most machines run. */
  private static final int LOWEST = 10_000;

  private static final int HIGHEST = ephemeralRangeStart() - 1;

  /** Where this JVM starts counting: spread by pid so that two test JVMs rarely meet. */
  private static final AtomicInteger NEXT =
      new AtomicInteger((int) (ProcessHandle.current().pid() * 7919 % span()));

  /** One lock file per port handed out, shared by every test JVM of this user on the machine. */
  private static final Path RESERVATIONS = reservationDirectory();

  /** The reservations of this JVM, held until it exits. */
  private static final List<FileLock> HELD = new CopyOnWriteArrayList<>();

  private FreePorts() {}

  /** A port nothing listens on now, outside the ephemeral range, not handed out before here. */
  public static int next() {
    for (int tried = 0; tried < span(); tried++) {
      int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), span());
      if (isFree(port) && reserve(port)) {
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

  private static boolean reserve(int port) {
    FileLock lock = tryLock(port);
    if (lock == null) {
      return false;
    }
    HELD.add(lock);
    return true;
  }

  /** Whether another JVM holds {@code port} now (for tests of the reservation itself). */
  static boolean reservedElsewhere(int port) throws IOException {
    FileLock lock = tryLock(port);
    if (lock == null) {
      return true;
    }
    lock.channel().close();
    return false;
  }

  /** The lock on the port's file, or null when another JVM holds it. */
  private static FileLock tryLock(int port) {
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              RESERVATIONS.resolve(port + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      return null; // this JVM holds it already
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot reserve port " + port + " in " + RESERVATIONS, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // nothing held through it
    }
  }

  private static Path reservationDirectory() {
    Path directory =
        Path.of(System.getProperty("java.io.tmpdir"), "library-test-ports-" + System.getProperty("user.name"));
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + directory, e);
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
