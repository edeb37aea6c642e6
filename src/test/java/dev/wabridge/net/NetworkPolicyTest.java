package dev.wabridge.net;

import dev.wabridge.net.Cidr;

import dev.wabridge.net.IpLiterals;

import dev.wabridge.net.NetworkPolicy;
import dev.wabridge.net.SpecialRanges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The network policy: the blocked-range table at its edges, host spellings, allowlist, default openness. */
class NetworkPolicyTest {
  /** Answers only the names listed; any other lookup is recorded and fails, so literals must never get here. */
  final List<String> lookups = new ArrayList<>();
  final Map<String, List<String>> dns = Map.of("public.example", List.of("93.184.215.14"),
      "mixed.example", List.of("93.184.215.14", "10.0.0.7"), "internal.example", List.of("10.0.0.7"),
      "v6.example", List.of("2606:4700::1111"), "mapped.example", List.of("::ffff:127.0.0.1"));
  final NetworkPolicy.Resolver resolver = host -> {
    lookups.add(host);
    List<String> answers = dns.get(host);
    if (answers == null) {
      throw new UnknownHostException(host);
    }
    List<InetAddress> out = new ArrayList<>();
    for (String a : answers) {
      out.add(InetAddress.getByAddress(host, literal(a)));
    }
    return out;
  };
  final NetworkPolicy guarded = NetworkPolicy.guarded(List.of(), resolver, "http://wabridge.example:8080");

  static byte[] literal(String text) {
    byte[] b = text.contains(":") ? IpLiterals.v6(text) : IpLiterals.v4(text);
    assertThat(b).as(text).isNotNull();
    return b;
  }

  boolean permitted(String address) {
    return guarded.permits(literal(address));
  }

  @Test
  void everyIpv4BlockIsRefusedToItsEdgesAndItsNeighboursAreNot() {
    for (Cidr c : SpecialRanges.V4) {
      BigInteger first = new BigInteger(1, c.network());
      BigInteger last = first.add(BigInteger.ONE.shiftLeft(32 - c.prefix())).subtract(BigInteger.ONE);
      assertThat(guarded.permits(bytes(first, 4))).as("first of " + c).isFalse();
      assertThat(guarded.permits(bytes(last, 4))).as("last of " + c).isFalse();
      for (BigInteger n : List.of(first.subtract(BigInteger.ONE), last.add(BigInteger.ONE))) {
        if (n.signum() >= 0 && n.bitLength() <= 32 && !inTable(bytes(n, 4))) {
          assertThat(guarded.permits(bytes(n, 4))).as("neighbour of " + c).isTrue();
        }
      }
    }
    for (String a : List.of("1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
        "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.0", "192.0.3.0",
        "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255", "8.8.8.8")) {
      assertThat(permitted(a)).as(a).isTrue();
    }
    for (String a : List.of("0.0.0.0", "10.0.0.0", "100.64.0.1", "100.127.255.255", "127.0.0.1", "169.254.169.254",
        "172.31.255.255", "192.0.0.1", "192.168.1.1", "198.19.255.255", "224.0.0.1", "239.255.255.255", "240.0.0.1",
        "255.255.255.255")) {
      assertThat(permitted(a)).as(a).isFalse();
    }
  }

