package dev.wabridge.sandbox;

import dev.wabridge.support.Workspaces;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.number.NumberStore.NewNumber;
import dev.wabridge.support.Ids;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared sandbox number {@code num_sandbox}: created once with a phone_number_id no real number can have
 * (Meta's ids never start with 0) and credentials generated on the spot, stored encrypted like any number's.
 * Always read through {@link NumberStore}, so a rotated token or secret takes effect at once.
 */
final class SandboxNumber {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxNumber.class);
  /** The number's id; the core knows it only as a number the sandbox simulates. */
  static final String ID = "num_sandbox";
  static final String PHONE_NUMBER_ID = "000155501000000";
  static final String DISPLAY = "+1 555 010 0000";
  static final String WABA_ID = "000155501000001";

  private final NumberStore numbers;

  private SandboxNumber(NumberStore numbers) {
    this.numbers = numbers;
  }

  static SandboxNumber ensure(NumberStore numbers) {
    if (numbers.byId(ID).isEmpty()) {
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      try {
        numbers.create(Workspaces.DEFAULT, ID, new NewNumber(PHONE_NUMBER_ID, DISPLAY,
            "EAASANDBOX" + Ids.newToken(), HexFormat.of().formatHex(secret), Ids.newToken(), WABA_ID, 80));
        LOG.info("created the sandbox number {} ({})", ID, DISPLAY);
      } catch (RuntimeException e) {
        if (numbers.byId(ID).isEmpty()) {
          throw e;
        }
        // another node created it at the same moment
      }
    }
    numbers.share(ID);
    return new SandboxNumber(numbers);
  }

  BusinessNumber current() {
    Optional<BusinessNumber> n = numbers.byId(ID);
    return n.orElseThrow(() -> new IllegalStateException("the sandbox number " + ID
        + " was deleted; restart wabridge to create it again"));
  }
}
