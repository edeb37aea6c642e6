package dev.wabridge.whatsapp;

import java.util.List;
import dev.wabridge.whatsapp.WebhookEvent;
import dev.wabridge.whatsapp.WebhookParser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.whatsapp.WebhookEvent.IdentityChange;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import dev.wabridge.testing.Meta;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's review: the identity fields a webhook carries (user ids, usernames, group ids) become conversation keys
 * and columns; a body signed by a tenant's own secret must not make them megabytes long or carry control characters.
 */
class IdentityCapsTest {
  private final WebhookParser parser = new WebhookParser();

  private InboundMessage only(String value) {
    return (InboundMessage) parser.parse(Meta.envelope("1", value).getBytes(StandardCharsets.UTF_8)).getFirst();
  }

  @Test
  void oversizedOrControlCharacterIdentitiesAreDropped() {
    String huge = "US." + "9".repeat(100_000);
    InboundMessage m = only("\"contacts\":[{\"profile\":{\"name\":\"N\",\"username\":\"" + "u".repeat(10_000)
        + "\"}}],\"messages\":[{\"from\":\"15550001\",\"from_user_id\":\"" + huge + "\",\"group_id\":\""
        + "g".repeat(100_000) + "\",\"id\":\"wamid.C1\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}]");
    assertThat(m.fromUserId()).isNull();
    assertThat(m.username()).isNull();
    assertThat(m.groupId()).isNull();
    assertThat(m.from()).isEqualTo("15550001");

    InboundMessage ctl = only("\"messages\":[{\"from\":\"15550001\",\"from_user_id\":\"US.1\\n2\",\"group_id\":"
        + "\"g\\u0000\",\"id\":\"wamid.C2\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}]");
    assertThat(ctl.fromUserId()).isNull();
    assertThat(ctl.groupId()).isNull();

    InboundMessage fine = only("\"contacts\":[{\"profile\":{\"name\":\"N\",\"username\":\"@shop.fan\"}}],"
        + "\"messages\":[{\"from\":\"15550001\",\"from_user_id\":\"US.13491208655302741918\",\"group_id\":"
        + "\"Y2FsbGluZy1ncm91cC0x\",\"id\":\"wamid.C3\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}]");
    assertThat(fine.fromUserId()).isEqualTo("US.13491208655302741918");
    assertThat(fine.username()).isEqualTo("@shop.fan");
    assertThat(fine.groupId()).isEqualTo("Y2FsbGluZy1ncm91cC0x");
  }

  /** Final read: the profile name was kept whole, a megabyte of it in every conversation row and page. */
  @Test
  void aProfileNameIsCappedAndKeepsNoControlCharacters() {
    InboundMessage huge = only("\"contacts\":[{\"profile\":{\"name\":\"" + "N".repeat(100_000) + "\"}}],"
        + "\"messages\":[{\"from\":\"15550001\",\"id\":\"wamid.P1\",\"timestamp\":\"1\",\"type\":\"text\","
        + "\"text\":{\"body\":\"x\"}}]");
    assertThat(huge.customerName()).hasSize(WebhookParser.MAX_PROFILE_NAME);
    InboundMessage ctl = only("\"contacts\":[{\"profile\":{\"name\":\"Ana\\nBob\\u0007\"}}],"
        + "\"messages\":[{\"from\":\"15550001\",\"id\":\"wamid.P2\",\"timestamp\":\"1\",\"type\":\"text\","
        + "\"text\":{\"body\":\"x\"}}]");
    assertThat(ctl.customerName()).isEqualTo("Ana Bob");
    assertThat(WebhookParser.profileName("\t ")).isNull();
  }

  /** Final read: a from_user_id shaped as another key ("+phone", "group:…") would have joined that conversation. */
  @Test
  void aUserIdThatIsNotShapedLikeOneIsDropped() {
    for (String forged : List.of("+15550001", "group:G1", "15550001")) {
      InboundMessage m = only("\"messages\":[{\"from\":\"15550002\",\"from_user_id\":\"" + forged + "\",\"id\":"
          + "\"wamid.K1\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}]");
      assertThat(m.fromUserId()).as(forged).isNull();
      assertThat(m.customer().key()).as(forged).isEqualTo("+15550002");
    }
  }

  @Test
  void aSystemMessageNamesOnlyWellFormedNewIdentities() {
    InboundMessage m = only("\"messages\":[{\"from\":\"15550001\",\"id\":\"wamid.C4\",\"timestamp\":\"1\",\"type\":"
        + "\"system\",\"system\":{\"type\":\"user_changed_user_id\",\"previous_user_id\":\"US.1\",\"user_id\":\""
        + "US." + "7".repeat(100_000) + "\",\"wa_id\":\"" + "1".repeat(5_000) + "\"}}]");
    assertThat(IdentityChange.of(m)).isEmpty();
    String update = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"5\",\"changes\":[{\"field\":"
        + "\"user_id_update\",\"value\":{\"user_id\":{\"previous\":\"US.1\",\"current\":\"" + "x".repeat(50_000)
        + "\"}}}]}]}";
    assertThat(parser.parse(update.getBytes(StandardCharsets.UTF_8)).getFirst())
        .isInstanceOf(WebhookEvent.IgnoredChange.class);
  }
}
