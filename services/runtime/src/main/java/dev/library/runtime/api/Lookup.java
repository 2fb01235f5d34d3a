package dev.library.runtime.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The answer of a batch lookup by id: the rows found, in the order their ids were asked for, and
 * the ids that matched nothing, in the same order.
 */
public record Lookup<T>(List<T> found, List<UUID> missing) {
  /**
   * Puts {@code rows} (in any order, each with a distinct id) into the order of {@code wanted} and
   * lists the wanted ids without a row.
   */
  public static <T> Lookup<T> inRequestOrder(
      Collection<UUID> wanted, Collection<T> rows, Function<T, UUID> idOf) {
    Map<UUID, T> byId = rows.stream().collect(Collectors.toMap(idOf, Function.identity()));
    List<T> found = new ArrayList<>();
    List<UUID> missing = new ArrayList<>();
    for (UUID id : wanted) {
      T row = byId.get(id);
      if (row == null) {
        missing.add(id);
      } else {
        found.add(row);
      }
    }
    return new Lookup<>(List.copyOf(found), List.copyOf(missing));
  }
}
