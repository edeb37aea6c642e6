package dev.wabridge.auth;

import dev.wabridge.config.Tuning;
import java.time.InstantSource;

/**
 * Every rate limiter of the server, named in one place, each with its settings from {@link Tuning} (the pair and
 * number pacing of sends is Meta's, in {@code outbound.SendPacer}).
 *
 * @param apiKeys requests per API key, on {@code /api/*}
 * @param callbacks replies per conversation, on the reply callback
 * @param wrongKeys wrong keys per client address, before it is refused
 */
public record RateLimiters(KeyRateLimiter apiKeys, KeyRateLimiter callbacks, AuthThrottle wrongKeys) {

  public static RateLimiters from(Tuning tuning, InstantSource clock) {
    return new RateLimiters(keyLimiter(tuning.apiKeyRequests(), clock), keyLimiter(tuning.callbackRequests(), clock),
        new AuthThrottle(clock, tuning.wrongKeys().requests(), tuning.wrongKeys().window().toMillis()));
  }

  private static KeyRateLimiter keyLimiter(Tuning.Limit limit, InstantSource clock) {
    return new KeyRateLimiter(clock, limit.requests(), limit.window().toMillis());
  }
}
