package dev.library.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofMillis(50);

  @Test
  void returnsTheFirstAcceptedValueAndStopsPolling() {
    AtomicInteger polls = new AtomicInteger();
    int value = Eventually.within(LONG).get("the third poll", polls::incrementAndGet, n -> n >= 3);
    assertThat(value).isEqualTo(3);
    assertThat(polls).hasValue(3);
  }

  @Test
  void aConditionAlreadyMetIsPolledOnce() {
    AtomicInteger polls = new AtomicInteger();
    Eventually.within(LONG).until("nothing", () -> polls.incrementAndGet() > 0);
    assertThat(polls).hasValue(1);
  }

  @Test
  void theFailureNamesWhatWasAwaitedTheLimitAndTheLastValue() {
    AtomicInteger polls = new AtomicInteger();
    assertThatThrownBy(
            () -> Eventually.within(SHORT).get("a negative count", polls::incrementAndGet, n -> n < 0))
        .isInstanceOf(Eventually.TimedOut.class)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("waited 50 ms for a negative count; last seen: ")
        .hasMessageEndingWith(": " + polls.get());
    assertThat(polls.get()).as("polled more than once before giving up").isGreaterThan(1);
  }

  @Test
  void anExceptionFailsTheWaitAtOnceNamingIt() {
    AtomicInteger polls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Eventually.within(LONG)
                    .until(
                        "the file",
                        () -> {
                          polls.incrementAndGet();
                          throw new IOException("disk gone");
                        }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("waiting for the file")
        .hasRootCauseMessage("disk gone");
    assertThat(polls).hasValue(1);
  }

  @Test
  void ignoredExceptionsMeanNotYetAndTheLastIsTheCause() {
    AtomicInteger polls = new AtomicInteger();
    boolean met =
        Eventually.within(LONG)
            .ignoring(e -> e instanceof IOException)
            .get(
                "a server that refuses twice",
                () -> {
                  if (polls.incrementAndGet() < 3) {
                    throw new IOException("refused " + polls.get());
                  }
                  return true;
                },
                ok -> ok);
    assertThat(met).isTrue();

    assertThatThrownBy(
            () ->
                Eventually.within(SHORT)
                    .ignoring(e -> e instanceof IOException)
                    .until("a server that never answers", () -> { throw new IOException("refused"); }))
        .isInstanceOf(Eventually.TimedOut.class)
        .hasMessageContaining("last seen: java.io.IOException: refused")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void untilAssertedRetriesFailedAssertionsAndReportsTheLast() {
    AtomicInteger polls = new AtomicInteger();
    Eventually.within(LONG)
        .untilAsserted("five polls", () -> assertThat(polls.incrementAndGet()).isEqualTo(5));
    assertThat(polls).hasValue(5);

    assertThatThrownBy(
            () ->
                Eventually.within(SHORT)
                    .pausingAtMost(Duration.ofMillis(10))
                    .untilAsserted("the impossible", () -> assertThat(1).as("one").isEqualTo(2)))
        .isInstanceOf(Eventually.TimedOut.class)
        .hasMessageContaining("waited 50 ms for the impossible")
        .hasCauseInstanceOf(AssertionError.class)
        .cause()
        .hasMessageContaining("[one]");
  }

  @Test
  void limitsAndPausesMustBePositive() {
    assertThatThrownBy(() -> Eventually.within(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Eventually.within(LONG).pausingAtMost(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
