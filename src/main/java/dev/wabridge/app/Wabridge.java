package dev.wabridge.app;

import dev.wabridge.net.TenantHttp;
import dev.wabridge.web.SlowClients;
import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentCallLog;
import dev.wabridge.agent.AgentClient;
import dev.wabridge.web.AgentRoutes;
import dev.wabridge.agent.AgentStore;
import dev.wabridge.agent.HeldMessages;
import dev.wabridge.agent.AgentReplies;
import dev.wabridge.agent.PayloadLinks;
import dev.wabridge.agent.TurnOutcomes;
import dev.wabridge.agent.TurnReader;
import dev.wabridge.agent.TurnRunner;
import dev.wabridge.agent.TurnQueue;
import dev.wabridge.agent.TypingIndicator;
import dev.wabridge.web.ApiAuth;
import dev.wabridge.auth.ApiKeyStore;
import dev.wabridge.web.ClientAddress;
import dev.wabridge.web.ErrorHandlers;
import dev.wabridge.auth.KeyRateLimiter;
import dev.wabridge.web.KeyRoutes;
import dev.wabridge.web.OpenApiRoutes;
import dev.wabridge.web.SessionRoutes;
import dev.wabridge.auth.SessionStore;
import dev.wabridge.outbound.QueuedCount;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.config.Config;
import dev.wabridge.web.ConsoleRoutes;
import dev.wabridge.net.NetworkPolicy;
import dev.wabridge.config.PrivateFiles;
import dev.wabridge.config.SecretBox;
import dev.wabridge.web.ConversationRoutes;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.InboundRecorder;
import dev.wabridge.inbound.AwayMessage;
import dev.wabridge.inbound.InboundMessages;
import dev.wabridge.inbound.WebhookIntake;
import dev.wabridge.whatsapp.WebhookParser;
import dev.wabridge.web.WebhookRoutes;
import dev.wabridge.media.InboundMedia;
import dev.wabridge.media.MediaPrefetcher;
import dev.wabridge.web.MediaRoutes;
import dev.wabridge.media.MediaStore;
import dev.wabridge.media.OutboundMedia;
import dev.wabridge.support.Meters;
import dev.wabridge.web.OpsRoutes;
import dev.wabridge.web.NumberRoutes;
import dev.wabridge.number.NumberStore;
import dev.wabridge.outbound.MetaChannel;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.outbound.SendPacer;
import dev.wabridge.outbound.SendWorker;
import dev.wabridge.web.CallbackRoutes;
import dev.wabridge.reply.CallbackTokens;
import dev.wabridge.outbound.ReplyLimits;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.outbound.ReplySubmission;
import dev.wabridge.reply.TextFormat;
import dev.wabridge.sandbox.Sandbox;
import dev.wabridge.status.EarlyStatuses;
import dev.wabridge.status.StatusApplier;
import dev.wabridge.db.Database;
import dev.wabridge.db.Housekeeper;
import dev.wabridge.whatsapp.GraphClient;
import dev.wabridge.whatsapp.GraphMedia;
import dev.wabridge.whatsapp.PhoneNumberLookup;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part with {@code new}, in the order a message flows, starts the workers
 * and the HTTP server, and stops them in reverse (stop taking requests, finish or re-queue in-flight work,
 * close the database).
 */
