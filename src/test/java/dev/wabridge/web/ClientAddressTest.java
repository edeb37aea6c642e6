package dev.wabridge.web;

import dev.wabridge.web.ClientAddress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address is the client, from the peer and the forwarding headers, with and without trusted proxies. */
class ClientAddressTest {
  final ClientAddress behindProxies = new ClientAddress(List.of(Cidr.parse("10.0.0.0/24"),
      Cidr.parse("fd00:aa::/64")));
  final ClientAddress direct = new ClientAddress(List.of());

  String client(ClientAddress c, String peer, List<String> forwardedFor, List<String> forwarded) {
    return ClientAddress.group(c.resolve(peer, forwardedFor, forwarded));
  }

  @Test
  void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeadersSay() {
    assertThat(client(direct, "203.0.113.7", List.of("198.51.100.1"), List.of("for=198.51.100.2")))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void aPeerThatIsNoTrustedProxyIsTheClient() {
    assertThat(client(behindProxies, "203.0.113.7", List.of("198.51.100.1"), List.of())).isEqualTo("203.0.113.7");
  }

  @Test
  void behindATrustedProxyTheRightMostUntrustedEntryIsTheClient() {
    assertThat(client(behindProxies, "10.0.0.2", List.of("203.0.113.7"), List.of())).isEqualTo("203.0.113.7");
    assertThat(client(behindProxies, "10.0.0.2", List.of("1.1.1.1, 2.2.2.2, 203.0.113.7"), List.of()))
        .as("entries the client wrote itself are left of its own").isEqualTo("203.0.113.7");
    assertThat(client(behindProxies, "10.0.0.2", List.of("1.1.1.1, 203.0.113.7, 10.0.0.9"), List.of()))
        .as("through two trusted proxies").isEqualTo("203.0.113.7");
    assertThat(client(behindProxies, "10.0.0.2", List.of("1.1.1.1", "203.0.113.7,10.0.0.9"), List.of()))
        .as("over several header lines").isEqualTo("203.0.113.7");
  }

  @Test
  void portsBracketsAndMappedAddressesAreRead() {
    assertThat(client(behindProxies, "10.0.0.2", List.of("203.0.113.7:51234"), List.of())).isEqualTo("203.0.113.7");
    assertThat(client(behindProxies, "10.0.0.2", List.of("[2001:db8:1:2::7]:443"), List.of()))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(client(behindProxies, "10.0.0.2", List.of("2001:db8:1:2:ffff::7"), List.of()))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(client(behindProxies, "[fd00:aa::3]", List.of("::ffff:203.0.113.7"), List.of()))
        .isEqualTo("203.0.113.7");
    assertThat(client(direct, "::ffff:10.0.0.2", List.of(), List.of())).isEqualTo("10.0.0.2");
    assertThat(client(direct, "fe80::1%eth0", List.of(), List.of())).isEqualTo("fe80:0:0:0::/64");
  }

  @Test
  void anIpv6ClientIsOneClientForItsWholeSlash64() {
    assertThat(client(direct, "2001:db8:1:2::1", List.of(), List.of()))
        .isEqualTo(client(direct, "2001:db8:1:2:abcd:ef01:2345:6789", List.of(), List.of()))
        .isNotEqualTo(client(direct, "2001:db8:1:3::1", List.of(), List.of()));
  }

  @Test
  void forwardedIsReadOnlyWithoutXForwardedFor() {
    assertThat(client(behindProxies, "10.0.0.2", List.of(), List.of("for=1.1.1.1, for=\"[2001:db8:5:6::1]:4711\";"
        + "proto=https;by=10.0.0.2"))).isEqualTo("2001:db8:5:6::/64");
    assertThat(client(behindProxies, "10.0.0.2", List.of(), List.of("For=203.0.113.7;proto=http"))).isEqualTo(
        "203.0.113.7");
    assertThat(client(behindProxies, "10.0.0.2", List.of("203.0.113.7"), List.of("for=198.51.100.9")))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void anEntryThatIsNoAddressStopsAtTheTrustedHopToItsRight() {
    assertThat(client(behindProxies, "10.0.0.2", List.of("203.0.113.7, unknown, 10.0.0.3"), List.of()))
        .isEqualTo("10.0.0.3");
    assertThat(client(behindProxies, "10.0.0.2", List.of("unknown"), List.of())).isEqualTo("10.0.0.2");
    assertThat(client(behindProxies, "10.0.0.2", List.of(), List.of("for=_hidden"))).isEqualTo("10.0.0.2");
    assertThat(client(behindProxies, "10.0.0.2", List.of(), List.of("proto=https"))).isEqualTo("10.0.0.2");
    assertThat(client(behindProxies, "10.0.0.2", List.of("[2001:db8::1]x"), List.of())).isEqualTo("10.0.0.2");
  }

  @Test
  void whenEveryHopIsTrustedTheLeftMostReadIsTheClient() {
    assertThat(client(behindProxies, "10.0.0.2", List.of("10.0.0.4, 10.0.0.3"), List.of())).isEqualTo("10.0.0.4");
    assertThat(client(behindProxies, "10.0.0.2", List.of(), List.of())).isEqualTo("10.0.0.2");
  }

  @Test
  void onlySixteenHopsAreRead() {
    String trustedChain = "10.0.0.1, ".repeat(40) + "10.0.0.1";
    assertThat(ClientAddress.entries(List.of("203.0.113.7, " + trustedChain))).hasSize(ClientAddress.MAX_HOPS);
    assertThat(client(behindProxies, "10.0.0.2", List.of("203.0.113.7, " + trustedChain), List.of()))
        .isEqualTo("10.0.0.1");
  }
}
