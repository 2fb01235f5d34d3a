package dev.library.book;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code services.book.settings}: circulation rules and the outbox relay's pace. */
public class BookSettings {
  /** How long a loan lasts before it is overdue. */
  @NotNull @JsonProperty private Duration loanPeriod = Duration.days(14);

  /** The most active loans one member may hold at once. */
  @Min(1)
  @Max(1000)
  @JsonProperty
  private int maxActiveLoans = 5;

  /** How often the relay looks for undelivered category links. */
  @NotNull @JsonProperty private Duration outboxPollInterval = Duration.seconds(1);

  /** The longest wait between two delivery attempts of one entry. */
  @NotNull @JsonProperty private Duration outboxMaxBackoff = Duration.seconds(30);

  /**
   * How long a relay keeps an outbox entry it is delivering to itself; longer than the Category
   * service's call timeout, so only a relay that stopped mid-delivery loses its claim.
   */
  @NotNull @JsonProperty private Duration outboxClaimLease = Duration.seconds(30);

  public Duration getLoanPeriod() {
    return loanPeriod;
  }

  public int getMaxActiveLoans() {
    return maxActiveLoans;
  }

  public Duration getOutboxPollInterval() {
    return outboxPollInterval;
  }

  public Duration getOutboxMaxBackoff() {
    return outboxMaxBackoff;
  }

  public Duration getOutboxClaimLease() {
    return outboxClaimLease;
  }
}
