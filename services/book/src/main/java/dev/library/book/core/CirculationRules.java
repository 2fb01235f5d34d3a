package dev.library.book.core;

import java.time.Duration;

/**
 * The rules a member meets at the desk, from configuration ({@code services.book.settings}).
 *
 * @param loanPeriod how long a loan (and each renewal, counted from the renewal) lasts
 * @param maxActiveLoans the most active loans one member may hold
 * @param maxRenewals how many times one loan may be renewed
 * @param maxHolds the most open holds one member may have
 * @param pickupWindow how long a copy is kept for a READY hold
 * @param overdueBlock whether a member with a loan overdue beyond {@code overdueGrace} is
 *     refused borrowing and renewing
 * @param overdueGrace how long past its due time a loan may be before it blocks its member
 * @param renewalOverdueLimit how long past its due time a loan may still be renewed
 * @param historyRetention how long circulation events keep naming their member
 */
public record CirculationRules(
    Duration loanPeriod,
    int maxActiveLoans,
    int maxRenewals,
    int maxHolds,
    Duration pickupWindow,
    boolean overdueBlock,
    Duration overdueGrace,
    Duration renewalOverdueLimit,
    Duration historyRetention) {}