public final class Wabridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wabridge.class);
  public static final String VERSION = Optional.ofNullable(Wabridge.class.getPackage().getImplementationVersion())
      .orElse("dev");

  private final Config config;
  private final Database db;
  private final Javalin http;
  private final TurnRunner dispatcher;
  private final SendWorker sender;
  private final Housekeeper housekeeper;
  private final HeldMessages held;
  private final Optional<String> generatedAdminKey;
  private final Optional<Sandbox> sandbox;
  /** The outbound HTTP clients, closed after the workers that use them. */
  private final List<AutoCloseable> clients;

  private Wabridge(Config config, Database db, Javalin http, TurnRunner dispatcher, SendWorker sender,
                   Housekeeper housekeeper, HeldMessages held, Optional<String> generatedAdminKey,
                   Optional<Sandbox> sandbox, List<AutoCloseable> clients) {
    this.sandbox = sandbox;
    this.held = held;
    this.clients = clients;
    this.housekeeper = housekeeper;
    this.config = config;
    this.db = db;
    this.http = http;
    this.dispatcher = dispatcher;
    this.sender = sender;
    this.generatedAdminKey = generatedAdminKey;
  }

  public static Wabridge start(Config config, InstantSource clock) {
    config.warnings().forEach(LOG::warn);
    PrivateFiles.tighten(config.dataDir());
    SecretBox secrets = SecretBox.load(config.secretKey(), config.dataDir());
    Database db = Database.open(config);
    try {
      return assemble(config, clock, secrets, db);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static Wabridge assemble(Config config, InstantSource clock, SecretBox secrets, Database db) {
    String publicUrl = config.publicUrl();
    ApiKeyStore keys = new ApiKeyStore(db, secrets, clock);
    Optional<String> generatedAdminKey = keys.bootstrap(config.adminKey());

    NumberStore numbers = new NumberStore(db, secrets, clock);
    AgentStore agents = new AgentStore(db, secrets, clock);
    ConversationStore conversations = new ConversationStore(db, agents::exists);
    StatusApplier statuses = new StatusApplier(db.dialect());
    TurnQueue turns = new TurnQueue(db.dialect());
    OutboundQueue outbound = new OutboundQueue(db.dialect());
    ReplyParser replies = new ReplyParser();
    WorkspaceQuotas quotas = new WorkspaceQuotas(config.quotas(), db, QueuedCount.of(conversations, clock));
    ReplyLimits limits = new ReplyLimits(quotas);
    CallbackTokens tokens = new CallbackTokens(secrets);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    Meters meters = new Meters(registry);

    String realGraph = config.graphUrl() + "/" + config.graphVersion();
    String sandboxGraph = publicUrl + "/sandbox/graph/" + config.graphVersion();
    java.util.function.Function<dev.wabridge.number.BusinessNumber, String> graphBase =
        n -> NumberStore.SANDBOX_ID.equals(n.id()) ? sandboxGraph : realGraph;
    GraphClient graph = new GraphClient(graphBase, VERSION);
    PhoneNumberLookup phoneNumbers = new PhoneNumberLookup(realGraph, VERSION);
    NetworkPolicy network = NetworkPolicy.guarded(config.agentNetworkAllowlist(), NetworkPolicy.Resolver.SYSTEM,
        publicUrl);
    GraphMedia graphMedia = new GraphMedia(graphBase, VERSION, network);
    TenantHttp mediaHttp = new TenantHttp("media-fetch", Duration.ofSeconds(10), "wabridge-media-fetch", network);
    MediaStore media = new MediaStore(db, config.dataDir(), secrets, config.mediaUrl(), clock);
    MediaPrefetcher mediaPrefetcher = new MediaPrefetcher(new InboundMedia(graphMedia, media), db);
    SendWorker sender = new SendWorker(db, outbound, numbers, conversations,
        new MetaChannel(new SendPacer(clock), new OutboundMedia(db, graphMedia, mediaHttp, clock), graph), statuses,
        clock, meters);
    AgentCallLog calls = new AgentCallLog(db);
    AgentClient agentClient = new AgentClient(clock, VERSION, network);
    TurnRunner dispatcher = new TurnRunner(
        new TurnReader(conversations, agents, numbers, mediaPrefetcher,
            new PayloadLinks(publicUrl, tokens, media::signedUrl)),
        agentClient, new TypingIndicator(graph, TypingIndicator.META_REFRESH),
        new TurnOutcomes(db, turns, conversations, calls, new AgentReplies(replies, limits), outbound, sender, clock),
        meters);
    HeldMessages held = new HeldMessages(db, conversations, agents, turns, dispatcher::wake, clock);

    SessionStore sessions = new SessionStore(db, secrets, clock);
    ApiAuth auth = new ApiAuth(keys, new KeyRateLimiter(clock, 100, 10_000), sessions,
        new ClientAddress(config.trustedProxies()), clock);
    Optional<Sandbox> sandbox = config.sandbox()
        ? Optional.of(Sandbox.create(db, numbers, agents, conversations, auth, quotas, config, mediaHttp, secrets,
            clock))
        : Optional.empty();
    WebhookIntake.AgentRouter router = sandbox.<WebhookIntake.AgentRouter>map(sb -> (n, m) ->
            NumberStore.SANDBOX_ID.equals(n.id()) ? sb.router().route(n, m) : agents.ownerFor(n.id()))
        .orElse(WebhookIntake.AgentRouter.numberOwner(agents));
    WebhookIntake intake = new WebhookIntake(db, numbers, new InboundMessages(numbers, router, new InboundRecorder(db.dialect()), turns,
        held, new AwayMessage(outbound, db.dialect()), mediaPrefetcher), dispatcher::directStart, statuses, clock,
        meters);
    WebhookRoutes webhooks = new WebhookRoutes(new WebhookParser(), numbers, intake, () -> {
      dispatcher.wake();
      sender.wake();
    });
    ReplySubmission submissions = new ReplySubmission(db, conversations, replies, outbound, limits, clock);

    Javalin http = Javalin.create(cfg -> {
      cfg.concurrency.useVirtualThreads = true;
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.maxRequestSize = WebhookRoutes.MAX_BODY;
      cfg.jetty.port = config.port();
      // Jetty's per-connection header cache is a ~28 KB trie per open connection: with Meta and the sandbox
      // holding thousands of keep-alive connections it pinned ~200 MB of heap. Parsing without it costs little.
      cfg.jetty.modifyHttpConfiguration(httpConfig -> httpConfig.setHeaderCacheSize(0));
      // Javalin mounts its servlet inside a wrapper it finds on the server: Meta's POSTs are answered there.
      // A client slow to send its request is cut (Jetty's idle timeout restarts with every byte).
      cfg.jetty.modifyServer(server -> {
        server.setHandler(webhooks.frontHandler());
        server.addBean(new SlowClients(server));
      });
      ErrorHandlers.register(cfg.routes);
      // Nothing wabridge answers is to be read as another type than it says (a text answer as a script, say).
      cfg.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
      cfg.routes.before("/api/*", auth::authenticate);
      webhooks.register(cfg.routes);
      new AgentRoutes(agents, numbers, calls, publicUrl, network, quotas, held).register(cfg.routes);
      new NumberRoutes(numbers, id -> agents.deployedFor(id).isPresent(), publicUrl, phoneNumbers, quotas)
          .register(cfg.routes);
      new ConversationRoutes(db, conversations, submissions, sender::wake, media::signedUrl, clock)
          .register(cfg.routes);
      new MediaRoutes(media).register(cfg.routes);
      new CallbackRoutes(tokens, conversations, submissions, sender::wake, new KeyRateLimiter(clock, 100, 10_000),
          clock, agentId -> agents.byId(agentId).map(Agent::format).orElse(TextFormat.AUTO)).register(cfg.routes);
      new KeyRoutes(keys, quotas).register(cfg.routes);
      new SessionRoutes(keys, sessions, auth, publicUrl).register(cfg.routes);
      new OpsRoutes(db, registry).register(cfg.routes);
      new ConsoleRoutes().register(cfg.routes);
      new OpenApiRoutes(publicUrl).register(cfg.routes);
      sandbox.ifPresent(sb -> sb.register(cfg.routes));
    });
    sender.start();
    dispatcher.start();
    held.start();
    http.start();
    Housekeeper housekeeper = new Housekeeper(db, clock, h -> statuses.applyLate(h, clock.millis()),
        EarlyStatuses::purge, ReplySubmission::purgeIdempotencyKeys, SessionStore::purgeEnded).start();
    return new Wabridge(config, db, http, dispatcher, sender, housekeeper, held, generatedAdminKey, sandbox,
        List.of(agentClient, graph, graphMedia, mediaHttp, phoneNumbers));
  }

  public int port() {
    return http.port();
  }

  public Config config() {
    return config;
  }

  public Database database() {
    return db;
  }

  /** What releases the messages that waited for an agent (its sweep runs every 10 s; tests run it at once). */
  public HeldMessages heldMessages() {
    return held;
  }

  /** The simulated WhatsApp when WABRIDGE_SANDBOX is on. */
  public Optional<Sandbox> sandbox() {
    return sandbox;
  }

  /** The admin key when this start generated it (first start without WABRIDGE_ADMIN_KEY). */
  public Optional<String> generatedAdminKey() {
    return generatedAdminKey;
  }

  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  /** Idempotent: the signal handler and the shutdown hook may both call it. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("stopping: no new requests; finishing in-flight work");
    http.stop();
    sandbox.ifPresent(Sandbox::close);
    housekeeper.close();
    held.close();
    dispatcher.close();
    sender.close();
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", client, e);
      }
    }
    db.close();
    LOG.info("stopped");
  }
}
