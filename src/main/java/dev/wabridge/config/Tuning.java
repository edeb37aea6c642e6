package dev.wabridge.config;

import java.time.Duration;

/**
 * The server's knobs that are not per-deployment settings (those are {@link Config}'s): rate limits, timeouts and
 * the slow-client cut, each a field with today's value as its default, checked once when built, immutable after,
 * and logged once at start by {@link #toString} (it holds no secret). Classes receive their values through their
 * constructors; none keeps a copy as a constant. Every rate limit is here, by name.
 *
 * @param apiKeyRequests requests each API key may make (one window per key); past it, 429
 * @param callbackRequests replies each conversation's reply callback may post
 * @param wrongKeys wrong API keys a client address may present before it is refused for the rest of the window
 * @param lookups how long the stores keep what they looked up (keys, numbers, agents) and how many entries: a
 *     revoked key, a changed number or a deployed agent may be seen as before for that long on another node
 * @param sessionIdle how long a console session lives after its last use
 * @param sessionMax how long a console session lives after sign-in, however much it is used
 * @param mediaLinkValidity how long a signed {@code /media/…} link handed to an agent stays valid
 * @param heldSweep how often the messages held for an agent are checked for one that can now take them (a deploy
 *     seen on another node, a release a crash interrupted)
 * @param agentConnectTimeout connecting to an agent's webhook (the call itself has the agent's own timeout)
 * @param mediaFetchConnectTimeout connecting to a media link the sender fetches to upload to Meta
 * @param typingRefresh how often a typing indicator is sent again while the agent thinks: before Meta's 25 s
 *     expiry, with room for a slow Graph call
 * @param requestDeadline time to send a request's headers (and, at a slow rate, its body), or to start one on a
 *     new connection
 * @param minBodyRate average body rate, in bytes a second, below which a body still arriving after
 *     {@code requestDeadline} is cut
 * @param idleTimeout how long a connection may sit idle between requests: longer than Meta's wait for an answer
 *     (about 20 s) and as long as common load balancers keep theirs, so that Meta's reused connections are not
 *     closed under it between two webhooks more often than anywhere else
 */
public record Tuning(
    Limit apiKeyRequests,
    Limit callbackRequests,
    Limit wrongKeys,
    Cache lookups,
    Duration sessionIdle,
    Duration sessionMax,
    Duration mediaLinkValidity,
    Duration heldSweep,
    Duration agentConnectTimeout,
    Duration mediaFetchConnectTimeout,
    Duration typingRefresh,
    Duration requestDeadline,
    long minBodyRate,
    Duration idleTimeout) {

  /** At most {@code requests} in each {@code window}. */
  public record Limit(int requests, Duration window) {
    public Limit {
      if (requests < 1 || window.isNegative() || window.isZero()) {
        throw new ConfigException("a rate limit needs at least one request in a window longer than zero (got "
            + requests + " per " + window + ")");
      }
    }

    @Override
    public String toString() {
      return requests + " per " + window.toSeconds() + " s";
    }
  }

  /** Lookups kept {@code ttl}, at most {@code entries} of them per cache. */
  public record Cache(Duration ttl, int entries) {
    public Cache {
      positive("a cache's ttl", ttl);
      if (entries < 1) {
        throw new ConfigException("a cache holds at least one entry (got " + entries + ")");
      }
    }

    @Override
    public String toString() {
      return ttl.toMillis() + " ms, " + entries + " entries";
    }
  }

  /** Today's values. */
  public static final Tuning DEFAULTS = new Tuning(
      new Limit(100, Duration.ofSeconds(10)),
      new Limit(100, Duration.ofSeconds(10)),
      new Limit(10, Duration.ofMinutes(15)),
      new Cache(Duration.ofSeconds(5), 10_000),
      Duration.ofHours(12),
      Duration.ofDays(7),
      Duration.ofHours(24),
      Duration.ofSeconds(10),
      Duration.ofSeconds(10),
      Duration.ofSeconds(10),
      Duration.ofSeconds(20),
      Duration.ofSeconds(20),
      16 * 1024,
      Duration.ofSeconds(60));

  public Tuning {
    positive("sessionIdle", sessionIdle);
    positive("sessionMax", sessionMax);
    positive("mediaLinkValidity", mediaLinkValidity);
    positive("heldSweep", heldSweep);
    positive("agentConnectTimeout", agentConnectTimeout);
    positive("mediaFetchConnectTimeout", mediaFetchConnectTimeout);
    positive("typingRefresh", typingRefresh);
    positive("requestDeadline", requestDeadline);
    positive("idleTimeout", idleTimeout);
    if (minBodyRate < 1) {
      throw new ConfigException("minBodyRate must be at least 1 byte a second (got " + minBodyRate + ")");
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new ConfigException(name + " must be longer than zero (got " + d + ")");
    }
  }

  @Override
  public String toString() {
    return "Tuning[rate limits: apiKeyRequests=" + apiKeyRequests + ", callbackRequests=" + callbackRequests
        + ", wrongKeys=" + wrongKeys + "; lookups=" + lookups + ", sessionIdle=" + sessionIdle.toMinutes()
        + " min, sessionMax=" + sessionMax.toMinutes() + " min, mediaLinkValidity=" + mediaLinkValidity.toMinutes()
        + " min, heldSweep=" + heldSweep.toSeconds() + " s, agentConnectTimeout=" + agentConnectTimeout.toSeconds()
        + " s, mediaFetchConnectTimeout=" + mediaFetchConnectTimeout.toSeconds()
        + " s, typingRefresh=" + typingRefresh.toSeconds() + " s, requestDeadline=" + requestDeadline.toSeconds()
        + " s, minBodyRate=" + minBodyRate + " B/s, idleTimeout=" + idleTimeout.toSeconds() + " s]";
  }
}
