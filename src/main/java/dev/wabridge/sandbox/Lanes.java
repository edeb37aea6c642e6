package dev.wabridge.sandbox;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Runs asynchronous work one piece at a time per key, in submission order; different keys run in parallel. */
final class Lanes {
  private final ConcurrentHashMap<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

  <T> CompletableFuture<T> run(String key, Supplier<CompletableFuture<T>> work) {
    @SuppressWarnings("unchecked")
    CompletableFuture<T>[] box = new CompletableFuture[1];
    tails.compute(key, (k, previous) -> {
      CompletableFuture<?> after = previous == null ? CompletableFuture.completedFuture(null)
          : previous.handle((v, t) -> null);
      box[0] = after.thenCompose(ignored -> work.get());
      return box[0];
    });
    CompletableFuture<T> next = box[0];
    next.whenComplete((v, t) -> tails.remove(key, next));
    return next;
  }
}
