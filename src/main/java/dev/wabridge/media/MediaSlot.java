package dev.wabridge.media;

import dev.wabridge.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A media object with a {@code link} in an outgoing message, where Meta's message shapes put one: the message's own
 * media ({@code {"type": "image", "image": {…}}}), an interactive message's header, a carousel card's header, and a
 * template's header and carousel parameters. Each of these is an object whose {@code type} names the key of its
 * media object. Links anywhere else (a flow's payload, say) are the agent's data and are not media.
 *
 * @param field how an error names the link: "url" for the message's own media (the field of wabridge's media
 *              shape), else its path, e.g. {@code interactive.header.image.link}
 */
record MediaSlot(MediaKind kind, ObjectNode media, String field) {

  /** The slots of {@code message} that hold a link, in the order they appear. */
  static List<MediaSlot> linksIn(ObjectNode message) {
    List<MediaSlot> out = new ArrayList<>();
    add(message, "", out);
    JsonNode interactive = Json.obj(message, "interactive");
    add(Json.obj(interactive, "header"), "interactive.header", out);
    int c = 0;
    for (JsonNode card : Json.items(Json.obj(interactive, "action"), "cards")) {
      add(Json.obj(card, "header"), "interactive.action.cards[" + c++ + "].header", out);
    }
    components(Json.obj(message, "template"), "template", out);
    return out;
  }

  private static void components(JsonNode parent, String path, List<MediaSlot> out) {
    int i = 0;
    for (JsonNode component : Json.items(parent, "components")) {
      String cf = path + ".components[" + i++ + "]";
      int j = 0;
      for (JsonNode parameter : Json.items(component, "parameters")) {
        add(parameter, cf + ".parameters[" + j++ + "]", out);
      }
      int k = 0;
      for (JsonNode card : Json.items(component, "cards")) {
        components(card, cf + ".cards[" + k++ + "]", out);
      }
    }
  }

  /** {@code holder} when its {@code type} is a media kind and the object of that name has a link. */
  private static void add(JsonNode holder, String path, List<MediaSlot> out) {
    String type = Json.text(holder, "type");
    MediaKind kind = type == null ? null : MediaKind.of(type.toLowerCase(Locale.ROOT));
    JsonNode media = kind == null ? null : Json.obj(holder, type.toLowerCase(Locale.ROOT));
    if (media != null && Json.text(media, "link") != null) {
      String key = type.toLowerCase(Locale.ROOT);
      out.add(new MediaSlot(kind, (ObjectNode) media, path.isEmpty() ? "url" : path + "." + key + ".link"));
    }
  }
}
