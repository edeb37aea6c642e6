package dev.wabridge.web;

import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.support.Json;
import dev.wabridge.web.Api;
import dev.wabridge.web.ApiException;
import dev.wabridge.web.Body;
import dev.wabridge.web.Page;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.web.WebhookRoutes;
import dev.wabridge.whatsapp.PhoneNumberLookup;
import dev.wabridge.whatsapp.PhoneNumberLookup.Readable;
import dev.wabridge.whatsapp.PhoneNumberLookup.Refused;
import dev.wabridge.whatsapp.PhoneNumberLookup.Unavailable;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Numbers API (docs/contract.md section 4). Access tokens, app secrets and verify tokens are never returned. A number
 * is registered, or given a new access token, only when Meta's Graph API lets that token read it; a
 * phone_number_id registered already (by any workspace) is refused with the very answer a bad token gets, so the
 * API never tells who has which number. {@code num_sandbox} belongs to the system: no key may change or delete it.
 */
public final class NumberRoutes {
  /** An away message is a short note: one WhatsApp text, well under Meta's 4096 characters, so never split. */
  static final int MAX_AWAY_MESSAGE = 1024;

  private final NumberStore numbers;
  private final Predicate<String> hasDeployedAgent;
  private final String publicUrl;
  private final PhoneNumberLookup graph;
  private final WorkspaceQuotas quotas;

  /** @param hasDeployedAgent whether a number id has a deployed agent (such a number cannot be deleted) */
  public NumberRoutes(NumberStore numbers, Predicate<String> hasDeployedAgent, String publicUrl,
                      PhoneNumberLookup graph, WorkspaceQuotas quotas) {
    this.numbers = numbers;
    this.hasDeployedAgent = hasDeployedAgent;
    this.publicUrl = publicUrl;
    this.graph = graph;
    this.quotas = quotas;
  }

  public void register(RoutesConfig r) {
    r.post("/api/numbers", this::create);
    r.get("/api/numbers", this::list);
    r.get("/api/numbers/{id}", ctx -> Api.json(ctx, 200, view(findReadable(ctx))));
    r.patch("/api/numbers/{id}", this::patch);
    r.delete("/api/numbers/{id}", this::delete);
  }

  private void create(Context ctx) {
    Body b = Api.body(ctx);
    String pnid = digits("phone_number_id", b.requiredString("phone_number_id", 64));
    Optional<String> display = b.optionalString("display_phone_number", 32);
    String token = b.requiredString("access_token", 4096);
    String secret = b.requiredString("app_secret", 512);
    String verify = b.requiredString("verify_token", 512);
    Optional<String> waba = b.optionalString("waba_id", 64).map(w -> digits("waba_id", w));
    int mps = b.optionalInt("throughput_mps", 1, 1000).orElse(80);
    String away = b.optionalString("away_message", MAX_AWAY_MESSAGE).orElse(null);
    String ws = Api.workspace(ctx);
    quotas.checkNumbers(ws);
    // Meta first, then the duplicate check: a taken id costs the same Graph call and gets the same answer.
    Readable meta = requireAccess(token, pnid);
    if (numbers.phoneNumberIdTaken(pnid)) {
      throw cannotAccess(pnid);
    }
    // Meta's display number when the caller gave none, held to the caller's limit
    String shown = display.or(() -> Optional.ofNullable(meta.displayPhoneNumber()).filter(d -> !d.isBlank())
            .map(d -> d.substring(0, Math.min(32, d.length()))))
        .orElseThrow(() -> ApiException.invalid("display_phone_number", "is required (Meta's answer had none)"));
    BusinessNumber n;
    try {
      n = numbers.create(ws, null, new NumberStore.NewNumber(pnid, shown, token, secret, verify, waba.orElse(null),
          mps, away));
    } catch (RuntimeException e) {
      if (numbers.phoneNumberIdTaken(pnid)) {
        throw cannotAccess(pnid); // registered by someone else a moment ago
      }
      throw e;
    }
    Api.json(ctx, 201, view(n));
  }

  private void list(Context ctx) {
    Page page = Page.of(ctx);
    var rows = numbers.list(Api.workspace(ctx), page.limit(), page.cursor());
    Api.json(ctx, 200, Api.list(rows, page.limit(), this::view, BusinessNumber::id));
  }

