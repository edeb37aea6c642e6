package dev.wabridge.config;

import java.time.Duration;

/**
 * The server's knobs that are not per-deployment settings (those are {@link Config}'s): rate limits, caches,
 * timeouts, the slow-client cut, the queues' and the database's limits and schedules. Each is a field with today's
 * value as its default, checked once when built, immutable after, and logged once at start by {@link #toString} (it
 * holds no secret). Classes receive their values through their constructors; none keeps a copy as a constant. Every
 * rate limit is here, by name. Meta's rules (its pacing, its media cache lifetimes) and the contract's caps (sizes,
 * attempts) are not knobs: they stay constants where they apply.
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
 * @param mediaFetchTimeout fetching an agent's media link, per hop, body included (a 100 MB document needs time on
 *     a slow link)
 * @param graph how long Meta's Graph API is waited for
 * @param turns how the agent calls still to make are worked
 * @param sends how the messages still to send to Meta are worked
 * @param storage the database's writers, connections and batches
 * @param housekeeping how often the rows that only mattered for a while are purged
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
    Duration idleTimeout,
    Duration mediaFetchTimeout,
    Graph graph,
    Queue turns,
    Queue sends,
    Storage storage,
    Housekeeping housekeeping) {

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

  /**
   * How long each Graph API call is waited for, the answer included.
   *
   * @param call a send, a mark-read, a typing indicator
   * @param media asking where a customer's media is, or uploading ours
   * @param download a customer's media, per hop, body included: a 100 MB document must have time to arrive
   * @param numberLookup asking Meta about a number being registered, with the caller's access token
   */
  public record Graph(Duration call, Duration media, Duration download, Duration numberLookup) {
    public Graph {
      positive("graph.call", call);
      positive("graph.media", media);
      positive("graph.download", download);
      positive("graph.numberLookup", numberLookup);
    }

    @Override
    public String toString() {
      return "call " + call.toSeconds() + " s, media " + media.toSeconds() + " s, download " + download.toSeconds()
          + " s, numberLookup " + numberLookup.toSeconds() + " s";
    }
  }

  /**
   * How a leased queue is worked on each node.
   *
   * @param inFlight rows worked on at once (a conversation has at most one in flight, so this many conversations)
   * @param lease how long a claimed row stays with its node: after a crash its rows come due again within this
   * @param renewEvery how often the leases of the rows still worked on are extended; shorter than {@code lease}
   * @param sweepEvery how often rows whose lease ran out (their node died) are given back
   */
  public record Queue(int inFlight, Duration lease, Duration renewEvery, Duration sweepEvery) {
    public Queue {
      if (inFlight < 1) {
        throw new ConfigException("a queue works on at least one row at once (got " + inFlight + ")");
      }
      positive("a queue's lease", lease);
      positive("a queue's renewEvery", renewEvery);
      positive("a queue's sweepEvery", sweepEvery);
      if (renewEvery.compareTo(lease) >= 0) {
        throw new ConfigException("a queue's leases must be renewed more often than they last (renewEvery "
            + renewEvery + ", lease " + lease + ")");
      }
    }

    /** The same, with {@code n} rows at once. */
    public Queue withInFlight(int n) {
      return new Queue(n, lease, renewEvery, sweepEvery);
    }

    @Override
    public String toString() {
      return inFlight + " in flight, lease " + lease.toSeconds() + " s renewed every " + renewEvery.toSeconds()
          + " s, swept every " + sweepEvery.toSeconds() + " s";
    }
  }

  /**
   * The database's writers and connections.
   *
   * @param postgresWriters group-commit writers on PostgreSQL (SQLite has one by nature). A single writer spends
   *     most of its time waiting for round trips, so there is one per core, at least 2, at most 8: more writers than
   *     cores made smaller batches and cost more CPU per message than they won back (README, performance)
   * @param postgresReadConnections PostgreSQL connections for reads, on top of the one each writer keeps
   * @param sqliteConnections SQLite connections, the writer's included
   * @param writeBatch units of work a writer commits together at most
   * @param preparedStatements statements a writer keeps prepared on its connection, least recently used first out
   */
  public record Storage(int postgresWriters, int postgresReadConnections, int sqliteConnections, int writeBatch,
                        int preparedStatements) {
    public Storage {
      atLeast("storage.postgresWriters", postgresWriters, 1);
      atLeast("storage.postgresReadConnections", postgresReadConnections, 1);
      // the writer keeps one for good: reads need another
      atLeast("storage.sqliteConnections", sqliteConnections, 2);
      atLeast("storage.writeBatch", writeBatch, 1);
      atLeast("storage.preparedStatements", preparedStatements, 1);
    }

    @Override
    public String toString() {
      return "postgresWriters=" + postgresWriters + ", postgresReadConnections=" + postgresReadConnections
          + ", sqliteConnections=" + sqliteConnections + ", writeBatch=" + writeBatch + ", preparedStatements="
          + preparedStatements;
    }
  }

  /**
   * The housekeeper's schedule.
   *
   * @param purgeEvery how often the rows that only mattered for a while are deleted (the first time a minute after
   *     start)
   * @param lateStatusesEvery how often statuses that arrived while their send was being recorded on another node
   *     are applied
   */
  public record Housekeeping(Duration purgeEvery, Duration lateStatusesEvery) {
    public Housekeeping {
      positive("housekeeping.purgeEvery", purgeEvery);
      positive("housekeeping.lateStatusesEvery", lateStatusesEvery);
    }

    @Override
    public String toString() {
      return "purgeEvery " + purgeEvery.toMinutes() + " min, lateStatusesEvery " + lateStatusesEvery.toSeconds()
          + " s";
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
      Duration.ofSeconds(60),
      Duration.ofSeconds(60),
      new Graph(Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(10)),
      new Queue(512, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(5)),
      new Queue(256, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(5)),
      new Storage(Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8), 16, 8, 512, 256),
      new Housekeeping(Duration.ofMinutes(10), Duration.ofSeconds(10)));

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
    positive("mediaFetchTimeout", mediaFetchTimeout);
    if (graph == null || turns == null || sends == null || storage == null || housekeeping == null) {
      throw new ConfigException("graph, turns, sends, storage and housekeeping are required");
    }
    if (minBodyRate < 1) {
      throw new ConfigException("minBodyRate must be at least 1 byte a second (got " + minBodyRate + ")");
    }
  }

  private static void atLeast(String name, int n, int min) {
    if (n < min) {
      throw new ConfigException(name + " must be at least " + min + " (got " + n + ")");
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
        + " s, minBodyRate=" + minBodyRate + " B/s, idleTimeout=" + idleTimeout.toSeconds()
        + " s, mediaFetchTimeout=" + mediaFetchTimeout.toSeconds() + " s; graph: " + graph + "; turns: " + turns
        + "; sends: " + sends + "; storage: " + storage + "; housekeeping: " + housekeeping + "]";
  }
}
