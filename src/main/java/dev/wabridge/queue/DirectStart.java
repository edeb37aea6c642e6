package dev.wabridge.queue;

import dev.wabridge.queue.QueueWorker;
import java.util.ArrayList;
import java.util.List;

/**
 * Work started by the transaction that creates it. A queue row that is its conversation's only one can be
 * written already leased to this node and started as soon as the transaction commits, instead of being committed
 * as pending, claimed by the {@link QueueWorker}'s loop (another commit) and then started: one commit less on
 * every message's path. A slot is reserved before the transaction, so direct starts never exceed the worker's
 * limit; when none is free the row is queued as pending, as before.
 *
 * <p>Use: {@code take()} inside the unit of work (after {@code reset()}, since a unit may run twice when its
 * batch fails), then exactly one of {@link #committed()} or {@link #cancel()} after it.
 */
public final class DirectStart<C> {
  private final QueueWorker<C> worker;
  private boolean reserved;
  private final List<C> started = new ArrayList<>(1);

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

  /** The unit of work is starting (again): forget what an earlier, rolled-back run took. */
  public void reset() {
    started.clear();
  }

  /** Whether a row written now may be leased and started directly. */
  public boolean available() {
    return reserved && started.isEmpty();
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
    started.add(claim);
  }

  /** After the commit: starts what was taken and gives back the slot if nothing was. */
  public void committed() {
    if (!reserved) {
      return;
    }
    reserved = false;
    if (started.isEmpty()) {
      worker.unreserve();
    } else {
      worker.startReserved(started.getFirst());
    }
  }

  /** The transaction failed: nothing it wrote exists, so the slot is given back. */
  public void cancel() {
    started.clear();
    if (reserved) {
      reserved = false;
      worker.unreserve();
    }
  }
}
