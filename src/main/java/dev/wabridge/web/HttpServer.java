package dev.wabridge.web;

import dev.wabridge.config.Tuning;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one HTTP server: Jetty under Javalin on virtual threads. The composition root and the plug-ins hand it their
 * routes; it puts in front of them what every answer needs (the error handlers, {@code nosniff}, API-key
 * authentication on {@code /api/*}, Meta's webhook POST answered before Javalin's servlet, the cut of slow
 * clients) and serves them in the order they were added.
 */
public final class HttpServer implements AutoCloseable {
  private final int port;
  private final Tuning tuning;
  private final WebhookRoutes webhooks;
  private final ApiAuth auth;
  private final List<Consumer<RoutesConfig>> routes = new ArrayList<>();
  private Javalin javalin;

  /** @param tuning when a slow client is cut, and how long an idle connection is kept */
  public HttpServer(int port, Tuning tuning, WebhookRoutes webhooks, ApiAuth auth) {
    this.port = port;
    this.tuning = tuning;
    this.webhooks = webhooks;
    this.auth = auth;
  }

  /** Adds routes; only before {@link #start}. */
  public synchronized HttpServer add(Consumer<RoutesConfig> register) {
    if (javalin != null) {
      throw new IllegalStateException("routes are added before the server starts");
    }
    routes.add(register);
    return this;
  }

  public synchronized void start() {
    javalin = Javalin.create(cfg -> {
      cfg.concurrency.useVirtualThreads = true;
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.maxRequestSize = WebhookRoutes.MAX_BODY;
      cfg.jetty.port = port;
      // Jetty's per-connection header cache is a ~28 KB trie per open connection: with Meta and the sandbox
      // holding thousands of keep-alive connections it pinned ~200 MB of heap. Parsing without it costs little.
      cfg.jetty.modifyHttpConfiguration(httpConfig -> httpConfig.setHeaderCacheSize(0));
      // Javalin mounts its servlet inside a wrapper it finds on the server: Meta's POSTs are answered there.
      // A client slow to send its request is cut (Jetty's idle timeout restarts with every byte).
      cfg.jetty.modifyServer(server -> {
        server.setHandler(webhooks.frontHandler());
        server.addBean(new SlowClients(server, tuning.requestDeadline(), tuning.minBodyRate(),
            tuning.idleTimeout()));
      });
      ErrorHandlers.register(cfg.routes);
      // Nothing wabridge answers is to be read as another type than it says (a text answer as a script, say).
      cfg.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
      cfg.routes.before("/api/*", auth::authenticate);
      webhooks.register(cfg.routes);
      routes.forEach(r -> r.accept(cfg.routes));
    });
    javalin.start();
  }

  /** The Javalin inside, for tests that list its routes. */
  Javalin javalin() {
    return javalin;
  }

  /** The port it listens on (the one chosen when the configuration said 0). */
  public int port() {
    return javalin.port();
  }

  /** Stops taking requests and lets those in flight finish. */
  @Override
  public synchronized void close() {
    if (javalin != null) {
      javalin.stop();
    }
  }
}
