package dev.wabridge.store;

import java.util.List;
import org.jdbi.v3.core.Handle;

/** A durable queue whose rows are claimed under a lease by a {@link QueueWorker}. */
public interface LeasedQueue<C> {
  /** Claims up to {@code limit} due rows, leased until {@code leaseUntil}. */
  List<C> claim(Handle h, long now, long leaseUntil, int limit);

  /** The rows ({@code seq}) a claim holds. */
  List<Long> rows(C claim);

  /** How many times the claim was tried before. */
  int attempts(C claim);

  /** Gives a claim back, due again at {@code notBefore}, counting an attempt. */
  void retryLater(Handle h, C claim, long notBefore);

  /** Gives back rows whose lease ran out (their node died). */
  int releaseExpired(Handle h, long now);

  /** Gives back every leased row (at start, when no other node can hold any). */
  int releaseAll(Handle h);
}
