package dev.wabridge.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.reply.Draft.Outgoing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docs/replies.md, the agent guide to reply shapes, shows only replies that work: every JSON example in it is sent
 * (none invalid, none dropped), and every error it quotes is what the parser says.
 */
class RepliesGuideTest {
  private static final Path GUIDE = Path.of("docs/replies.md");
  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern JSON_CELL = Pattern.compile("\\| `(\\{\"type\".*?\\})`");

  @Test
  void everyJsonExampleIsAReplyThatIsSent() throws IOException {
    String guide = Files.readString(GUIDE);
    List<JsonNode> examples = new ArrayList<>();
    Matcher block = JSON_BLOCK.matcher(guide);
    while (block.find()) {
      try (var values = Json.MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(block.group(1))) {
        values.forEachRemaining(examples::add);
      }
    }
    Matcher cell = JSON_CELL.matcher(guide);
    while (cell.find()) {
      if (!cell.group(1).contains("[ … ]")) {
        examples.add(Json.parse(cell.group(1)));
      }
    }
    assertThat(examples).hasSizeGreaterThan(30);
    ReplyParser parser = new ReplyParser();
    for (JsonNode example : examples) {
      List<Draft> drafts = parser.parse(example);
      assertThat(drafts).as(example.toString()).isNotEmpty().allMatch(d -> d instanceof Outgoing);
    }
  }

  @Test
  void theQuotedErrorsAreTheParsers() {
    ReplyParser parser = new ReplyParser();
    String fourButtons = "{\"type\": \"interactive\", \"interactive\": {\"type\": \"button\", \"body\": {\"text\": \"P\"}, "
        + "\"action\": {\"buttons\": [" + String.join(", ", List.of(button("a"), button("b"), button("c"),
        button("d"))) + "]}}}";
    String longRow = "[\"x\", {\"type\": \"interactive\", \"interactive\": {\"type\": \"list\", \"body\": {\"text\": \"C\"}, "
        + "\"action\": {\"button\": \"Menu\", \"sections\": [{\"rows\": [{\"id\": \"a\", \"title\": \"" + "t".repeat(25)
        + "\"}]}]}}}]";
    String boolText = "{\"type\": \"template\", \"template\": {\"name\": \"n\", \"language\": {\"code\": \"en\"}, "
        + "\"components\": [{\"type\": \"header\"}, {\"type\": \"body\", \"parameters\": [{\"type\": \"text\", "
        + "\"text\": true}]}]}}";
    List<String> errors = new ArrayList<>();
    for (String reply : List.of(fourButtons, longRow, boolText)) {
      parser.parse(Json.parse(reply)).stream().filter(d -> d instanceof Invalid)
          .forEach(d -> errors.add(((Invalid) d).message()));
    }
    assertThat(errors).containsExactly("interactive.action.buttons[3]: at most 3 buttons (got 4)",
        "[1].interactive.action.sections[0].rows[0].title: must be at most 24 characters (got 25)",
        "template.components[1].parameters[0].text: must be a string");
    try {
      String guide = Files.readString(GUIDE);
      errors.forEach(e -> assertThat(guide).contains(e));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String button(String id) {
    return "{\"type\": \"reply\", \"reply\": {\"id\": \"" + id + "\", \"title\": \"" + id + "\"}}";
  }
}
