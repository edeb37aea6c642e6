package dev.wabridge.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.Json;
import dev.wabridge.config.NetworkPolicy;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.store.Database;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.whatsapp.GraphMedia;
import java.net.URI;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** An agent's media URL is checked against the network policy at every redirect hop, not only the first. */
class OutboundMediaRedirectTest {
  /** Refuses the cloud metadata address only, so the test's loopback servers may be called. */
  static final NetworkPolicy METADATA_REFUSED = new NetworkPolicy(true) {
    @Override
    public String refusal(URI uri) {
      return "169.254.169.254".equals(uri.getHost()) ? "169.254.169.254 is a link-local address" : null;
    }
  };

  static final byte[] PNG = java.util.Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 200);

  @TempDir
  Path dir;
  Database db;
  FakeServer cdn;
  FakeServer graph;
  OutboundMedia media;
  final BusinessNumber number = new BusinessNumber("num_1", "ws_1", "PNID", "+1 555", null, "token", "secret", 80, 0, 0);

  @BeforeEach
  void start() {
    db = Database.sqlite(dir.resolve("wabridge.db"));
    graph = new FakeServer(r -> Response.json(200, "{\"id\":\"UPLOADED\"}"));
    cdn = new FakeServer(r -> switch (r.path()) {
      case "/to-metadata" -> Response.redirect("http://169.254.169.254/latest/meta-data/");
      case "/loop" -> Response.redirect("/loop");
      case "/hop" -> Response.redirect("/cat.png");
      case "/cat.png" -> new Response(200, "image/png", PNG);
      default -> new Response(404, "text/plain", "no".getBytes());
    });
    media = new OutboundMedia(db, new GraphMedia(n -> graph.url(), "v23.0"), METADATA_REFUSED, InstantSource.system());
  }

  @AfterEach
  void stop() {
    cdn.close();
    graph.close();
    db.close();
  }

  private OutboundMedia.Prepared imageAt(String path) {
    ObjectNode message = (ObjectNode) Json.parse("{\"type\":\"image\",\"image\":{\"link\":\"" + cdn.url() + path + "\"}}");
    return media.prepare(number, message);
  }

  @Test
  void aRedirectToARefusedAddressIsNotFollowed() {
    OutboundMedia.Prepared p = imageAt("/to-metadata");
    assertThat(p).isInstanceOf(OutboundMedia.Failed.class);
    OutboundMedia.Failed f = (OutboundMedia.Failed) p;
    assertThat(f.code()).isEqualTo("media_fetch_failed");
    assertThat(f.message()).contains("redirected to http://169.254.169.254/latest/meta-data/")
        .contains("link-local");
    assertThat(f.retryable()).isFalse();
    assertThat(graph.requests()).isEmpty();
  }

  @Test
  void moreThanFiveRedirectsAreRefused() {
    OutboundMedia.Failed f = (OutboundMedia.Failed) imageAt("/loop");
    assertThat(f.message()).contains("redirects more than 5 times");
    assertThat(f.retryable()).isFalse();
    assertThat(cdn.requests("/loop")).hasSize(5);
  }

  @Test
  void anAllowedRedirectIsFollowedAndUploaded() {
    OutboundMedia.Prepared p = imageAt("/hop");
    assertThat(p).isInstanceOf(OutboundMedia.Ready.class);
    assertThat(((OutboundMedia.Ready) p).message().get("image").get("id").asString()).isEqualTo("UPLOADED");
    assertThat(cdn.requests("/cat.png")).hasSize(1);
  }
}
