package dev.wabridge.config;

import dev.wabridge.net.NetworkPolicy;

import dev.wabridge.net.Cidr;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration, read once from the environment (docs/contract.md section 2), validated, then frozen;
 * the knobs that are not per-deployment settings are its {@link Tuning}.
 * A bad value throws {@link ConfigException} naming the variable and what is expected; {@code warnings} are what
 * the start should log once (a variable that is set but no longer read, and what replaced it).
 */
public record Config(
    int port,
    String publicUrl,
    Path dataDir,
    Optional<String> databaseUrl,
    Optional<String> databaseUser,
    Optional<String> databasePassword,
    Optional<String> adminKey,
    Optional<String> secretKey,
    String graphUrl,
    String graphVersion,
    boolean sandbox,
    String logFormat,
    List<Cidr> agentNetworkAllowlist,
    List<String> warnings,
    String mediaUrl,
    Quotas quotas,
    List<Cidr> trustedProxies,
    Tuning tuning) {

  public static Config fromEnvironment() {
    return from(System.getenv());
  }

  public static Config from(Map<String, String> env) {
    int port = intVar(env, "WABRIDGE_PORT", 8080, 0, 65535);
    String publicUrl = stripSlash(urlVar(env, "WABRIDGE_PUBLIC_URL", "http://localhost:" + port));
    Path dataDir = Path.of(value(env, "WABRIDGE_DATA_DIR").orElse("./data")).toAbsolutePath().normalize();
    Optional<String> dbUrl = value(env, "WABRIDGE_DATABASE_URL");
    dbUrl.ifPresent(u -> {
      if (!u.startsWith("jdbc:postgresql://")) {
        throw new ConfigException("WABRIDGE_DATABASE_URL must start with jdbc:postgresql:// (got '" + u
            + "'); leave it unset to use SQLite in WABRIDGE_DATA_DIR");
      }
    });
    Optional<String> adminKey = value(env, "WABRIDGE_ADMIN_KEY");
    adminKey.ifPresent(k -> {
      if (k.length() < 16) {
        throw new ConfigException("WABRIDGE_ADMIN_KEY must be at least 16 characters; leave it unset to have one generated");
      }
    });
    Optional<String> secretKey = value(env, "WABRIDGE_SECRET_KEY");
    secretKey.ifPresent(SecretBox::parseKey);
    String graphUrl = stripSlash(urlVar(env, "WABRIDGE_GRAPH_URL", "https://graph.facebook.com"));
    String graphVersion = value(env, "WABRIDGE_GRAPH_VERSION").orElse("v23.0");
    if (!graphVersion.matches("v\\d+\\.\\d+")) {
      throw new ConfigException("WABRIDGE_GRAPH_VERSION must look like v23.0 (got '" + graphVersion + "')");
    }
    boolean sandbox = boolVar(env, "WABRIDGE_SANDBOX", true);
    String logFormat = value(env, "WABRIDGE_LOG_FORMAT").orElse("text");
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new ConfigException("WABRIDGE_LOG_FORMAT must be text or json (got '" + logFormat + "')");
    }
    List<Cidr> allowlist = blocksVar(env, "WABRIDGE_AGENT_NETWORK_ALLOWLIST", "such as 10.1.0.0/16,fd00:1::/64");
    List<String> warnings = new ArrayList<>();
    if (env.containsKey("WABRIDGE_BLOCK_PRIVATE_NETWORKS")) {
      warnings.add("WABRIDGE_BLOCK_PRIVATE_NETWORKS is no longer read: agents of the default workspace may reach "
          + "any address and every other workspace is refused private and internal addresses; list the blocks "
          + "other workspaces may reach in WABRIDGE_AGENT_NETWORK_ALLOWLIST");
    }

    // The base of every /media/… link handed out: another origin (e.g. https://media.example.com) keeps customers'
    // files off the console's origin altogether. It must reach this server's /media/ path.
    String mediaUrl = stripSlash(urlVar(env, "WABRIDGE_MEDIA_URL", publicUrl));
    URI media = URI.create(mediaUrl);
    if (media.getRawQuery() != null || media.getRawFragment() != null) {
      throw new ConfigException("WABRIDGE_MEDIA_URL must be a base URL without ? or # such as "
          + "https://media.example.com (got '" + mediaUrl + "'); leave it unset to use WABRIDGE_PUBLIC_URL");
    }
    Quotas quotas = new Quotas(quotaVar(env, "WABRIDGE_QUOTA_NUMBERS", 20),
        quotaVar(env, "WABRIDGE_QUOTA_AGENTS", 50), quotaVar(env, "WABRIDGE_QUOTA_QUEUED_MESSAGES", 10_000));

    // The reverse proxies in front of wabridge: only a request from one of them may say, in X-Forwarded-For or
    // Forwarded, which client it carries. Empty: the connecting address is the client.
    List<Cidr> trustedProxies = blocksVar(env, "WABRIDGE_TRUSTED_PROXIES",
        "of your reverse proxies such as 10.0.0.5/32,fd00::/64");
    trustedProxies.stream().filter(c -> c.prefix() == 0).findFirst().ifPresent(c -> {
      throw new ConfigException("WABRIDGE_TRUSTED_PROXIES must not contain " + c + ": it would let every client "
          + "name its own address in X-Forwarded-For; list only your reverse proxies' blocks");
    });
    return new Config(port, publicUrl, dataDir, dbUrl, value(env, "WABRIDGE_DATABASE_USER"),
        value(env, "WABRIDGE_DATABASE_PASSWORD"), adminKey, secretKey, graphUrl, graphVersion, sandbox,
        logFormat, allowlist, List.copyOf(warnings), mediaUrl, quotas, trustedProxies, Tuning.DEFAULTS);
  }

  public boolean usesPostgres() {
    return databaseUrl.isPresent();
  }

  /** What the start logs once: secrets stay out (the database password, the admin and secret keys are not shown). */
  @Override
  public String toString() {
    return "Config[port=" + port + ", publicUrl=" + publicUrl + ", dataDir=" + dataDir + ", database="
        + databaseUrl.map(u -> u.replaceAll("(?i)(password=)[^&;]*", "$1***")).orElse("sqlite")
        + databaseUser.map(u -> ", databaseUser=" + u).orElse("") + masked(", databasePassword", databasePassword)
        + masked(", adminKey", adminKey) + masked(", secretKey", secretKey) + ", graph=" + graphUrl + "/"
        + graphVersion + ", sandbox=" + sandbox + ", agentNetworkAllowlist=" + agentNetworkAllowlist + ", mediaUrl="
        + mediaUrl + ", trustedProxies=" + trustedProxies + ", quotas=" + quotas + ", logFormat=" + logFormat + ", "
        + tuning + "]";
  }

  private static String masked(String name, Optional<String> secret) {
    return secret.map(s -> name + "=***").orElse("");
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static int intVar(Map<String, String> env, String name, int def, int min, int max) {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number from " + min + " to " + max + " (got '" + v.get() + "')");
    }
  }

  /** Comma-separated address blocks ({@link Cidr}); empty when unset. */
  private static List<Cidr> blocksVar(Map<String, String> env, String name, String example) {
    try {
      return List.copyOf(NetworkPolicy.parseAllowlist(value(env, name).orElse("")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + " must be comma-separated address blocks " + example + ": " + e.getMessage());
    }
  }

  /** A per-workspace quota: a whole number, 0 for unlimited. */
  private static int quotaVar(Map<String, String> env, String name, int def) {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // explained below
    }
    throw new ConfigException(name + " must be a whole number, 0 for unlimited (got '" + v.get() + "')");
  }

  private static boolean boolVar(Map<String, String> env, String name, boolean def) {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return def;
    }
    return switch (v.get().toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigException(name + " must be true or false (got '" + v.get() + "')");
    };
  }

  private static String urlVar(Map<String, String> env, String name, String def) {
    String v = value(env, name).orElse(def);
    try {
      URI uri = URI.create(v);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + " must be an http(s) URL such as https://example.com (got '" + v + "')");
    }
    return v;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
