package dev.wabridge.sandbox;

import dev.wabridge.net.TenantHttp;
import dev.wabridge.agent.AgentStore;
import dev.wabridge.web.ApiAuth;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.config.Config;
import dev.wabridge.config.SecretBox;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.inbound.WebhookIntake;
import dev.wabridge.web.WebhookRoutes;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.db.Database;
import io.javalin.config.RoutesConfig;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox: a simulated WhatsApp Cloud API inside the server, so anyone can chat with their agent without a
 * Meta account while the production path runs unchanged. Customers' messages reach {@code /webhooks/whatsapp} as
 * signed webhooks over HTTP; wabridge's sends arrive at the simulated Graph API over HTTP; statuses go back as
 * webhooks. Also here: the chat page, its scriptable API, fault injection and the built-in demo agent.
 *
 * <p>Guarantees: the number {@code num_sandbox} exists once {@link #create} returns; a customer's message to it is
 * routed to the agent the customer wrote to, and a business message lands in the chat of the agent that sent it;
 * phones, chats and media belong to a workspace and are never shown to another; phones and their messages are
 * durable, so a restart keeps chats.
 */
public final class Sandbox implements AutoCloseable {
  private final SandboxNumber number;
  private final PhoneStore phones;
  private final ExecutorService executor;
  private final HttpClient http;
  private final WebhookEmitter webhooks;
  private final GraphRoutes graph;
  private final SandboxApiRoutes api;
  private final CredentialRoutes credentials;
  private final ChatPage page;
  private final DemoAgent demo;
  private final PhoneSimulator simulator;
  private final AgentStore agents;

  private Sandbox(SandboxNumber number, PhoneStore phones, ExecutorService executor, HttpClient http,
                  WebhookEmitter webhooks, GraphRoutes graph, SandboxApiRoutes api, CredentialRoutes credentials,
                  ChatPage page, DemoAgent demo, PhoneSimulator simulator, AgentStore agents) {
    this.credentials = credentials;
    this.number = number;
    this.phones = phones;
    this.executor = executor;
    this.http = http;
    this.webhooks = webhooks;
    this.graph = graph;
    this.api = api;
    this.page = page;
    this.demo = demo;
    this.simulator = simulator;
    this.agents = agents;
  }

  /** @param mediaHttp the clients links are fetched with, under each workspace's network policy */
  public static Sandbox create(Database db, NumberStore numbers, AgentStore agents, ConversationStore conversations,
                               ApiAuth auth, WorkspaceQuotas quotas, Config config, TenantHttp mediaHttp,
                               SecretBox secrets, InstantSource clock) {
    String publicUrl = config.publicUrl();
    SandboxNumber number = SandboxNumber.ensure(numbers);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .executor(executor)
        .build();
    PhoneStore phones = new PhoneStore(db);
    CustomerIds ids = new CustomerIds(secrets);
    phones.backfillUserIds(ids::userId);
    SandboxCredentials credentials = new SandboxCredentials(db, secrets, clock);
    SimulatedMedia media = new SimulatedMedia(db, clock, mediaHttp);
    WebhookEmitter webhooks = new WebhookEmitter(publicUrl + WebhookRoutes.PATH, number::current, http, executor);
    PhoneSimulator simulator = new PhoneSimulator(phones, media, webhooks, clock, executor,
        SandboxNumber.DISPLAY.replaceAll("\\D", ""), ids);
    Faults faults = new Faults();
    GraphRoutes graph = new GraphRoutes(number::current, messageId -> conversations.messageIn(messageId)
        .map(m -> new PhoneSimulator.Sender(m.conversation().workspaceId(), m.conversation().agentId())),
        simulator, media, faults, credentials, publicUrl);
    CustomerInput input = new CustomerInput(media, publicUrl + GraphRoutes.BASE + "/lookaside/");
    SandboxApiRoutes api = new SandboxApiRoutes(auth, agents, phones, simulator, input, media, faults, publicUrl,
        quotas);
    CredentialRoutes credentialRoutes = new CredentialRoutes(auth, credentials, number::current, publicUrl,
        config.graphVersion());
    return new Sandbox(number, phones, executor, http, webhooks, graph, api, credentialRoutes, new ChatPage(media),
        new DemoAgent(agents, publicUrl), simulator, agents);
  }

  /**
   * For messages to {@code num_sandbox}: the agent the customer wrote to, as the phone recorded it under the
   * message's wamid (the same number may chat with agents of several workspaces), or empty.
   */
  public WebhookIntake.AgentRouter router() {
    return (n, m) -> phones.byWamid(m.wamid())
        .filter(b -> b.direction().equals(PhoneStore.INBOUND))
        .map(PhoneStore.Bubble::agentId)
        .flatMap(agents::byId);
  }

  public void register(RoutesConfig routes) {
    graph.register(routes);
    api.register(routes);
    credentials.register(routes);
    page.register(routes);
    demo.register(routes);
    CompletableFuture.runAsync(simulator::resendUndelivered,
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, executor));
  }

  /** The sandbox number as stored (for tests and the console). */
  public BusinessNumber number() {
    return number.current();
  }

  @Override
  public void close() {
    webhooks.close();
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    http.shutdownNow();
  }

}
