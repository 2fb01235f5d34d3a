package dev.library.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsAreWhatPostgresComputesAsCastMd5AsUuid() {
    // SELECT CAST(md5('book-1') AS uuid) and md5('member-1001'), as the pgbench script computes them.
    assertThat(Ids.book(1)).isEqualTo(UUID.fromString("834feba1-6ee5-3314-277b-995adfd0538c"));
    assertThat(Ids.member(1001)).isEqualTo(UUID.fromString("053a6f7e-5d21-c4f7-6a6d-1b8387df1c6b"));
  }
}
