package dev.library.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
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
    int port = FreePorts.next();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(port));
      // Walk the whole range once: the counter comes back round to the taken port.
      Set<Integer> handedOut = new HashSet<>();
      for (int i = 0; i < ephemeralStart() - 10_000; i++) {
        handedOut.add(FreePorts.next());
      }
      assertThat(handedOut).doesNotContain(port);
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
