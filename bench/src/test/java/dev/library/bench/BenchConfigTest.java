package dev.library.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchConfigTest {
  @Test
  void quickModeStopsAtOneHundredThousandBooks() {
    BenchConfig quick = BenchConfig.parse("--quick");
    assertThat(quick.quick()).isTrue();
    assertThat(quick.catalogSizes()).containsExactly(10_000, 100_000);
    assertThat(BenchConfig.parse().catalogSizes()).containsExactly(10_000, 100_000, 1_000_000);
  }

  @Test
  void argumentsMayArriveAsOneWordFromMake() {
    BenchConfig config = BenchConfig.parse("--quick --seed 7 --only get-book,login");
    assertThat(config.seed()).isEqualTo(7);
    assertThat(config.runs("login")).isTrue();
    assertThat(config.runs("hot-book")).isFalse();
    assertThat(BenchConfig.parse("--jdbc-url=jdbc:postgresql://h/db").jdbcUrl()).contains("jdbc:postgresql://h/db");
  }

  @Test
  void rejectsWhatItDoesNotKnow() {
    assertThatThrownBy(() -> BenchConfig.parse("--fast")).isInstanceOf(BenchConfig.UsageException.class);
    assertThatThrownBy(() -> BenchConfig.parse("--seed")).isInstanceOf(BenchConfig.UsageException.class);
  }
}
