package dev.wabridge.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.config.Tuning;
import dev.wabridge.net.NetworkPolicy;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a media download may lead and who gets the number's token: the Graph API origin (here a loopback fake,
 * as WABRIDGE_GRAPH_URL points tests), https under the number's workspace policy, the token only to the first
 * URL's origin when that is Graph's or Meta's media host, redirects by hand.
 */
class GraphMediaTest {
  static final byte[] BYTES = {1, 2, 3, 4};
  FakeServer graph;
  /** Another loopback port: an internal service, never to be asked for anything. */
  FakeServer internal;
  GraphMedia media;

  @BeforeEach
  void start() {
    internal = new FakeServer(r -> new Response(200, "image/png", BYTES));
    graph = new FakeServer(r -> {
      String id = r.path().substring(r.path().lastIndexOf('/') + 1);
      return switch (r.path()) {
        case "/lookaside/hop" -> Response.redirect("/lookaside/final");
        case "/lookaside/final" -> new Response(200, "image/png", BYTES);
        case "/lookaside/to-internal" -> Response.redirect(internal.url() + "/x");
        case "/lookaside/to-https-internal" -> Response.redirect("https://localhost:" + internal.port() + "/x");
        case "/lookaside/loop" -> Response.redirect("/lookaside/loop");
        default -> Response.json(200, "{\"url\":\"" + switch (id) {
          case "HOP" -> graph.url() + "/lookaside/hop";
          case "PLAIN" -> internal.url() + "/x";
          case "FILE" -> "file:///etc/passwd";
          case "TLS" -> "https://localhost:" + internal.port() + "/x";
          default -> graph.url() + "/lookaside/" + id.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        } + "\",\"mime_type\":\"image/png\"}");
      };
    });
    media = new GraphMedia(n -> graph.url() + "/v23.0", "test",
        NetworkPolicy.guarded(List.of(), NetworkPolicy.Resolver.SYSTEM, null), Tuning.DEFAULTS.graph().media(),
        Tuning.DEFAULTS.graph().download());
  }

  @AfterEach
  void stop() {
    media.close();
    graph.close();
    internal.close();
  }

  static BusinessNumber number(String workspaceId) {
    return new BusinessNumber("num_1", workspaceId, "123", "+1", null, "the-token", "s", 80, 0, 0);
  }

  @Test
  void aRedirectWithinTheGraphOriginIsFollowedWithTheToken() {
    assertThat(media.download(number("ws_t"), "HOP", 1024)).isInstanceOfSatisfying(GraphMedia.Downloaded.class,
        d -> assertThat(d.bytes()).isEqualTo(BYTES));
    assertThat(graph.requests("/lookaside/hop")).singleElement()
        .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer the-token"));
    assertThat(graph.requests("/lookaside/final")).singleElement()
        .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer the-token"));
  }

  @Test
  void offTheGraphOriginOnlyHttpsWhereTheWorkspaceMayConnectIsFollowed() {
    for (String id : List.of("PLAIN", "FILE", "TLS", "TO_INTERNAL", "TO_HTTPS_INTERNAL")) {
      GraphMedia.Result r = media.download(number("ws_t"), id, 1024);
      assertThat(r).as(id).isInstanceOfSatisfying(GraphMedia.Failed.class, f -> {
        assertThat(f.error().code()).isEqualTo("media_url_refused");
        assertThat(f.error().message()).startsWith(NetworkPolicy.REFUSED).doesNotContain(internal.url());
        assertThat(f.retryable()).isFalse();
      });
    }
    // Plain http off the Graph origin is refused even for the operator's own workspace, whose policy is open.
    assertThat(media.download(number("default"), "PLAIN", 1024)).isInstanceOf(GraphMedia.Failed.class);
    assertThat(internal.requests()).isEmpty();
  }

  @Test
  void redirectsAreFollowedFiveTimesAtMost() {
    assertThat(media.download(number("ws_t"), "LOOP", 1024)).isInstanceOfSatisfying(GraphMedia.Failed.class,
        f -> assertThat(f.error().message()).contains("more than " + GraphMedia.MAX_REDIRECTS));
    assertThat(graph.requests("/lookaside/loop")).hasSize(1 + GraphMedia.MAX_REDIRECTS);
  }

  @Test
  void theTokenGoesOnlyToTheGraphOriginOrMetasMediaHostOverHttps() {
    String g = "https://graph.facebook.com:443";
    assertThat(GraphMedia.tokenOrigin(URI.create("https://graph.facebook.com/v23.0/x"), g)).isEqualTo(g);
    assertThat(GraphMedia.tokenOrigin(URI.create("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"),
        g)).isEqualTo("https://lookaside.fbsbx.com:443");
    assertThat(GraphMedia.tokenOrigin(URI.create("https://LOOKASIDE.fbsbx.com:443/x"), g))
        .isEqualTo("https://lookaside.fbsbx.com:443");
    for (String other : List.of("http://lookaside.fbsbx.com/x", "https://lookaside.fbsbx.com:8443/x",
        "https://lookaside.fbsbx.com.evil.example/x", "https://evil.example/x", "http://graph.facebook.com/x",
        "https://graph.facebook.com:8443/x", "https://cdn.fbsbx.com/x")) {
      assertThat(GraphMedia.tokenOrigin(URI.create(other), g)).as(other).isNull();
    }
  }
}
