package dev.wabridge.app;

import dev.wabridge.config.Config;
import dev.wabridge.config.ConfigException;
import dev.wabridge.db.StoreException;
import java.time.InstantSource;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar wabridge.jar [serve]}: starts the server with configuration from the environment. The other
 * subcommands come from plug-ins on the class path ({@link Commands}: the benchmark's).
 */
@Command(name = "wabridge", mixinStandardHelpOptions = true, version = "wabridge " + "${sys:wabridge.version:-dev}",
    description = "Bridge between the WhatsApp Cloud API and your own AI agent's webhook.",
    subcommands = {Main.Serve.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    // Before the first logger exists; a configuration that does not read is reported by serve, in one line.
    try {
      if ("json".equals(Config.fromEnvironment().logFormat())) {
        System.setProperty("wabridge.log.appender", "JSON");
      }
    } catch (ConfigException e) {
      // the text format, then
    }
    CommandLine cli = new CommandLine(new Main());
    for (Commands plugin : ServiceLoader.load(Commands.class)) {
      plugin.commands().forEach(cli::addSubcommand);
    }
    System.exit(cli.execute(args));
  }

  /** No subcommand: serve. */
  @Override
  public void run() {
    new Serve().run();
  }

  @Command(name = "serve", description = "Start the server (the default).")
  static final class Serve implements Runnable {
    @Override
    public void run() {
      Config config;
      try {
        config = Config.fromEnvironment();
      } catch (ConfigException e) {
        System.err.println("wabridge: " + e.getMessage());
        System.exit(2);
        return;
      }
      Wabridge app;
      try {
        app = Wabridge.start(config, InstantSource.system());
      } catch (ConfigException | StoreException e) {
        System.err.println("wabridge: " + e.getMessage());
        System.exit(2);
        return;
      }
      // SIGTERM and Ctrl-C drain (stop taking requests, finish or re-queue in-flight work) and exit 0; the JVM's
      // own handling would exit 143. Other shutdown hooks (logging, JFR) still run.
      for (String signal : new String[] {"TERM", "INT"}) {
        sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> Thread.ofPlatform().start(() -> {
          app.close();
          System.exit(0);
        }));
      }
      Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
      String url = config.publicUrl();
      System.out.println();
      System.out.println("  wabridge " + Wabridge.VERSION + " is listening on port " + app.port());
      System.out.println("  database:  " + (config.usesPostgres() ? config.databaseUrl().get()
          : config.dataDir().resolve("wabridge.db")));
      System.out.println("  webhook:   " + url + "/webhooks/whatsapp  (paste into Meta's app settings)");
      System.out.println("  console:   " + url + "/console   (sign in with the admin key)");
      System.out.println("  API:       " + url + "/api");
      if (config.sandbox()) {
        System.out.println("  sandbox:   " + url + "/sandbox   (chat with your agent, no Meta account needed)");
      }
      app.generatedAdminKey().ifPresentOrElse(
          k -> System.out.println("  admin key: " + k + "   (shown once; it is stored hashed)"),
          () -> System.out.println("  admin key: " + (config.adminKey().isPresent() ? "from WABRIDGE_ADMIN_KEY"
              : "printed at first start; set WABRIDGE_ADMIN_KEY to replace it")));
      System.out.println();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
