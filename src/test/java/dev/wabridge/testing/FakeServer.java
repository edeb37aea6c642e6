package dev.wabridge.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on a loopback port that records every request and answers with a programmable function.
 *
 * <p>As a fake Graph API it also answers Meta's phone-number lookup, which wabridge makes before it registers a
 * number ({@code GET /{version}/{phone-number-id}?fields=…display_phone_number…}): by default like Meta for a token
 * that may read the number, whatever the token; {@link #numberLookups} changes that. Lookups are recorded apart
 * ({@link #lookups()}), so tests that count a fake's requests count what they did before.
 */
public final class FakeServer implements AutoCloseable {
  /** A request as received. */
  public record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().getFirst();
        }
      }
      return null;
    }

    public String bodyText() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** An answer. */
  public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Response(int status, String contentType, byte[] body) {
      this(status, contentType, body, Map.of());
    }

    public static Response json(int status, String json) {
      return new Response(status, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Response redirect(String location) {
      return new Response(302, null, null, Map.of("Location", location));
    }
  }

  private final HttpServer server;
  private final String host;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Response> handler;
  private final List<Request> lookups = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Response> lookupHandler = FakeServer::readableNumber;

  public FakeServer(Function<Request, Response> handler) {
    this("127.0.0.1", handler);
  }

  /** On {@code host}, another loopback address such as 127.0.0.2 (Linux routes all of 127/8 to lo). */
  public FakeServer(String host, Function<Request, Response> handler) {
    this.host = host;
    this.handler = handler;
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      server = HttpServer.create(new InetSocketAddress(host, 0), 128);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public void respondWith(Function<Request, Response> h) {
    this.handler = h;
  }

  /** How the phone-number lookup is answered from now on (e.g. with Meta's 190 or 100/33 errors). */
  public void numberLookups(Function<Request, Response> h) {
    this.lookupHandler = h;
  }

  /**
   * As Meta's Graph API for a customer's media, any id: {@code GET /{version}/{media-id}} answers its URL under
   * {@code graphUrl}, which serves four bytes. Null for any other request.
   */
  public static Response metaMedia(Request r, String graphUrl) {
    if (!r.method().equals("GET")) {
      return null;
    }
    if (r.path().startsWith("/lookaside/")) {
      return new Response(200, "application/octet-stream", new byte[] {1, 2, 3, 4});
    }
    String id = r.path().substring(r.path().lastIndexOf('/') + 1);
    return Response.json(200, "{\"url\":\"" + graphUrl + "/lookaside/" + id + "\",\"mime_type\":\"image/jpeg\","
        + "\"file_size\":4,\"id\":\"" + id + "\"}");
  }

  /** Meta's answer to a token that may read the number: its default fields. */
  public static Response readableNumber(Request r) {
    String pnid = r.path().substring(r.path().lastIndexOf('/') + 1);
    return Response.json(200, "{\"verified_name\":\"Test Business\",\"display_phone_number\":\"+1 555-000-1111\","
        + "\"quality_rating\":\"GREEN\",\"id\":\"" + pnid + "\"}");
  }

  private static boolean isNumberLookup(HttpExchange ex) {
    String query = ex.getRequestURI().getQuery();
    return ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().matches("/v\\d+\\.\\d+/\\d+")
        && query != null && query.contains("display_phone_number");
  }

  private void handle(HttpExchange ex) throws IOException {
    Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()),
        ex.getRequestBody().readAllBytes());
    boolean lookup = isNumberLookup(ex);
    (lookup ? lookups : requests).add(r);
    Response resp;
    try {
      resp = (lookup ? lookupHandler : handler).apply(r);
    } catch (RuntimeException e) {
      resp = Response.json(500, "{\"error\":\"fake failed: " + e + "\"}");
    }
    if (resp.contentType() != null) {
      ex.getResponseHeaders().add("Content-Type", resp.contentType());
    }
    resp.headers().forEach(ex.getResponseHeaders()::add);
    byte[] body = resp.body() == null ? new byte[0] : resp.body();
    ex.sendResponseHeaders(resp.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  public String url() {
    return "http://" + host + ":" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** The phone-number lookups received (see the class comment). */
  public List<Request> lookups() {
    return new ArrayList<>(lookups);
  }

  /** As a fake Graph API: the bodies of the text messages sent to it, in order. */
  public List<String> sentTexts() {
    return requests().stream().filter(r -> r.bodyText().contains("\"to\"") && r.bodyText().contains("\"text\""))
        .map(r -> dev.wabridge.support.Json.parse(r.body()).get("text").get("body").asString()).toList();
  }

  public List<Request> requests(String pathSuffix) {
    return requests.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
