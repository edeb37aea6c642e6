package dev.wabridge.inbound;

import dev.wabridge.support.LogSafe;
import dev.wabridge.whatsapp.MetaSignature;
import dev.wabridge.support.Refused;
import dev.wabridge.whatsapp.WebhookParser.Envelope;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore.Signer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who may post a webhook body. Its {@code X-Hub-Signature-256} must be the HMAC of the raw bytes under the app secret
 * of every registered number the body names; and when it carries account-level changes (which name no number), under
 * the app secret of a number registered for that account ({@code waba_id} = {@code entry[].id}), or, for an account
 * no number is registered for, of any registered number. Otherwise the body is refused with a 401.
 *
 * <p>Bounded work: each secret is tried at most once per body; a body that fails a named number's secret is refused
 * at that first HMAC; account-level checks try at most {@link #MAX_ACCOUNT_SECRETS} secrets, and no more than
 * {@link #ACCOUNT_HMAC_BYTES} bytes of HMAC input in all (all 20 for a body under 800 KB, five for one of Meta's
 * largest, 3 MB), so an unsigned body costs at most about 16 MB of hashing, some tens of milliseconds.
 */
public final class WebhookSignatures {
  static final int MAX_ACCOUNT_SECRETS = 20;
  static final long ACCOUNT_HMAC_BYTES = 16L << 20;

  private final Supplier<List<Signer>> signers;

  public WebhookSignatures(Supplier<List<Signer>> signers) {
    this.signers = signers;
  }

  /**
   * Returns when the body may be taken, with, for each account its account-level changes name, the workspaces whose
   * number registered for that account has the app secret that signed it: the only ones those changes may touch
   * (another tenant may set the same {@code waba_id} on a number of its own). Throws the 401 otherwise.
   */
  public Map<String, Set<String>> check(byte[] body, String signature, List<BusinessNumber> known, Envelope envelope) {
    Map<String, Boolean> tried = new HashMap<>();
    for (BusinessNumber n : known) {
      if (!tried.computeIfAbsent(n.appSecret(), s -> MetaSignature.verify(body, signature, s))) {
        throw new Refused(Refused.Reason.UNAUTHENTICATED, "bad_signature", "X-Hub-Signature-256 does not match the body signed with the "
            + "app secret of phone_number_id " + n.phoneNumberId());
      }
    }
    if (!envelope.accountLevel()) {
      return Map.of();
    }
    long[] budget = {Math.clamp(ACCOUNT_HMAC_BYTES / Math.max(1, body.length), 1, MAX_ACCOUNT_SECRETS)};
    List<Signer> all = signers.get();
    boolean unclaimed = envelope.accountChangesWithoutId() > 0;
    for (String account : envelope.accountIds()) {
      List<String> ofAccount = all.stream().filter(s -> account.equals(s.wabaId())).map(Signer::appSecret).toList();
      if (ofAccount.isEmpty()) {
        unclaimed = true;
      } else if (!anyVerifies(body, signature, ofAccount, tried, budget)) {
        throw new Refused(Refused.Reason.UNAUTHENTICATED, "bad_signature", "X-Hub-Signature-256 does not match the body signed with the "
            + "app secret of a number registered for WhatsApp Business Account " + LogSafe.text(account, 64));
      }
    }
    if (unclaimed && !tried.containsValue(true)
        && !anyVerifies(body, signature, all.stream().map(Signer::appSecret).toList(), tried, budget)) {
      throw new Refused(Refused.Reason.UNAUTHENTICATED, "bad_signature", "account-level changes (no phone_number_id) must be signed with "
          + "the app secret of a registered number; if yours is, set waba_id on that number (PATCH /api/numbers/{id})"
          + " so that its account's webhooks are checked against it first");
    }
    Map<String, Set<String>> signedFor = new HashMap<>();
    for (Signer s : all) {
      if (s.wabaId() != null && envelope.accountIds().contains(s.wabaId())
          && Boolean.TRUE.equals(tried.get(s.appSecret()))) {
        signedFor.computeIfAbsent(s.wabaId(), k -> new HashSet<>()).add(s.workspaceId());
      }
    }
    return signedFor;
  }

  /**
   * Whether one of {@code secrets} signed the body, trying each at most once per body, and new ones only while
   * {@code budget[0]} lasts.
   */
  private static boolean anyVerifies(byte[] body, String signature, List<String> secrets, Map<String, Boolean> tried,
                                     long[] budget) {
    for (String secret : secrets) {
      Boolean known = tried.get(secret);
      if (known == null) {
        if (budget[0] <= 0) {
          return false;
        }
        budget[0]--;
        known = MetaSignature.verify(body, signature, secret);
        tried.put(secret, known);
      }
      if (known) {
        return true;
      }
    }
    return false;
  }
}
