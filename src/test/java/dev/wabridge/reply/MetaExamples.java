package dev.wabridge.reply;

import dev.wabridge.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's example request bodies for {@code POST /{phone-number-id}/messages} (test resource
 * {@code meta-examples/send-message.json}, every example of the operation in Meta's OpenAPI file by its name there;
 * see the README beside it), and a structural comparison of a produced message with one of them.
 *
 * <p>A tree is flattened to its paths ({@code interactive.action.buttons[].reply.title}; every element of an array is
 * read under {@code []}, so an array's path set is the union of its elements'). Two trees compare as: the paths only
 * ours has, the paths only Meta's has (each reported at its top-most path: {@code contacts[].org}, not also
 * {@code contacts[].org.company}), the common paths whose JSON value type differs, and the common {@code type} /
 * {@code sub_type} fields and booleans whose values differ. Other values are not compared, since most of the
 * example's are placeholders ({@code <BUTTON_TEXT>}, {@code http(s)://image-url}).
 */
final class MetaExamples {
  /** The envelope the sender adds (GraphClient): not part of what ReplyParser produces. */
  static final Set<String> ENVELOPE = Set.of("messaging_product", "recipient_type", "to", "context");
  /** Short names the tests use for the examples they compare wabridge's own shapes with. */
  private static final Map<String, String> SHORT = Map.ofEntries(
      Map.entry("text", "Send Text Message"),
      Map.entry("text-preview-url", "Send Text Message with Preview URL"),
      Map.entry("image", "Send Image Message by URL"),
      Map.entry("video", "Send Video Message by URL"),
      Map.entry("audio", "Send Audio Message by URL"),
      Map.entry("document", "Send Document Message by URL"),
      Map.entry("document-by-id", "Send Document Message by ID"),
      Map.entry("sticker", "Send Sticker Message by URL"),
      Map.entry("contacts", "Send Contact Message"),
      Map.entry("location", "Send Location Message"),
      Map.entry("reply-button", "Send Reply Button"),
      Map.entry("list", "Send List Message"),
      Map.entry("template", "Send Message Template Interactive"),
      Map.entry("template-no-components", "Send Test Message"),
      Map.entry("reaction", "Send Reply with Reaction Message"));
  private static final ObjectNode ALL = load();

  private MetaExamples() {
  }

  private static ObjectNode load() {
    String resource = "/meta-examples/send-message.json";
    try (InputStream in = MetaExamples.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return (ObjectNode) Json.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every example, by Meta's name for it ("Send Reply Button"), in the file's order. */
  static Set<String> names() {
    return new java.util.LinkedHashSet<>(ALL.propertyNames());
  }

  /** The example body {@code name} (a short name or Meta's), whole; a fresh copy. */
  static ObjectNode example(String name) {
    JsonNode e = ALL.get(SHORT.getOrDefault(name, name));
    if (e == null) {
      throw new IllegalArgumentException("no Meta example " + name);
    }
    return (ObjectNode) e.deepCopy();
  }

  /** The example body without the envelope: {@code {"type": T, T: {...}}}, what a Draft.Outgoing message holds. */
  static ObjectNode message(String name) {
    ObjectNode m = example(name);
    ENVELOPE.forEach(m::remove);
    return m;
  }

  /** How {@code ours} differs from {@code meta} in structure; {@link Diff#NONE} when it does not. */
  static Diff diff(JsonNode ours, JsonNode meta) {
    Map<String, Set<String>> a = new TreeMap<>();
    Map<String, Set<String>> b = new TreeMap<>();
    Map<String, Set<String>> av = new TreeMap<>();
    Map<String, Set<String>> bv = new TreeMap<>();
    flatten(ours, "", a, av);
    flatten(meta, "", b, bv);
    Set<String> onlyOurs = topMost(a.keySet(), b.keySet());
    Set<String> onlyMeta = topMost(b.keySet(), a.keySet());
    Map<String, String> types = new TreeMap<>();
    Map<String, String> values = new TreeMap<>();
    for (String p : a.keySet()) {
      if (b.containsKey(p) && !a.get(p).equals(b.get(p))) {
        types.put(p, a.get(p) + " vs " + b.get(p));
      }
      if (av.containsKey(p) && bv.containsKey(p) && !av.get(p).equals(bv.get(p))) {
        values.put(p, av.get(p) + " vs " + bv.get(p));
      }
    }
    return new Diff(onlyOurs, onlyMeta, types, values);
  }

  private static void flatten(JsonNode node, String path, Map<String, Set<String>> types,
                              Map<String, Set<String>> values) {
    if (!path.isEmpty()) {
      types.computeIfAbsent(path, k -> new TreeSet<>()).add(node.getNodeType().name().toLowerCase());
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        JsonNode v = e.getValue();
        boolean constant = (e.getKey().equals("type") || e.getKey().equals("sub_type")) && v.isString();
        if (constant || v.isBoolean()) {
          values.computeIfAbsent(p, k -> new TreeSet<>()).add(v.asString());
        }
        flatten(v, p, types, values);
      }
    } else if (node.isArray()) {
      for (JsonNode v : node.values()) {
        flatten(v, path + "[]", types, values);
      }
    }
  }

  /** The paths of {@code mine} not in {@code theirs} whose parent is in {@code theirs} (or that have none). */
  private static Set<String> topMost(Set<String> mine, Set<String> theirs) {
    return mine.stream()
        .filter(p -> !theirs.contains(p))
        .filter(p -> parent(p) == null || theirs.contains(parent(p)))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String parent(String path) {
    if (path.endsWith("[]")) {
      return path.substring(0, path.length() - 2);
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? null : path.substring(0, dot);
  }

  /**
   * @param onlyOurs paths we produce that Meta's example does not have
   * @param onlyMeta paths Meta's example has that we do not produce
   * @param types    common paths with a different JSON type: "[ours] vs [meta]"
   * @param values   common type/sub_type/boolean fields with different values: "[ours] vs [meta]"
   */
  record Diff(Set<String> onlyOurs, Set<String> onlyMeta, Map<String, String> types, Map<String, String> values) {
    static final Diff NONE = new Diff(Set.of(), Set.of(), Map.of(), Map.of());

    Diff ours(String... paths) {
      return new Diff(union(onlyOurs, paths), onlyMeta, types, values);
    }

    Diff meta(String... paths) {
      return new Diff(onlyOurs, union(onlyMeta, paths), types, values);
    }

    Diff value(String path, String oursVsMeta) {
      Map<String, String> v = new TreeMap<>(values);
      v.put(path, oursVsMeta);
      return new Diff(onlyOurs, onlyMeta, types, v);
    }

    private static Set<String> union(Set<String> set, String... more) {
      Set<String> s = new TreeSet<>(set);
      s.addAll(Set.of(more));
      return s;
    }
  }
}
