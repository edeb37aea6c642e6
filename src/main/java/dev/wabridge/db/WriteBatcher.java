package dev.wabridge.db;

import dev.wabridge.config.Tuning;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: units of work submitted from many threads run on one writer thread, many per transaction.
 * A unit's future completes only after the transaction that holds it has committed. If a batch fails, each of
 * its units is retried in a transaction of its own, so one bad unit fails alone: a unit may run twice. What a unit
 * leaves for after its commit it gives its {@link Attempt}, a fresh one each run, so that only the committed run's
 * hooks run, once.
 *
 * <p>One writer is also what SQLite wants (a single writer, no busy retries); PostgreSQL gets the batching, and
 * several writers ({@link Database#writer(String)}).
 * The writer keeps one connection with its statements prepared ({@link Sql}), and opens a new one if it breaks.
 */
public final class WriteBatcher implements AutoCloseable {
  /** A unit of work run inside the batch's transaction. It must not commit or roll back itself. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Handle handle);
  }

  /** A unit of work that leaves work for after its commit ({@link Attempt#afterCommit}). */
  @FunctionalInterface
  public interface Unit<T> {
    T run(Handle handle, Attempt attempt);
  }

  /**
   * One run of a unit. The hooks of a run that was rolled back are dropped with it; those of the committed run
   * run on the writer thread after the commit, before the unit's future completes. A hook must be short (it
   * holds up the writer): start work elsewhere, do not do it.
   */
  public static final class Attempt {
    private List<Runnable> afterCommit;

    private Attempt() {
    }

    public void afterCommit(Runnable hook) {
      if (afterCommit == null) {
        afterCommit = new ArrayList<>(2);
      }
      afterCommit.add(hook);
    }

    private void committed() {
      if (afterCommit == null) {
        return;
      }
      for (Runnable hook : afterCommit) {
        try {
          hook.run();
        } catch (RuntimeException e) {
          LOG.warn("work after a commit failed; what was committed stands", e);
        }
      }
    }
  }

  private record Pending<T>(Unit<T> work, CompletableFuture<T> future) {
    T run(Handle h, Attempt attempt) {
      return work.run(h, attempt);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(WriteBatcher.class);
  private static final Pending<Object> STOP = new Pending<>((h, a) -> null, new CompletableFuture<>());

  private final Jdbi jdbi;
  private final int maxBatch;
  private final int preparedStatements;
  /** Takes a broken connection out of the pool, so that the next one opened is a new one. */
  private final java.util.function.Consumer<java.sql.Connection> evict;
  private Handle handle;
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  WriteBatcher(Jdbi jdbi, java.util.function.Consumer<java.sql.Connection> evict, int number,
               Tuning.Storage tuning) {
    this.jdbi = jdbi;
    this.maxBatch = tuning.writeBatch();
    this.preparedStatements = tuning.preparedStatements();
    this.evict = evict;
    this.thread = Thread.ofPlatform().name("db-writer-" + number).daemon(true).start(this::loop);
  }

  public <T> CompletableFuture<T> submit(Work<T> work) {
    return submit((Unit<T>) (h, attempt) -> work.run(h));
  }

  public <T> CompletableFuture<T> submit(Unit<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("database writer is closed"));
      return f;
    }
    queue.add(new Pending<>(work, f));
    return f;
  }

  /** Submits and waits for the commit; exceptions of the unit are rethrown unwrapped. */
  public <T> T execute(Work<T> work) {
    return join(submit(work));
  }

  /** Waits for a unit's commit; exceptions of the unit are rethrown unwrapped. */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private void loop() {
    try {
      runUntilStopped();
    } finally {
      closeHandle();
      for (Pending<?> p = queue.poll(); p != null; p = queue.poll()) {
        p.future.completeExceptionally(new IllegalStateException("database writer is closed"));
      }
    }
  }

  private void runUntilStopped() {
    List<Pending<?>> batch = new ArrayList<>(maxBatch);
    while (true) {
      try {
        Pending<?> first = queue.take();
        if (first == STOP) {
          return;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        boolean stop = batch.remove(STOP);
        runBatch(batch);
        batch.clear();
        if (stop) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        LOG.error("database writer failed a batch of {}", batch.size(), t);
        for (Pending<?> p : batch) {
          p.future.completeExceptionally(t);
        }
        batch.clear();
      }
    }
  }

  private void runBatch(List<Pending<?>> batch) {
    if (batch.size() == 1) {
      runAlone(batch.getFirst());
      return;
    }
    List<Object> results = new ArrayList<>(batch.size());
    List<Attempt> attempts = new ArrayList<>(batch.size());
    try {
      handle().useTransaction(h -> {
        for (Pending<?> p : batch) {
          Attempt attempt = new Attempt();
          attempts.add(attempt);
          results.add(p.run(h, attempt));
        }
      });
    } catch (RuntimeException e) {
      checkHandle();
      for (Pending<?> p : batch) {
        runAlone(p);
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      attempts.get(i).committed();
      complete(batch.get(i), results.get(i));
    }
  }

  private <T> void runAlone(Pending<T> p) {
    try {
      Attempt attempt = new Attempt();
      T result = handle().inTransaction(h -> p.run(h, attempt));
      attempt.committed();
      p.future.complete(result);
    } catch (RuntimeException e) {
      checkHandle();
      p.future.completeExceptionally(e);
    }
  }

  private Handle handle() {
    if (handle == null) {
      handle = jdbi.open();
      PreparedStatements.keepOn(handle.getConnection(), preparedStatements);
    }
    return handle;
  }

  /** After a failure: if the connection itself broke (a database restart), the next batch opens a new one. */
  private void checkHandle() {
    if (handle == null) {
      return;
    }
    java.sql.Connection c = handle.getConnection();
    boolean valid;
    try {
      valid = c.isValid(2);
    } catch (java.sql.SQLException e) {
      valid = false;
    }
    if (!valid) {
      LOG.warn("database writer's connection broke; opening a new one");
      evict.accept(c);
      closeHandle();
    }
  }

  private void closeHandle() {
    if (handle != null) {
      PreparedStatements.stop();
      try {
        handle.close();
      } catch (RuntimeException ignored) {
        // broken already
      }
      handle = null;
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Pending<T> p, Object result) {
    p.future.complete((T) result);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
