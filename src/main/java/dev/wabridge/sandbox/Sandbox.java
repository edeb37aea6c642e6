package dev.wabridge.sandbox;

import dev.wabridge.agent.AgentStore;
import dev.wabridge.app.Core;
import dev.wabridge.inbound.WebhookIntake;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.web.WebhookRoutes;
import io.javalin.config.RoutesConfig;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
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
  private final AgentStore agents;
  private final ExecutorService executor;
  private final HttpClient http;
  private final WebhookEmitter webhooks;
  private final PhoneSimulator simulator;
  /** The route sets: the simulated Graph API, the chat's API, faults, credentials, the page, the demo agent. */
  private final List<Consumer<RoutesConfig>> routes;

  private Sandbox(SandboxNumber number, PhoneStore phones, AgentStore agents, ExecutorService executor,
                  HttpClient http, WebhookEmitter webhooks, PhoneSimulator simulator,
                  List<Consumer<RoutesConfig>> routes) {
    this.number = number;
    this.phones = phones;
    this.agents = agents;
    this.executor = executor;
    this.http = http;
    this.webhooks = webhooks;
    this.simulator = simulator;
    this.routes = routes;
  }

  /** Builds it on the core's services; links are fetched with {@link Core#mediaHttp()}, under each workspace's policy. */
  public static Sandbox create(Core core) {
    String publicUrl = core.config().publicUrl();
    SandboxNumber number = SandboxNumber.ensure(core.numbers());
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .executor(executor)
        .build();
    PhoneStore phones = new PhoneStore(core.db());
    CustomerIds ids = new CustomerIds(core.secrets());
    phones.backfillUserIds(ids::userId);
    SandboxCredentials credentials = new SandboxCredentials(core.db(), core.secrets(), core.clock());
    SimulatedMedia media = new SimulatedMedia(core.db(), core.clock(), core.mediaHttp());
    WebhookEmitter webhooks = new WebhookEmitter(publicUrl + WebhookRoutes.PATH, number::current, http, executor);
    PhoneSimulator simulator = new PhoneSimulator(phones, media, webhooks, core.clock(), executor,
        SandboxNumber.DISPLAY.replaceAll("\\D", ""), ids);
    Faults faults = new Faults();
    GraphRoutes graph = new GraphRoutes(number::current, messageId -> core.conversations().messageIn(messageId)
        .map(m -> new PhoneSimulator.Sender(m.conversation().workspaceId(), m.conversation().agentId())),
        simulator, media, faults, credentials, publicUrl);
    CustomerInput input = new CustomerInput(media, publicUrl + GraphRoutes.BASE + "/lookaside/");
    SandboxApiRoutes api = new SandboxApiRoutes(core.auth(), core.agents(), phones, simulator, input, media,
        publicUrl, core.quotas());
    CredentialRoutes credentialRoutes = new CredentialRoutes(core.auth(), credentials, number::current, publicUrl,
        core.config().graphVersion());
    List<Consumer<RoutesConfig>> routes = List.of(graph::register, api::register,
        new FaultRoutes(core.auth(), faults)::register, credentialRoutes::register, new ChatPage(media)::register,
        new DemoAgent(core.agents(), publicUrl)::register);
    return new Sandbox(number, phones, core.agents(), executor, http, webhooks, simulator, routes);
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

  public void register(RoutesConfig r) {
    routes.forEach(set -> set.accept(r));
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
