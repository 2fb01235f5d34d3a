package dev.library.runtime.errors;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Repeated id fields of requests ({@code ids}, {@code category_ids}, ...): bounded in number, each
 * element a UUID named by its position ({@code category_ids[2]}) when it is not one.
 */
public final class IdLists {
  private IdLists() {}

  /**
   * The distinct UUIDs of {@code values} in request order (first occurrence; ids differing only
   * in letter case count once). Records a violation on {@code field} when it holds more than
   * {@code max} values (the elements are then not checked one by one) or, when {@code required},
   * none; and on {@code field[i]} for each element that is not a UUID.
   */
  public static Set<UUID> check(
      String field, List<String> values, int max, boolean required, FieldViolations violations) {
    Set<UUID> ids = new LinkedHashSet<>();
    if (values.size() > max) {
      violations.add(field, "must hold at most " + max + " ids");
      return ids;
    }
    violations.check(required && values.isEmpty(), field, "must hold at least one id");
    for (int i = 0; i < values.size(); i++) {
      UUID id = Ids.check(field + "[" + i + "]", values.get(i), violations);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }
}
