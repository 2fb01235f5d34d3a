package dev.library.runtime.api;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list as every list RPC answers it: the rows, {@code total} (exact, or a lower bound
 * when {@code totalIsLowerBound}), the page number and size after defaults, and the token of the
 * next page (empty on the last page).
 */
public record ListPage<T>(
    List<T> rows,
    int total,
    boolean totalIsLowerBound,
    int page,
    int pageSize,
    String nextPageToken) {

  public static <T> ListPage<T> empty(PageRequest request) {
    return new ListPage<>(List.of(), 0, false, request.page(), request.pageSize(), "");
  }

  public <R> ListPage<R> map(Function<List<T>, List<R>> rowsMapper) {
    return new ListPage<>(
        rows.isEmpty() ? List.of() : rowsMapper.apply(rows),
        total,
        totalIsLowerBound,
        page,
        pageSize,
        nextPageToken);
  }
}
