package dev.library.runtime.db;

import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Makes every transaction a request commits also mark the request's request_id as applied, in
 * the same transaction: a crash can then never leave work done without the ledger knowing (the
 * service code does nothing for it; it has no request_id in view).
 */
public final class LedgerMarkingTransactionHandler extends DelegatingTransactionHandler {
  private final Supplier<Optional<RequestOutcomeDao.Key>> currentRequest;

  public LedgerMarkingTransactionHandler(
      TransactionHandler delegate, Supplier<Optional<RequestOutcomeDao.Key>> currentRequest) {
    super(delegate);
    this.currentRequest = currentRequest;
  }

  @Override
  public TransactionHandler specialize(Handle handle) throws SQLException {
    return new LedgerMarkingTransactionHandler(getDelegate().specialize(handle), currentRequest);
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
      throws X {
    return super.inTransaction(handle, marking(callback));
  }

  @Override
  public <R, X extends Exception> R inTransaction(
      Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
    return super.inTransaction(handle, level, marking(callback));
  }

  private <R, X extends Exception> HandleCallback<R, X> marking(HandleCallback<R, X> callback) {
    return h -> {
      R result = callback.withHandle(h);
      currentRequest.get().ifPresent(key -> new RequestOutcomeDao(h).markApplied(key));
      return result;
    };
  }
}
