package dev.wabridge.security;

import dev.wabridge.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A seeded mutator of JSON bodies for the fuzz suite: the same seed gives the same bodies, so a failure reproduces
 * with {@code -Dwabridge.fuzz.seed=N}. Mutations are the ones a hostile sender reaches for: a field removed, added
 * or given another type, values at the edges (huge, negative, empty, control characters, forged log lines,
 * non-ASCII, deep nesting, many items), and bytes cut or flipped so the JSON itself breaks.
 */
final class Mutator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] NASTY = {"", " ", "\n", "1065\n2026-12-01 ERROR forged log line", "\u0000",
      "\u202e\u0007", "null", "0", "-1", "1e309", "99999999999999999999999", "<script>alert(1)</script>",
      "http://127.0.0.1:9/secret", "../../etc/passwd", "%00%0a", "wamid.", "msg_", "agt_", "num_sandbox",
      "\ud83d\ude00".repeat(50), "x".repeat(5_000), "\\u0000", "{\"a\":1}", "US.13491208655302741918"};

  private final SplittableRandom random;

  Mutator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** One mutated copy of {@code seed} as bytes; most are still JSON, some are not. */
  byte[] mutate(JsonNode seed) {
    int kind = random.nextInt(20);
    if (kind == 0) {
      return breakBytes(Json.bytes(seed));
    }
    if (kind == 1) {
      return randomTopLevel();
    }
    JsonNode copy = seed.deepCopy();
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits; i++) {
      copy = edit(copy);
    }
    return Json.bytes(copy);
  }

  private JsonNode edit(JsonNode root) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers, 0);
    if (containers.isEmpty()) {
      return value(0);
    }
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ObjectNode o) {
      List<String> names = new ArrayList<>(o.propertyNames());
      int op = random.nextInt(4);
      if (op == 0 && !names.isEmpty()) {
        o.remove(names.get(random.nextInt(names.size())));
      } else if (op == 1 || names.isEmpty()) {
        o.set(pick(new String[] {"id", "from", "type", "text", "phone_number_id", "url", "status", "scope",
            "webhook_url", "messages", "entry", "__proto__", "constructor"}), value(0));
      } else {
        o.set(names.get(random.nextInt(names.size())), value(0));
      }
    } else if (target instanceof ArrayNode a) {
      int op = random.nextInt(3);
      if (op == 0 && !a.isEmpty()) {
        a.remove(random.nextInt(a.size()));
      } else if (op == 1 && !a.isEmpty()) {
        JsonNode item = a.get(random.nextInt(a.size()));
        int copies = random.nextInt(4) == 0 ? 200 + random.nextInt(200) : 1 + random.nextInt(3);
        for (int i = 0; i < copies; i++) {
          a.add(item.deepCopy());
        }
      } else {
        a.add(value(0));
      }
    }
    return root;
  }

  /** The objects and arrays to edit, down to 20 levels (so that deep values are not nested in each other). */
  private static void collect(JsonNode node, List<JsonNode> out, int depth) {
    if ((node.isObject() || node.isArray()) && depth < 20) {
      out.add(node);
      for (JsonNode child : node.values()) {
        collect(child, out, depth + 1);
      }
    }
  }

  private JsonNode value(int depth) {
    return switch (random.nextInt(depth > 3 ? 6 : 9)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(pick(new long[] {0, -1, 1, Integer.MAX_VALUE + 1L, Long.MIN_VALUE, Long.MAX_VALUE}));
      case 3 -> NODES.numberNode(pick(new double[] {-0.0, 1e308, -1e308, 0.5, Double.MIN_VALUE}));
      case 4, 5 -> NODES.stringNode(pick(NASTY));
      case 6 -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.add(value(depth + 1));
        }
        yield a;
      }
      case 7 -> {
        ObjectNode o = NODES.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          o.set(pick(new String[] {"type", "id", "text", "body", "link", "x"}), value(depth + 1));
        }
        yield o;
      }
      default -> deep(100 + random.nextInt(300)); // Jackson writes at most 500 levels
    };
  }

  /** Arrays nested {@code depth} deep: a parser without a depth limit recurses until its stack overflows. */
  private static JsonNode deep(int depth) {
    JsonNode n = NODES.arrayNode();
    for (int i = 0; i < depth; i++) {
      ArrayNode outer = NODES.arrayNode();
      outer.add(n);
      n = outer;
    }
    return n;
  }

  private byte[] breakBytes(byte[] b) {
    if (b.length == 0) {
      return new byte[] {'{'};
    }
    byte[] out = b.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        return java.util.Arrays.copyOf(out, random.nextInt(out.length));
      }
      case 1 -> {
        for (int i = 0; i < 1 + random.nextInt(5); i++) {
          out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
      }
      default -> {
        int at = random.nextInt(out.length);
        byte[] junk = pick(NASTY).getBytes(StandardCharsets.UTF_8);
        byte[] joined = new byte[out.length + junk.length];
        System.arraycopy(out, 0, joined, 0, at);
        System.arraycopy(junk, 0, joined, at, junk.length);
        System.arraycopy(out, at, joined, at + junk.length, out.length - at);
        return joined;
      }
    }
  }

  private byte[] randomTopLevel() {
    String s = pick(new String[] {"", "null", "[]", "{}", "\"x\"", "123", "[{}]", "{\"entry\":null}",
        "{\"entry\":[{\"changes\":[{\"value\":null}]}]}", "\u00ff\u00fe", "[".repeat(5_000), "{\"a\":" .repeat(3_000)});
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private long pick(long[] options) {
    return options[random.nextInt(options.length)];
  }

  private double pick(double[] options) {
    return options[random.nextInt(options.length)];
  }
}
