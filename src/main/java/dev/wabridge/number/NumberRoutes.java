package dev.wabridge.number;

import dev.wabridge.Json;
import dev.wabridge.api.Api;
import dev.wabridge.api.ApiException;
import dev.wabridge.api.Body;
import dev.wabridge.api.Page;
import dev.wabridge.inbound.WebhookRoutes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/** The Numbers API (CONTRACT.md section 4). Access tokens, app secrets and verify tokens are never returned. */
public final class NumberRoutes {
  private final NumberStore numbers;
  private final Predicate<String> hasDeployedAgent;
  private final String publicUrl;

  /** @param hasDeployedAgent whether a number id has a deployed agent (such a number cannot be deleted) */
  public NumberRoutes(NumberStore numbers, Predicate<String> hasDeployedAgent, String publicUrl) {
    this.numbers = numbers;
    this.hasDeployedAgent = hasDeployedAgent;
    this.publicUrl = publicUrl;
  }

  public void register(RoutesConfig r) {
    r.post("/api/numbers", this::create);
    r.get("/api/numbers", this::list);
    r.get("/api/numbers/{id}", ctx -> Api.json(ctx, 200, view(find(ctx))));
    r.patch("/api/numbers/{id}", this::patch);
    r.delete("/api/numbers/{id}", this::delete);
  }

  private void create(Context ctx) {
    Body b = Api.body(ctx);
    String pnid = digits("phone_number_id", b.requiredString("phone_number_id", 64));
    String display = b.requiredString("display_phone_number", 32);
    String token = b.requiredString("access_token", 4096);
    String secret = b.requiredString("app_secret", 512);
    String verify = b.requiredString("verify_token", 512);
    Optional<String> waba = b.optionalString("waba_id", 64).map(w -> digits("waba_id", w));
    int mps = b.optionalInt("throughput_mps", 1, 1000).orElse(80);
    if (numbers.phoneNumberIdTaken(pnid)) {
      throw ApiException.conflict("number_exists", "phone_number_id " + pnid + " is already registered");
    }
    BusinessNumber n = numbers.create(Api.workspace(ctx), null,
        new NumberStore.NewNumber(pnid, display, token, secret, verify, waba.orElse(null), mps));
    Api.json(ctx, 201, view(n));
  }

  private void list(Context ctx) {
    Page page = Page.of(ctx);
    var rows = numbers.list(Api.workspace(ctx), page.limit(), page.cursor());
    Api.json(ctx, 200, Api.list(rows, page.limit(), this::view, BusinessNumber::id));
  }

  private void patch(Context ctx) {
    BusinessNumber n = find(ctx);
    Body b = Api.body(ctx);
    var patch = new NumberStore.NumberPatch(b.optionalString("display_phone_number", 32),
        b.optionalString("access_token", 4096), b.optionalString("app_secret", 512),
        b.optionalString("verify_token", 512), b.optionalString("waba_id", 64).map(w -> digits("waba_id", w)),
        b.optionalInt("throughput_mps", 1, 1000));
    Api.json(ctx, 200, view(numbers.update(n.workspaceId(), n.id(), patch).orElseThrow()));
  }

  private void delete(Context ctx) {
    BusinessNumber n = find(ctx);
    if (hasDeployedAgent.test(n.id())) {
      throw ApiException.conflict("number_in_use", "an agent is deployed on this number; pause it first");
    }
    numbers.delete(n.workspaceId(), n.id());
    ctx.status(204);
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
    o.put("webhook_url", publicUrl + WebhookRoutes.PATH);
    o.put("created_at", Api.time(n.createdAt()));
    o.put("updated_at", Api.time(n.updatedAt()));
    return o;
  }
}
