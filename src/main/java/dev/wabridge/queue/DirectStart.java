package dev.wabridge.queue;

import dev.wabridge.db.WriteBatcher;
import java.util.concurrent.CompletableFuture;

/**
 * Work started by the transaction that creates it. A queue row that is its conversation's only one can be
 * written already leased to this node and started as soon as the transaction commits, instead of being committed
 * as pending, claimed by the {@link QueueWorker}'s loop (another commit) and then started: one commit less on
 * every message's path. A slot is reserved before the transaction, so direct starts never exceed the worker's
 * limit; when none is free the row is queued as pending, as before.
 *
 * <p>Use: run the unit of work through {@link #submit} or {@link #execute}, and {@link #take} inside it. They
 * start what the committed run took (a unit may run twice when its batch fails; each run starts afresh), or give
 * the slot back when nothing was taken or the transaction failed.
 */
public final class DirectStart<C> {
  private final QueueWorker<C> worker;
  private boolean reserved;
  /** What the current run of the unit of work took, or null. */
  private C taken;

  /** Reserves one slot on {@code worker}, if one is free. */
  public DirectStart(QueueWorker<C> worker) {
    this.worker = worker;
    this.reserved = worker.reserve();
  }

  /** Nothing at all is started; for callers that leave every row to the loop. */
  public static <C> DirectStart<C> none() {
    return new DirectStart<>();
  }

  private DirectStart() {
    this.worker = null;
    this.reserved = false;
  }

  /**
   * Runs {@code work} on {@code writer} with this start: what it {@link #take}s starts once the transaction has
   * committed, before the returned future completes; if it fails, the slot is given back.
   */
  public <T> CompletableFuture<T> submit(WriteBatcher writer, WriteBatcher.Unit<T> work) {
    CompletableFuture<T> f = writer.submit((h, attempt) -> {
      taken = null;
      T result = work.run(h, attempt);
      attempt.afterCommit(this::committed);
      return result;
    });
    // The caller's future is the one that completes after the slot is given back: a caller that sees the failure
    // may reserve again at once and must find the slot free.
    return f.whenComplete((result, failure) -> {
      if (failure != null) {
        cancel();
      }
    });
  }

  /** As {@link #submit}, waiting for the commit; exceptions of the unit are rethrown unwrapped. */
  public <T> T execute(WriteBatcher writer, WriteBatcher.Work<T> work) {
    return WriteBatcher.join(submit(writer, (h, attempt) -> work.run(h)));
  }

  /** Whether a row written now may be leased and started directly. */
  public boolean available() {
    return reserved && taken == null;
  }

  /** The lease to write on a directly started row. */
  public long leaseUntil() {
    return worker.leaseUntil();
  }

  /** Inside the unit: this row was written leased; it starts after the commit. */
  public void take(C claim) {
    if (!available()) {
      throw new IllegalStateException("no slot reserved");
    }
    taken = claim;
  }

  /**
   * After the commit: starts what was taken and gives back the slot if nothing was. {@link #submit} calls it; call
   * it yourself only for a transaction of your own, outside a {@link WriteBatcher}.
   */
  public void committed() {
    if (!reserved) {
      return;
    }
    reserved = false;
    if (taken == null) {
      worker.unreserve();
    } else {
      worker.startReserved(taken);
    }
  }

  /** The transaction failed, or none ran: nothing it wrote exists, so the slot is given back. */
  public void cancel() {
    taken = null;
    if (reserved) {
      reserved = false;
      worker.unreserve();
    }
  }
}
