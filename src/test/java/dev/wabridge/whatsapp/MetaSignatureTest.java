package dev.wabridge.whatsapp;

import dev.wabridge.whatsapp.MetaSignature;
import dev.wabridge.whatsapp.WebhookParser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** X-Hub-Signature-256 over the raw body bytes (whatsapp-cloud-api.md §1.2). */
class MetaSignatureTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final byte[] BODY =
      "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);

  /** Computed here with the JDK directly, not through MetaSignature. */
  private static String expectedHeader(byte[] body, String secret) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  @Test
  void knownVector() {
    byte[] body = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
    assertThat(MetaSignature.sign(body, "key"))
        .isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    assertThat(MetaSignature.verify(body, "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        "key")).isTrue();
  }

  @Test
  void signThenVerifyRoundTrip() throws Exception {
    String header = MetaSignature.sign(BODY, SECRET);
    assertThat(header).matches("sha256=[0-9a-f]{64}").isEqualTo(expectedHeader(BODY, SECRET));
    assertThat(MetaSignature.verify(BODY, header, SECRET)).isTrue();
    assertThat(MetaSignature.verify(new byte[0], MetaSignature.sign(new byte[0], SECRET), SECRET)).isTrue();
  }

  @Test
  void rawFixtureBytesWithEscapedSlashesVerifyButTheirReserializationDoesNot() throws Exception {
    Path file = WebhookParserTest.fixturesDir().resolve("bindambc/mediaUploadError.json");
    byte[] raw = Files.readAllBytes(file);
    assertThat(new String(raw, StandardCharsets.UTF_8)).contains("text\\/html");

    String header = expectedHeader(raw, SECRET);
    assertThat(MetaSignature.sign(raw, SECRET)).isEqualTo(header);
    assertThat(MetaSignature.verify(raw, header, SECRET)).isTrue();
    // the parser still reads it
    assertThat(new WebhookParser().parse(raw)).hasSize(1);

    byte[] reserialized = Json.bytes(Json.parse(raw));
    assertThat(reserialized).isNotEqualTo(raw);
    assertThat(MetaSignature.verify(reserialized, header, SECRET)).isFalse();
  }

  @Test
  void nonAsciiEscapedAsUnicodeEscapesIsHashedAsSent() throws Exception {
    // Meta sends ASCII JSON with lowercase \\uXXXX escapes: "café 😀"
    String wire = "{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"text\":{\"body\":"
        + "\"caf\\u00e9 \\ud83d\\ude00\"}}]},\"field\":\"messages\"}]}]}";
    byte[] raw = wire.getBytes(StandardCharsets.US_ASCII);
    String header = MetaSignature.sign(raw, SECRET);
    assertThat(header).isEqualTo(expectedHeader(raw, SECRET));
    assertThat(MetaSignature.verify(raw, header, SECRET)).isTrue();

    // a body decoded to real UTF-8 characters is different bytes, and does not verify
    byte[] decoded = Json.bytes(Json.parse(raw));
    assertThat(new String(decoded, StandardCharsets.UTF_8)).contains("café 😀");
    assertThat(MetaSignature.verify(decoded, header, SECRET)).isFalse();
  }

  @Test
  void wrongSecretFails() {
    String header = MetaSignature.sign(BODY, SECRET);
    assertThat(MetaSignature.verify(BODY, header, SECRET + "x")).isFalse();
    assertThat(MetaSignature.verify(BODY, header, "")).isFalse();
    assertThat(MetaSignature.verify(BODY, header, null)).isFalse();
  }

  @Test
  void tamperedBodyFails() {
    String header = MetaSignature.sign(BODY, SECRET);
    byte[] tampered = BODY.clone();
    tampered[tampered.length - 2] ^= 1;
    assertThat(MetaSignature.verify(tampered, header, SECRET)).isFalse();
    byte[] longer = (new String(BODY, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
    assertThat(MetaSignature.verify(longer, header, SECRET)).isFalse();
    assertThat(MetaSignature.verify(null, header, SECRET)).isFalse();
  }

  @Test
  void missingHeaderFails() {
    assertThat(MetaSignature.verify(BODY, null, SECRET)).isFalse();
    assertThat(MetaSignature.verify(BODY, "", SECRET)).isFalse();
    assertThat(MetaSignature.verify(BODY, "sha256=", SECRET)).isFalse();
  }

  @Test
  void headerWithoutPrefixFails() {
    String hex = MetaSignature.sign(BODY, SECRET).substring("sha256=".length());
    assertThat(MetaSignature.verify(BODY, hex, SECRET)).isFalse();
    assertThat(MetaSignature.verify(BODY, "sha1=" + hex, SECRET)).isFalse();
    assertThat(MetaSignature.verify(BODY, "sha256:" + hex, SECRET)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"zz", "g", "0x12", "not-hex", "12 34"})
  void nonHexFails(String junk) {
    String header = MetaSignature.sign(BODY, SECRET);
    assertThat(MetaSignature.verify(BODY, "sha256=" + junk, SECRET)).isFalse();
    // one bad character in an otherwise right-length signature
    assertThat(MetaSignature.verify(BODY, header.substring(0, header.length() - 1) + "g", SECRET)).isFalse();
    // an odd number of hex digits
    assertThat(MetaSignature.verify(BODY, header.substring(0, header.length() - 1), SECRET)).isFalse();
  }

  @Test
  void uppercaseHexIsAccepted() {
    String header = MetaSignature.sign(BODY, SECRET);
    String upper = "sha256=" + header.substring("sha256=".length()).toUpperCase();
    assertThat(upper).isNotEqualTo(header);
    assertThat(MetaSignature.verify(BODY, upper, SECRET)).isTrue();
  }

  @Test
  void differentLengthFails() {
    String header = MetaSignature.sign(BODY, SECRET);
    assertThat(MetaSignature.verify(BODY, header.substring(0, header.length() - 2), SECRET)).isFalse();
    assertThat(MetaSignature.verify(BODY, header + "00", SECRET)).isFalse();
    assertThat(MetaSignature.verify(BODY, header + header.substring("sha256=".length()), SECRET)).isFalse();
  }
}
