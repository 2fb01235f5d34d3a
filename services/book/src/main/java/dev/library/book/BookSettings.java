package dev.library.book;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code services.book.settings}: circulation rules, the sweep's and the outbox relay's pace. */
public class BookSettings {
  /** How long a loan lasts before it is overdue. */
  @NotNull @JsonProperty private Duration loanPeriod = Duration.days(14);

  /** The most active loans one member may hold at once. */
  @Min(1)
  @Max(1000)
  @JsonProperty
  private int maxActiveLoans = 5;

  /** How many times one loan may be renewed. */
  @Min(0)
  @Max(100)
  @JsonProperty
  private int maxRenewals = 2;

  /** The most open (waiting or ready) holds one member may have. */
  @Min(1)
  @Max(1000)
  @JsonProperty
  private int maxHolds = 5;

  /** How long a returned copy is kept for the member whose hold became ready. */
  @NotNull @JsonProperty private Duration pickupWindow = Duration.days(3);

  /** Whether a member with a loan overdue beyond {@code overdueGrace} may not borrow or renew. */
  @JsonProperty private boolean overdueBlock = true;

  /** How long past its due time a loan may be before it blocks its member. */
  @NotNull @JsonProperty private Duration overdueGrace = Duration.days(7);

  /** How long past its due time a loan may still be renewed. */
  @NotNull @JsonProperty private Duration renewalOverdueLimit = Duration.days(3);

  /** How long circulation events keep naming their member before they are anonymized. */
  @NotNull @JsonProperty private Duration historyRetention = Duration.days(365);

  /** How often expired pickups and old history are swept (on every replica; see CirculationSweep). */
  @NotNull @JsonProperty private Duration circulationSweepInterval = Duration.seconds(30);

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

  public int getMaxRenewals() {
    return maxRenewals;
  }

  public int getMaxHolds() {
    return maxHolds;
  }

  public Duration getPickupWindow() {
    return pickupWindow;
  }

  public boolean isOverdueBlock() {
    return overdueBlock;
  }

  public Duration getOverdueGrace() {
    return overdueGrace;
  }

  public Duration getRenewalOverdueLimit() {
    return renewalOverdueLimit;
  }

  public Duration getHistoryRetention() {
    return historyRetention;
  }

  public Duration getCirculationSweepInterval() {
    return circulationSweepInterval;
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