  @Test
  void ipv6IsGlobalUnicastOnlyAndAddressesCarryingIpv4AreJudgedByIt() {
    for (String a : List.of("::", "::1", "::127.0.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe", "64:ff9b:1::808:808", "2002:7f00:1::", "2002:a00:1::1", "100::1", "2001::1",
        "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::1", "3fff::1", "fc00::", "fdff:ffff::1", "fe80::1",
        "febf:ffff::1", "fec0::1", "ff02::1", "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "4000::1", "::ffff:0.0.0.0")) {
      assertThat(permitted(a)).as(a).isFalse();
    }
    for (String a : List.of("::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2001:200::1", "2606:4700::1111",
        "3fff:1000::1", "2000::", "3ffe:ffff::1")) {
      assertThat(permitted(a)).as(a).isTrue();
    }
  }

  @Test
  void everySpellingOfAnInternalAddressIsRefusedWithoutALookup() {
    for (String host : List.of("2130706433", "0x7f000001", "0X7F000001", "0177.0.0.1", "017700000001", "0x7f.1",
        "127.1", "127.0.1", "127.000.000.001", "0", "0x", "0.0.0.0", "127.0.0.1", "127.0.0.1.", "1.2.3.4.5",
        "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:0:0:1]", "[::1]", "::1", "[fe80::1%25lo]",
        "fe80::1%lo", "[2606:4700::1%eth0]", "[::ffff:127.0.0.1.1]", "[1::2::3]", "[gggg::1]", "LOCALHOST",
        "localhost", "localhost.", "a.localhost", "A.LocalHost.")) {
      assertThat(guarded.check(host, 80)).as(host).isInstanceOfSatisfying(NetworkPolicy.Refused.class,
          r -> assertThat(r.reason()).startsWith(NetworkPolicy.REFUSED));
    }
    assertThat(lookups).isEmpty();
  }

  @Test
  void aNameIsRefusedWhenAnyAnswerIsAndUnresolvableNamesLookTheSame() {
    assertThat(guarded.check("public.example", 443)).isInstanceOf(NetworkPolicy.Allowed.class);
    assertThat(guarded.check("PUBLIC.example.", 443)).isInstanceOf(NetworkPolicy.Allowed.class);
    assertThat(guarded.check("v6.example", 443)).isInstanceOf(NetworkPolicy.Allowed.class);
    assertThat(guarded.check("8.8.8.8", 80)).isInstanceOf(NetworkPolicy.Allowed.class);
    assertThat(guarded.check("[2606:4700::1111]", 80)).isInstanceOf(NetworkPolicy.Allowed.class);
    String internal = ((NetworkPolicy.Refused) guarded.check("internal.example", 80)).reason();
    String mixed = ((NetworkPolicy.Refused) guarded.check("mixed.example", 80)).reason();
    String unknown = ((NetworkPolicy.Refused) guarded.check("nowhere.example", 80)).reason();
    assertThat(guarded.check("mapped.example", 80)).isInstanceOf(NetworkPolicy.Refused.class);
    assertThat(internal).doesNotContain("10.0.0.7").contains("WABRIDGE_AGENT_NETWORK_ALLOWLIST");
    assertThat(mixed).doesNotContain("10.0.0.7");
    assertThat(unknown.replace("nowhere", "x")).isEqualTo(internal.replace("internal", "x"));
  }

  @Test
  void theAllowlistOpensItsBlocksOnlyAndTheDefaultWorkspaceIsOpen() {
    NetworkPolicy listed = NetworkPolicy.guarded(NetworkPolicy.parseAllowlist(" 10.1.0.0/16, fd00:1::/64 ,"),
        resolver, null);
    assertThat(listed.permits(literal("10.1.2.3"))).isTrue();
    assertThat(listed.permits(literal("::ffff:10.1.2.3"))).isTrue();
    assertThat(listed.permits(literal("10.2.0.1"))).isFalse();
    assertThat(listed.permits(literal("fd00:1::5"))).isTrue();
    assertThat(listed.permits(literal("fd00:2::1"))).isFalse();
    assertThat(listed.check("internal.example", 80)).isInstanceOf(NetworkPolicy.Refused.class);

    URI loopback = URI.create("http://127.0.0.1:8000/hook");
    assertThat(guarded.forWorkspace("default").refusal(loopback)).isNull();
    assertThat(guarded.forWorkspace("default").isOpen()).isTrue();
    assertThat(guarded.forWorkspace("ws_tenant").refusal(loopback)).startsWith(NetworkPolicy.REFUSED);
    assertThat(NetworkPolicy.open().refusal(URI.create("http://2130706433/"))).isNull();
  }

  @Test
  void wabridgesOwnPublicUrlIsReachableOnItsPortOnly() {
    NetworkPolicy local = NetworkPolicy.guarded(List.of(), resolver, "http://localhost:8080");
    assertThat(local.check("localhost", 8080)).isInstanceOf(NetworkPolicy.Allowed.class);
    assertThat(local.check("localhost", 8081)).isInstanceOf(NetworkPolicy.Refused.class);
    assertThat(local.refusal(URI.create("http://localhost:8080/sandbox/demo-agent"))).isNull();
    assertThat(local.refusal(URI.create("https://localhost/"))).isNotNull();
  }

  /**
   * Finding L6: the exception for wabridge's own URL covered its whole host and port. It covers the demo agent and
   * its files under the URL's path, spelled plainly; any other path there is judged as any other URL would be.
   */
  @Test
  void ofWabridgesOwnUrlOnlyTheDemoAgentPathsAreExcepted() {
    Map<String, String> internalIngress = Map.of("apps.internal", "10.0.0.7", "apps.example", "93.184.215.14");
    NetworkPolicy.Resolver dns = host -> {
      String a = internalIngress.get(host);
      if (a == null) {
        throw new UnknownHostException(host);
      }
      return List.of(InetAddress.getByAddress(host, literal(a)));
    };
    NetworkPolicy ingress = NetworkPolicy.guarded(List.of(), dns, "https://apps.internal/wabridge");
    String base = "https://apps.internal/wabridge";
    for (String ok : List.of("/sandbox/demo-agent", "/sandbox/demo/photo.png", "/sandbox/demo/guide.pdf",
        "/sandbox/demo/photo.png?v=2", "/sandbox/demo/a_b-c.1")) {
      assertThat(ingress.refusal(URI.create(base + ok))).as(ok).isNull();
      assertThat(ingress.requestRefusal(URI.create(base + ok))).as(ok).isNull();
    }
    assertThat(ingress.refusal(URI.create("https://APPS.internal:443/wabridge/sandbox/demo-agent"))).isNull();
    for (String bad : List.of("/", "/other-app/admin", "/sandbox/demo-agent", "/sandbox/demo/photo.png",
        "/wabridge", "/wabridge/", "/wabridge/api/keys", "/wabridge/sandbox/demo-agent/",
        "/wabridge/sandbox/demo-agentx",
        "/wabridge/sandbox/demo-agent;x=1", "/wabridge/sandbox/demo/", "/wabridge/sandbox/demo/..",
        "/wabridge/sandbox/demo/../../admin", "/wabridge/sandbox/demo/%2e%2e/%2e%2e/admin",
        "/wabridge/sandbox/demo/.hidden", "/wabridge/sandbox/demo/a/b", "/wabridge/sandbox/demo/a%2Fb",
        "/wabridge/sandbox/demo/a;b", "/wabridge/sandbox/demo-agent/../../admin", "/wabridgex/sandbox/demo-agent",
        "/WABRIDGE/sandbox/demo-agent")) {
      URI uri = URI.create("https://apps.internal" + bad);
      assertThat(ingress.refusal(uri)).as(bad).startsWith(NetworkPolicy.REFUSED)
          .contains("/wabridge/sandbox/demo-agent").doesNotContain("10.0.0.7");
      assertThat(ingress.requestRefusal(uri)).as(bad).isEqualTo(ingress.refusal(uri));
    }
    // Another port of the same host was never excepted; the connect-time check still lets the own host:port in.
    assertThat(ingress.refusal(URI.create("https://apps.internal:8443/wabridge/sandbox/demo-agent"))).isNotNull();
    assertThat(ingress.check("apps.internal", 443)).isInstanceOf(NetworkPolicy.Allowed.class);
    assertThat(ingress.check("apps.internal", 8443)).isInstanceOf(NetworkPolicy.Refused.class);
    // The default workspace is open everywhere.
    assertThat(ingress.forWorkspace("default").refusal(URI.create(base + "/api/keys"))).isNull();
    assertThat(ingress.forWorkspace("default").requestRefusal(URI.create(base + "/api/keys"))).isNull();

    // Wabridge on a public address: its other paths are as reachable as any public URL.
    NetworkPolicy publicOwn = NetworkPolicy.guarded(List.of(), dns, "https://apps.example/wabridge");
    assertThat(publicOwn.refusal(URI.create("https://apps.example/other-app"))).isNull();
    assertThat(publicOwn.requestRefusal(URI.create("https://apps.example/other-app"))).isNull();
  }

  @Test
  void theRequestTimeCheckLooksNothingUpOffWabridgesOwnHost() {
    assertThat(guarded.requestRefusal(URI.create("http://internal.example/x"))).isNull();
    assertThat(guarded.requestRefusal(URI.create("http://wabridge.example:8081/x"))).isNull();
    assertThat(lookups).isEmpty();
    assertThat(guarded.requestRefusal(URI.create("http://wabridge.example:8080/x"))).startsWith(NetworkPolicy.REFUSED);
  }

  @Test
  void addressBlocksAreReadStrictly() {
    assertThat(Cidr.parse("10.1.0.0/16").toString()).isEqualTo("10.1.0.0/16");
    assertThat(Cidr.parse("10.1.2.3/16")).isEqualTo(Cidr.parse("10.1.0.0/16"));
    assertThat(Cidr.parse("127.0.0.2").prefix()).isEqualTo(32);
    assertThat(Cidr.parse("fd00::/8").contains(literal("fdab::1"))).isTrue();
    for (String bad : List.of("10.1/16", "10.0.0.0/33", "fd00::/129", "example.com/8", "0x0a000000/8", "10.0.0.0/",
        "")) {
      assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(IpLiterals.v6("1:2:3:4:5:6:7:8")).isNotNull();
    assertThat(IpLiterals.v6("1:2:3:4:5:6:7::")).isNotNull();
    assertThat(IpLiterals.v6("::ffff:1.2.3.4")).isNotNull();
    assertThat(IpLiterals.v6("1:2:3:4:5:6:7:8:9")).isNull();
    assertThat(IpLiterals.v6("1:2:3:4:5:6:7")).isNull();
    assertThat(IpLiterals.v6(":1::2")).isNull();
    assertThat(IpLiterals.v6("::01.2.3.4")).isNull();
  }

  private boolean inTable(byte[] address) {
    return SpecialRanges.V4.stream().anyMatch(c -> c.contains(address));
  }

  private static byte[] bytes(BigInteger n, int length) {
    byte[] raw = n.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return out;
  }
}
