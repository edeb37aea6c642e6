package dev.wabridge.app;

import dev.wabridge.net.TenantHttp;
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
import dev.wabridge.web.KeyRoutes;
import dev.wabridge.web.OpenApiRoutes;
import dev.wabridge.web.SessionRoutes;
import dev.wabridge.auth.SessionStore;
import dev.wabridge.outbound.QueuedCount;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.config.Config;
import dev.wabridge.config.Tuning;
import dev.wabridge.auth.RateLimiters;
import dev.wabridge.number.SimulatedNumbers;
import dev.wabridge.web.HttpServer;
import dev.wabridge.web.ConsoleRoutes;
import dev.wabridge.net.NetworkPolicy;
import dev.wabridge.config.PrivateFiles;
import dev.wabridge.config.SecretBox;
import dev.wabridge.web.ConversationRoutes;
import dev.wabridge.conversation.ConversationMerges;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.InboundRecorder;
import dev.wabridge.conversation.Message;
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
import dev.wabridge.status.EarlyStatuses;
import dev.wabridge.status.StatusApplier;
import dev.wabridge.db.Database;
import dev.wabridge.db.Housekeeper;
import dev.wabridge.whatsapp.GraphClient;
import dev.wabridge.whatsapp.GraphMedia;
import dev.wabridge.whatsapp.PhoneNumberLookup;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: one {@link #start} that builds every part with {@code new}, in the order a message flows,
 * registering each part that runs or holds resources with the {@link Lifecycle} as it is built; then the plug-ins
 * found on the class path ({@link Plugin}) are installed on the core's services, and everything starts in the
 * order registered. {@link #close} stops in reverse: stop taking requests, finish or re-queue in-flight work, close
 * the clients, close the database.
 */
public final class Wabridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wabridge.class);
  public static final String VERSION = Optional.ofNullable(Wabridge.class.getPackage().getImplementationVersion())
      .orElse("dev");

  private final Config config;
  private final Lifecycle lifecycle;
  private final Database db;
  private final HttpServer http;
  private final HeldMessages held;
  private final Optional<String> generatedAdminKey;
  private final List<Plugin> plugins;

  private Wabridge(Config config, Lifecycle lifecycle, Database db, HttpServer http, HeldMessages held,
                   Optional<String> generatedAdminKey, List<Plugin> plugins) {
    this.config = config;
    this.lifecycle = lifecycle;
    this.db = db;
    this.http = http;
    this.held = held;
    this.generatedAdminKey = generatedAdminKey;
    this.plugins = plugins;
  }

  public static Wabridge start(Config config, InstantSource clock) {
    LOG.info("{}", config);
    config.warnings().forEach(LOG::warn);
    PrivateFiles.tighten(config.dataDir());
    SecretBox secrets = SecretBox.load(config.secretKey(), config.dataDir());
    Lifecycle lifecycle = new Lifecycle();
    try {
      Wabridge app = build(config, clock, secrets, lifecycle);
      lifecycle.start();
      return app;
    } catch (RuntimeException | Error e) {
      // An Error too: a plug-in that cannot be loaded (ServiceConfigurationError) must not leave the rest running.
      lifecycle.close();
      throw e;
    }
  }

  private static Wabridge build(Config config, InstantSource clock, SecretBox secrets, Lifecycle lifecycle) {
    Tuning tuning = config.tuning();
    String publicUrl = config.publicUrl();
    Database db = lifecycle.closeAtEnd("database", Database.open(config));
    ApiKeyStore keys = new ApiKeyStore(db, secrets, clock, tuning.lookups());
    Optional<String> generatedAdminKey = keys.bootstrap(config.adminKey());

    NumberStore numbers = new NumberStore(db, secrets, clock, tuning.lookups());
    AgentStore agents = new AgentStore(db, secrets, clock, tuning.lookups());
    ConversationStore conversations = new ConversationStore(db, agents::exists);
    StatusApplier statuses = new StatusApplier(db.dialect());
    TurnQueue turns = new TurnQueue(db.dialect(), tuning.turns());
    OutboundQueue outbound = new OutboundQueue(db.dialect(), tuning.sends());
    ReplyParser replies = new ReplyParser();
    WorkspaceQuotas quotas = new WorkspaceQuotas(config.quotas(), db, QueuedCount.of(db, clock));
    ReplyLimits limits = new ReplyLimits(quotas);
    CallbackTokens tokens = new CallbackTokens(secrets);
    RateLimiters rateLimiters = RateLimiters.from(tuning, clock);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    Meters meters = new Meters(registry);

    // A number a plug-in simulates has the plug-in's Graph API; the plug-ins say which once installed, before
    // anything is sent. A shared number no plug-in simulates now (the sandbox was turned off) is not Meta's: its
    // fake token and its simulated customers' messages must not leave for Meta, so its calls go to a path of this
    // server that answers 404, and fail as they did before the sandbox was a plug-in.
    String realGraph = config.graphUrl() + "/" + config.graphVersion();
    String nowhere = publicUrl + "/no-graph-api-for-this-number";
    SimulatedNumbers simulated = new SimulatedNumbers();
    java.util.function.Function<dev.wabridge.number.BusinessNumber, String> graphBase =
        n -> simulated.of(n.id()).map(SimulatedNumbers.Simulated::graphBase)
            .orElse(n.shared() ? nowhere : realGraph);
    GraphClient graph = lifecycle.closeAtEnd("graph client", new GraphClient(graphBase, VERSION,
        tuning.graph().call()));
    PhoneNumberLookup phoneNumbers = lifecycle.closeAtEnd("number lookup", new PhoneNumberLookup(realGraph, VERSION,
        tuning.graph().numberLookup()));
    NetworkPolicy network = NetworkPolicy.guarded(config.agentNetworkAllowlist(), NetworkPolicy.Resolver.SYSTEM,
        publicUrl);
    GraphMedia graphMedia = lifecycle.closeAtEnd("graph media", new GraphMedia(graphBase, VERSION, network,
        tuning.graph().media(), tuning.graph().download()));
    TenantHttp mediaHttp = lifecycle.closeAtEnd("media fetch", new TenantHttp("media-fetch",
        tuning.mediaFetchConnectTimeout(), "wabridge-media-fetch", network));
    AgentClient agentClient = lifecycle.closeAtEnd("agent client", new AgentClient(clock, VERSION, network,
        tuning.agentConnectTimeout()));
    MediaStore media = new MediaStore(db, config.dataDir(), secrets, config.mediaUrl(), clock,
        tuning.mediaLinkValidity());
    MediaPrefetcher mediaPrefetcher = new MediaPrefetcher(new InboundMedia(graphMedia, media), db,
        id -> conversations.message(id).map(Message::media));
    SendWorker sender = new SendWorker(db, outbound, numbers, conversations,
        new MetaChannel(new SendPacer(clock),
            new OutboundMedia(db, graphMedia, mediaHttp, clock, tuning.mediaFetchTimeout()), graph), statuses,
        clock, meters);
    lifecycle.manage("send worker", sender, sender::start, sender::close);
    AgentCallLog calls = new AgentCallLog(db);
    // A merged conversation's sends, turns and calls are moved by their owners, in this order.
    ConversationMerges merges = new ConversationMerges(List.of(outbound, turns, calls));
    TurnRunner dispatcher = new TurnRunner(
        new TurnReader(conversations, agents, numbers, mediaPrefetcher,
            new PayloadLinks(publicUrl, tokens, media::signedUrl)),
        agentClient, new TypingIndicator(graph, tuning.typingRefresh()),
        new TurnOutcomes(db, turns, conversations, calls, new AgentReplies(replies, limits), outbound, sender, clock),
        meters);
    lifecycle.manage("turn dispatcher", dispatcher, dispatcher::start, dispatcher::close);
    HeldMessages held = new HeldMessages(db, conversations, merges, agents, numbers::shared, turns, dispatcher::wake,
        clock);
    lifecycle.manage("held messages", held, () -> held.start(tuning.heldSweep()), held::close);
    Housekeeper housekeeper = new Housekeeper(db, clock, tuning.housekeeping(),
        h -> statuses.applyLate(h, clock.millis()), EarlyStatuses::purge, ReplySubmission::purgeIdempotencyKeys,
        SessionStore::purgeEnded);
    lifecycle.manage("housekeeper", housekeeper, housekeeper::start, housekeeper::close);

    SessionStore sessions = new SessionStore(db, secrets, clock, tuning.sessionIdle(), tuning.sessionMax());
    ApiAuth auth = new ApiAuth(keys, rateLimiters.apiKeys(), rateLimiters.wrongKeys(), sessions,
        new ClientAddress(config.trustedProxies()));
    // Who answers a message: the number's deployed agent, or for a simulated number whom its plug-in says.
    Map<String, WebhookIntake.AgentRouter> pluginRouters = new ConcurrentHashMap<>();
    WebhookIntake.AgentRouter owner = WebhookIntake.AgentRouter.numberOwner(agents);
    WebhookIntake.AgentRouter router = (n, m) -> pluginRouters.getOrDefault(n.id(), owner).route(n, m);
    WebhookIntake intake = new WebhookIntake(db, numbers, new InboundMessages(numbers, router,
        new InboundRecorder(db.dialect(), merges), turns, held, new AwayMessage(outbound, db.dialect()), mediaPrefetcher),
        dispatcher::directStart, statuses, clock, meters);
    WebhookRoutes webhooks = new WebhookRoutes(new WebhookParser(), numbers, intake, () -> {
      dispatcher.wake();
      sender.wake();
    });
    ReplySubmission submissions = new ReplySubmission(db, conversations, replies, outbound, limits, clock);

    HttpServer http = new HttpServer(config.port(), tuning, webhooks, auth)
        .add(new AgentRoutes(agents, numbers, calls, simulated, network, quotas, held)::register)
        .add(new NumberRoutes(numbers, id -> agents.deployedFor(id).isPresent(), publicUrl, phoneNumbers, quotas)
            ::register)
        .add(new ConversationRoutes(db, conversations, submissions, sender::wake, media::signedUrl, clock)::register)
        .add(new MediaRoutes(media)::register)
        .add(new CallbackRoutes(tokens, conversations, submissions, sender::wake, rateLimiters.callbacks(), clock,
            agentId -> agents.byId(agentId).map(Agent::format).orElse(TextFormat.AUTO))::register)
        .add(new KeyRoutes(keys, quotas)::register)
        .add(new SessionRoutes(keys, sessions, auth, publicUrl)::register)
        .add(new OpsRoutes(db, registry)::register)
        .add(new ConsoleRoutes()::register)
        .add(new OpenApiRoutes(publicUrl)::register);

    Core core = new Core(config, clock, db, secrets, numbers, agents, conversations, auth, quotas, mediaHttp, http,
        lifecycle);
    List<Plugin> plugins = new ArrayList<>();
    for (Plugin plugin : ServiceLoader.load(Plugin.class)) {
      if (plugin.enabled(config)) {
        Plugin.Installed installed = plugin.install(core);
        installed.numbers().forEach(simulated::add);
        installed.router().ifPresent(r -> installed.numbers().forEach(n -> pluginRouters.put(n.numberId(), r)));
        plugins.add(plugin);
      }
    }
    // Last to start, first to stop: no request arrives before the workers run or after they stopped.
    lifecycle.manage("http server", http, http::start, http::close);
    return new Wabridge(config, lifecycle, db, http, held, generatedAdminKey, List.copyOf(plugins));
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

  /** What releases the messages that waited for an agent (its sweep runs now and then; tests run it at once). */
  public HeldMessages heldMessages() {
    return held;
  }

  /** An installed plug-in of this type (the sandbox when WABRIDGE_SANDBOX is on). */
  public <T extends Plugin> Optional<T> plugin(Class<T> type) {
    return plugins.stream().filter(type::isInstance).map(type::cast).findFirst();
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
    lifecycle.close();
    LOG.info("stopped");
  }
}
