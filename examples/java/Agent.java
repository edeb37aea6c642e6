import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A wabridge agent in one file of plain Java 21 (no dependencies): verifies {@code X-Wabridge-Signature}, answers
 * every reply shape once, and shows {@code reply_callback} for slow answers.
 *
 * <p>Run: {@code WABRIDGE_WEBHOOK_SECRET=whsec_... java Agent.java}
 */
public class Agent {
  static final String SECRET = env("WABRIDGE_WEBHOOK_SECRET", "");
  static final int PORT = Integer.parseInt(env("PORT", "8002"));
  static final String HOST = env("HOST", "127.0.0.1");
  static final double SLOW_SECONDS = Double.parseDouble(env("SLOW_SECONDS", "3"));
  /** Refuse replays: the signed timestamp must be within 5 minutes of now. */
  static final long MAX_AGE_SECONDS = 300;
  static final int MAX_BODY = 1024 * 1024;
  static final String NO_REPLY = "No CUSTOMER message reply";
  static final String IMAGE_URL =
      "https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png";
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public static void main(String[] args) throws IOException {
    if (SECRET.isEmpty()) {
      System.err.println("set WABRIDGE_WEBHOOK_SECRET to the agent's webhook_secret (shown once by POST /api/agents)");
      System.exit(1);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(HOST, PORT), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", Agent::handle);
    server.start();
    System.out.println("agent listening on http://" + HOST + ":" + PORT + "/webhook");
  }

  static void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod()) || !"/webhook".equals(ex.getRequestURI().getPath())) {
        send(ex, 404, Map.of("error", "POST /webhook"));
        return;
      }
      byte[] raw = ex.getRequestBody().readNBytes(MAX_BODY + 1);
      if (raw.length > MAX_BODY) {
        send(ex, 413, Map.of("error", "body too large"));
        return;
      }
      if (!signatureOk(ex.getRequestHeaders().getFirst("X-Wabridge-Signature"), raw)) {
        send(ex, 401, Map.of("error", "bad or stale X-Wabridge-Signature"));
        return;
      }
      Object parsed;
      try {
        parsed = Json.parse(new String(raw, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        send(ex, 400, Map.of("error", "body is not JSON: " + e.getMessage()));
        return;
      }
      if (!(parsed instanceof Map<?, ?> data)) {
        send(ex, 400, Map.of("error", "body is not a JSON object"));
        return;
      }
      String message = data.get("message") instanceof String s ? s : "";
      String customer = data.get("phone_number") instanceof String s ? s : "";
      send(ex, 200, processMessage(message, customer, data));
    }
  }

  /** True when the header is {@code t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">}, t at most 5 min off. */
  static boolean signatureOk(String header, byte[] body) {
    if (header == null) {
      return false;
    }
    List<String> timestamps = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    for (String part : header.split(",")) {
      int eq = part.indexOf('=');
      String key = eq < 0 ? "" : part.substring(0, eq).trim();
      if (key.equals("t")) {
        timestamps.add(part.substring(eq + 1).trim());
      } else if (key.equals("v1")) {
        candidates.add(part.substring(eq + 1).trim());
      }
    }
    if (timestamps.size() != 1 || !timestamps.getFirst().matches("\\d{1,12}") || candidates.isEmpty()) {
      return false;
    }
    long t = Long.parseLong(timestamps.getFirst());
    if (Math.abs(Instant.now().getEpochSecond() - t) > MAX_AGE_SECONDS) {
      return false;
    }
    byte[] expected = hmacHex(t, body).getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (String candidate : candidates) {
      ok |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII)); // constant time
    }
    return ok;
  }

  static String hmacHex(long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Your agent goes here. Returns a reply body (docs/contract.md section 6). */
  static Map<String, Object> processMessage(String message, String customer, Map<?, ?> data) {
    String command = message.strip().toLowerCase(Locale.ROOT);
    String callback = data.get("reply_callback") instanceof String s ? s : null;
    if (command.equals("image")) {
      return obj("type", "image", "url", IMAGE_URL, "caption", "An image reply, with a *caption*");
    }
    if (command.equals("buttons")) {
      return obj("type", "buttons", "content", "Did this help?",
          "buttons", List.of(obj("id", "yes", "title", "Yes"), obj("id", "no", "title", "No")));
    }
    if (command.equals("no reply")) {
      return obj("content", NO_REPLY);
    }
    if (command.equals("slow") && callback != null) {
      String key = data.get("message_id") instanceof String id ? id : callback;
      Thread.ofVirtual().start(() -> replyLater(callback, key, message));
      return obj("type", "message", "content", "Working on it, one moment...");
    }
    if (data.get("image") != null) {
      Object name = data.get("customer_name");
      return obj("type", "message", "content", "Nice picture, " + (name != null ? name : customer) + "!");
    }
    return obj("type", "message", "content", "You said: *" + message + "*\n\nTry: image, buttons, slow, no reply");
  }

  /**
   * Works in the background, then POSTs the answer to reply_callback (valid 24 hours, any number of times). The
   * same Idempotency-Key on every attempt means a retry never sends the customer the message twice.
   */
  static void replyLater(String callbackUrl, String idempotencyKey, String text) {
    try {
      Thread.sleep(Duration.ofMillis((long) (SLOW_SECONDS * 1000)));
      String body = Json.write(obj("type", "message", "content", "Done thinking about: *" + text + "*"));
      for (int attempt = 0; attempt < 3; attempt++) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(callbackUrl)).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
          int status = HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
          System.err.println("reply_callback answered " + status);
          return;
        } catch (IOException e) {
          System.err.println("reply_callback attempt " + (attempt + 1) + " failed: " + e);
          Thread.sleep(Duration.ofSeconds(1L << attempt));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void send(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /** An ordered JSON object from key, value, key, value, … */
  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /**
   * Just enough JSON for this example: objects become ordered maps, arrays lists, numbers Long or Double. In a
   * real project use Jackson or Gson.
   */
  static final class Json {
    private final String s;
    private int i;

    private Json(String s) {
      this.s = s;
    }

    /** Parses one JSON value; throws IllegalArgumentException on anything malformed. */
    static Object parse(String text) {
      Json p = new Json(text);
      Object v = p.value();
      p.space();
      if (p.i != text.length()) {
        throw p.error("unexpected trailing characters");
      }
      return v;
    }

    static String write(Object v) {
      return switch (v) {
        case null -> "null";
        case String str -> quote(str);
        case Map<?, ?> m -> m.entrySet().stream()
            .map(e -> quote(String.valueOf(e.getKey())) + ":" + write(e.getValue()))
            .collect(Collectors.joining(",", "{", "}"));
        case List<?> l -> l.stream().map(Json::write).collect(Collectors.joining(",", "[", "]"));
        default -> String.valueOf(v);
      };
    }

    private static String quote(String str) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : str.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
      }
      return b.append('"').toString();
    }

    private Object value() {
      space();
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(i);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> number();
      };
    }

    private Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      i++;
      space();
      if (peek() == '}') {
        i++;
        return m;
      }
      while (true) {
        space();
        if (peek() != '"') {
          throw error("expected a field name");
        }
        String key = string();
        space();
        expect(':');
        m.put(key, value());
        space();
        if (peek() == ',') {
          i++;
        } else {
          expect('}');
          return m;
        }
      }
    }

    private List<Object> array() {
      List<Object> l = new ArrayList<>();
      i++;
      space();
      if (peek() == ']') {
        i++;
        return l;
      }
      while (true) {
        l.add(value());
        space();
        if (peek() == ',') {
          i++;
        } else {
          expect(']');
          return l;
        }
      }
    }

    private String string() {
      StringBuilder b = new StringBuilder();
      i++;
      while (true) {
        char c = next();
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw error("bad \\u escape");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException x) {
              throw error("bad \\u escape");
            }
            i += 4;
          }
          default -> throw error("bad escape");
        }
      }
    }

    private Object number() {
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      String n = s.substring(start, i);
      try {
        return n.matches("-?\\d{1,18}") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
      } catch (NumberFormatException e) {
        throw error("bad value");
      }
    }

    private Object literal(String word, Object v) {
      if (!s.startsWith(word, i)) {
        throw error("bad value");
      }
      i += word.length();
      return v;
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    private char next() {
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(i++);
    }

    private void expect(char c) {
      if (next() != c) {
        throw error("expected '" + c + "'");
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at offset " + i);
    }
  }
}
