package dev.wabridge.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.config.Tuning;
import dev.wabridge.support.Json;
import dev.wabridge.net.TenantHttp;
import dev.wabridge.net.Cidr;
import dev.wabridge.net.NetworkPolicy;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.db.Database;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.whatsapp.GraphMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * An agent's media URL is checked against the network policy at every redirect hop, not only the first, and wherever
 * Meta's message shapes put media: the message's own, an interactive or carousel card header, a template parameter.
 */
class OutboundMediaRedirectTest {

  static final byte[] PNG = java.util.Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 200);

  @TempDir
  Path dir;
  Database db;
  FakeServer cdn;
  FakeServer graph;
  /** Stands for an internal address: the policy refuses its port, so it must never be asked for anything. */
  FakeServer internal;
  OutboundMedia media;
  TenantHttp http;
  GraphMedia graphMedia;
  final BusinessNumber number = new BusinessNumber("num_1", "ws_1", "PNID", "+1 555", null, "token", "secret", 80, 0, 0);

  @BeforeEach
  void start() {
    db = Database.sqlite(dir.resolve("wabridge.db"), Tuning.DEFAULTS.storage());
    graph = new FakeServer(r -> Response.json(200, "{\"id\":\"UPLOADED\"}"));
    internal = new FakeServer(r -> new Response(200, "image/png", PNG));
    cdn = new FakeServer("127.0.0.2", r -> {
      if (r.path().startsWith("/chain/")) { // /chain/N redirects N times, then serves the image
        int left = Integer.parseInt(r.path().substring(7));
        return Response.redirect(left <= 1 ? "/cat.png" : "/chain/" + (left - 1));
      }
      return switch (r.path()) {
        case "/to-internal" -> Response.redirect(internal.url() + "/secret.png");
        case "/loop" -> Response.redirect("/loop");
        case "/cat.png" -> new Response(200, "image/png", PNG);
        default -> new Response(404, "text/plain", "no".getBytes());
      };
    });
    // The CDN's address is allowlisted; the internal server's (127.0.0.1) is refused like any loopback address.
    NetworkPolicy policy = NetworkPolicy.guarded(List.of(Cidr.parse("127.0.0.2/32")), NetworkPolicy.Resolver.SYSTEM,
        null);
    http = new TenantHttp("media-test", Duration.ofSeconds(2), "wabridge-media-fetch", policy);
    graphMedia = new GraphMedia(n -> graph.url(), "v23.0", policy, Tuning.DEFAULTS.graph().media(),
        Tuning.DEFAULTS.graph().download());
    media = new OutboundMedia(db, graphMedia, http, InstantSource.system(), Tuning.DEFAULTS.mediaFetchTimeout());
  }

  @AfterEach
  void stop() {
    http.close();
    graphMedia.close();
    cdn.close();
    graph.close();
    internal.close();
    db.close();
  }

  private OutboundMedia.Prepared imageAt(String path) {
    ObjectNode message = (ObjectNode) Json.parse("{\"type\":\"image\",\"image\":{\"link\":\"" + cdn.url() + path + "\"}}");
    return media.prepare(number, "ws_1", message);
  }

  @Test
  void aRedirectToARefusedAddressIsNotFollowed() {
    OutboundMedia.Prepared p = imageAt("/to-internal");
    assertThat(p).isInstanceOf(OutboundMedia.Failed.class);
    OutboundMedia.Failed f = (OutboundMedia.Failed) p;
    assertThat(f.code()).isEqualTo("media_url_refused");
    assertThat(f.message()).contains("refused by network policy").contains("redirect")
        .doesNotContain(internal.url());
    assertThat(f.retryable()).isFalse();
    assertThat(internal.requests()).isEmpty();
    assertThat(graph.requests()).isEmpty();
  }

  @Test
  void fiveRedirectsAreFollowedAndUploaded() {
    OutboundMedia.Prepared p = imageAt("/chain/" + OutboundMedia.MAX_REDIRECTS);
    assertThat(p).isInstanceOf(OutboundMedia.Ready.class);
    assertThat(((OutboundMedia.Ready) p).message().get("image").get("id").asString()).isEqualTo("UPLOADED");
    assertThat(cdn.requests("/cat.png")).hasSize(1);
  }

  @Test
  void aSixthRedirectIsRefused() {
    OutboundMedia.Failed f = (OutboundMedia.Failed) imageAt("/chain/" + (OutboundMedia.MAX_REDIRECTS + 1));
    assertThat(f.message()).contains("redirects more than 5 times");
    assertThat(f.retryable()).isFalse();
    assertThat(cdn.requests("/cat.png")).isEmpty();
    assertThat(((OutboundMedia.Failed) imageAt("/loop")).message()).contains("redirects more than 5 times");
    assertThat(cdn.requests("/loop")).hasSize(1 + OutboundMedia.MAX_REDIRECTS);
  }
  @Test
  void aLinkInAnInteractiveHeaderIsRefusedLikeTheMessagesOwn() {
    ObjectNode message = (ObjectNode) Json.parse("{\"type\":\"interactive\",\"interactive\":{\"type\":\"button\","
        + "\"header\":{\"type\":\"image\",\"image\":{\"link\":\"" + internal.url() + "/secret.png\"}},"
        + "\"body\":{\"text\":\"Pick\"},\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":\"a\","
        + "\"title\":\"A\"}}]}}}");
    OutboundMedia.Failed f = (OutboundMedia.Failed) media.prepare(number, "ws_1", message);
    assertThat(f.code()).isEqualTo("media_url_refused");
    assertThat(f.message()).startsWith("interactive.header.image.link: refused by network policy");
    assertThat(internal.requests()).isEmpty();
    assertThat(graph.requests()).isEmpty();
  }

  @Test
  void everyLinkOfACarouselAndATemplateIsRehostedAndNothingElseChanges() {
    String cat = cdn.url() + "/cat.png";
    ObjectNode carousel = (ObjectNode) Json.parse("{\"type\":\"interactive\",\"interactive\":{\"type\":\"carousel\","
        + "\"body\":{\"text\":\"Pick\"},\"action\":{\"cards\":["
        + "{\"card_index\":0,\"header\":{\"type\":\"image\",\"image\":{\"link\":\"" + cat + "\"}}},"
        + "{\"card_index\":1,\"header\":{\"type\":\"image\",\"image\":{\"link\":\"" + cat + "?b\"}}}]}}}");
    ObjectNode ready = ((OutboundMedia.Ready) media.prepare(number, "ws_1", carousel)).message();
    ObjectNode expected = carousel.deepCopy();
    for (var card : expected.at("/interactive/action/cards").values()) {
      ObjectNode image = (ObjectNode) card.at("/header/image");
      image.remove("link");
      image.put("id", "UPLOADED");
    }
    assertThat(ready).isEqualTo(expected);
    // the same bytes are uploaded once
    assertThat(graph.requests()).hasSize(1);

    ObjectNode template = (ObjectNode) Json.parse("{\"type\":\"template\",\"template\":{\"name\":\"t\","
        + "\"language\":{\"code\":\"en\"},\"components\":[{\"type\":\"header\",\"parameters\":["
        + "{\"type\":\"image\",\"image\":{\"link\":\"" + cat + "\"}}]},{\"type\":\"button\",\"sub_type\":\"flow\","
        + "\"index\":\"0\",\"parameters\":[{\"type\":\"action\",\"action\":{\"flow_action_data\":"
        + "{\"image\":{\"link\":\"" + internal.url() + "/data\"}}}}]}]}}");
    ready = ((OutboundMedia.Ready) media.prepare(number, "ws_1", template)).message();
    assertThat(ready.at("/template/components/0/parameters/0/image").toString()).isEqualTo("{\"id\":\"UPLOADED\"}");
    // a link in a flow's data is the agent's data, not media: it is neither fetched nor changed
    assertThat(ready.at("/template/components/1")).isEqualTo(template.at("/template/components/1"));
    assertThat(internal.requests()).isEmpty();
  }

  @Test
  void aLinkThatIsNoUrlFailsTheMessageWithoutAFetch() {
    // wabridge's own template shape passes its components unread; a bad link there fails at send time
    ObjectNode template = (ObjectNode) Json.parse("{\"type\":\"template\",\"template\":{\"name\":\"t\","
        + "\"components\":[{\"type\":\"header\",\"parameters\":[{\"type\":\"video\",\"video\":"
        + "{\"link\":\"not a url\"}}]}]}}");
    OutboundMedia.Failed f = (OutboundMedia.Failed) media.prepare(number, "ws_1", template);
    assertThat(f.code()).isEqualTo("invalid_content");
    assertThat(f.message()).startsWith("template.components[0].parameters[0].video.link: must be an absolute");
    assertThat(f.retryable()).isFalse();
  }

  @Test
  void aMessageWithMoreMediaLinksThanAMessageCanHoldFailsWithoutAFetch() {
    StringBuilder params = new StringBuilder();
    for (int i = 0; i <= OutboundMedia.MAX_LINKS; i++) {
      params.append(i == 0 ? "" : ",").append("{\"type\":\"image\",\"image\":{\"link\":\"").append(cdn.url())
          .append("/cat.png?").append(i).append("\"}}");
    }
    ObjectNode template = (ObjectNode) Json.parse("{\"type\":\"template\",\"template\":{\"name\":\"t\","
        + "\"components\":[{\"type\":\"body\",\"parameters\":[" + params + "]}]}}");
    OutboundMedia.Failed f = (OutboundMedia.Failed) media.prepare(number, "ws_1", template);
    assertThat(f.code()).isEqualTo("invalid_content");
    assertThat(f.message()).contains("at most " + OutboundMedia.MAX_LINKS + " media links");
    assertThat(cdn.requests()).isEmpty();
  }

  @Test
  void aLinkUploadedBeforeIsNotReusedOnceThePolicyRefusesIt() {
    assertThat(media.prepare(number, "ws_1", (ObjectNode) Json.parse("{\"type\":\"image\",\"image\":{\"link\":\""
        + cdn.url() + "/cat.png\"}}"))).isInstanceOf(OutboundMedia.Ready.class);
    // The same link under a policy that no longer allows the CDN: refused, not served from the upload cache.
    NetworkPolicy closed = NetworkPolicy.guarded(List.of(), NetworkPolicy.Resolver.SYSTEM, null);
    OutboundMedia strict = new OutboundMedia(db, graphMedia, new TenantHttp("media-test-closed", Duration.ofSeconds(2),
        "wabridge-media-fetch", closed), InstantSource.system(), Tuning.DEFAULTS.mediaFetchTimeout());
    Object again = strict.prepare(number, "ws_1", (ObjectNode) Json.parse("{\"type\":\"image\",\"image\":"
        + "{\"link\":\"" + cdn.url() + "/cat.png\"}}"));
    assertThat(again).isInstanceOf(OutboundMedia.Failed.class);
    assertThat(((OutboundMedia.Failed) again).code()).isEqualTo("media_url_refused");
  }
}
