package dev.library.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void portsAreBelowTheEphemeralRangeDistinctAndBindable() throws IOException {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = FreePorts.next();
      assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
      assertThat(port).isBetween(10_000, ephemeralStart() - 1);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(port));
      }
    }
  }

  @Test
  void aPortSomeoneListensOnIsNeverHandedOut() throws IOException {
    int last = FreePorts.next();
    while (last + 10 >= ephemeralStart()) {
      last = FreePorts.next(); // the counter wraps at the top of the range
    }
    // The counter goes on from the last port handed out: listen on the ten after it.
    List<ServerSocket> listening = new ArrayList<>();
    Set<Integer> taken = new HashSet<>();
    try {
      for (int port = last + 1; port <= last + 10; port++) {
        ServerSocket socket = new ServerSocket();
        listening.add(socket);
        try {
          socket.bind(new InetSocketAddress(port));
          taken.add(port);
        } catch (IOException alreadyInUse) {
          // taken by someone else: skipped all the same
        }
      }
      Set<Integer> handedOut = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        handedOut.add(FreePorts.next());
      }
      assertThat(taken).isNotEmpty();
      assertThat(handedOut).doesNotContainAnyElementsOf(taken);
    } finally {
      for (ServerSocket socket : listening) {
        socket.close();
      }
    }
  }

  /**
   * Ports another test JVM holds are skipped even while nothing listens on them yet, and are free
   * again once that JVM has ended.
   */
  @Test
  void portsHeldByAnotherJvmAreSkippedUntilItEnds() throws Exception {
    Process other =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                HoldPorts.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<Integer> held = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      for (int i = 0; i < HoldPorts.COUNT; i++) {
        held.add(Integer.parseInt(lines.readLine().trim()));
      }
      for (int port : held) {
        assertThat(FreePorts.reservedElsewhere(port)).as("port %d held by the other JVM", port).isTrue();
      }
      other.getOutputStream().close(); // the other JVM exits when its stdin ends
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      other.destroyForcibly();
    }
    for (int port : held) {
      assertThat(FreePorts.reservedElsewhere(port)).as("port %d after the other JVM ended", port).isFalse();
    }
  }

  /** The other JVM: takes a few ports, prints them, and holds them until its stdin ends. */
  public static final class HoldPorts {
    static final int COUNT = 5;

    public static void main(String[] args) throws IOException {
      for (int i = 0; i < COUNT; i++) {
        System.out.println(FreePorts.next());
      }
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the end of stdin
      }
    }
  }

  private static int ephemeralStart() {
    try {
      return Integer.parseInt(
          java.nio.file.Files.readAllLines(
                  java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
              .get(0)
              .trim()
              .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 49_152;
    }
  }
}
