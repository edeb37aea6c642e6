package dev.wabridge.agent;

import dev.wabridge.support.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * {@code X-Wabridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">} with the agent's
 * webhook secret. The timestamp lets agents refuse replays older than a few minutes.
 */
public final class AgentSignature {
  private AgentSignature() {
  }

  public static String header(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + hex(secret, unixSeconds, body);
  }

  static String hex(String secret, long unixSeconds, byte[] body) {
    Mac mac = HmacSha256.keyed(secret);
    mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }
}