  private void patch(Context ctx) {
    BusinessNumber n = findWritable(ctx);
    Body b = Api.body(ctx);
    Optional<String> away = b.optionalString("away_message", MAX_AWAY_MESSAGE);
    var patch = new NumberStore.NumberPatch(b.optionalString("display_phone_number", 32),
        b.optionalString("access_token", 4096), b.optionalString("app_secret", 512),
        b.optionalString("verify_token", 512), b.optionalString("waba_id", 64).map(w -> digits("waba_id", w)),
        b.optionalInt("throughput_mps", 1, 1000), away,
        b.has("away_message") && away.isEmpty());
    patch.accessToken().ifPresent(token -> requireAccess(token, n.phoneNumberId()));
    Api.json(ctx, 200, view(numbers.update(n.workspaceId(), n.id(), patch).orElseThrow()));
  }

  private void delete(Context ctx) {
    BusinessNumber n = findWritable(ctx);
    if (hasDeployedAgent.test(n.id())) {
      throw ApiException.conflict("number_in_use", "an agent is deployed on this number; pause it first");
    }
    numbers.delete(n.workspaceId(), n.id());
    ctx.status(204);
  }

  /** Meta's view of the number when the token may read it; else the 422 (or 502 when Meta cannot be asked). */
  private Readable requireAccess(String token, String pnid) {
    return switch (graph.lookup(token, pnid)) {
      case Readable r -> r;
      case Refused r -> throw cannotAccess(pnid);
      case Unavailable u -> throw new ApiException(502, "graph_unavailable", "could not ask Meta's Graph API whether "
          + "access_token can read phone_number_id " + pnid + " (" + u.reason() + "); nothing was saved: retry in a "
          + "minute");
    };
  }

  /** One answer for a bad token, a number the token cannot see and a number registered already. */
  private static ApiException cannotAccess(String pnid) {
    return new ApiException(422, "token_cannot_access_number", "access_token cannot access phone_number_id " + pnid
        + ": Meta's Graph API must let this token read the number (GET /" + pnid + "). Use a system user token with "
        + "the whatsapp_business_management and whatsapp_business_messaging permissions on the WhatsApp Business "
        + "Account that owns the number; if it has them and this persists, ask the operator of this wabridge");
  }

  /** A number this caller may change: its own, never a shared one (the sandbox's). */
  private BusinessNumber findWritable(Context ctx) {
    String id = ctx.pathParam("id");
    if (numbers.shared(id)) {
      throw ApiException.conflict("system_number", id + " is a shared number (the sandbox's "
          + "simulated one) and belongs to the system: no API key can change or delete it; point an agent's "
          + "number_id at it to use it");
    }
    return find(ctx);
  }

  /** A number this caller may read: its own, or a shared one (the sandbox's), which every workspace may use. */
  private BusinessNumber findReadable(Context ctx) {
    String id = ctx.pathParam("id");
    return numbers.usable(Api.workspace(ctx), id).orElseThrow(() -> ApiException.notFound("number", id));
  }

  private BusinessNumber find(Context ctx) {
    String id = ctx.pathParam("id");
    return numbers.get(Api.workspace(ctx), id).orElseThrow(() -> ApiException.notFound("number", id));
  }

  private static String digits(String field, String v) {
    if (!v.chars().allMatch(Character::isDigit)) {
      throw ApiException.invalid(field, "must be the numeric id shown in Meta's WhatsApp Manager (digits only)");
    }
    return v;
  }

  ObjectNode view(BusinessNumber n) {
    ObjectNode o = Json.object();
    o.put("id", n.id());
    o.put("phone_number_id", n.phoneNumberId());
    o.put("display_phone_number", n.displayPhoneNumber());
    o.put("waba_id", n.wabaId());
    o.put("throughput_mps", n.throughputMps());
    o.put("away_message", n.awayMessage());
    o.put("webhook_url", publicUrl + WebhookRoutes.PATH);
    o.put("created_at", Api.time(n.createdAt()));
    o.put("updated_at", Api.time(n.updatedAt()));
    return o;
  }
}
