package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import dev.wabridge.web.Api;
import dev.wabridge.web.ApiAuth;
import dev.wabridge.auth.ApiKeyStore.Principal;
import dev.wabridge.auth.Scope;
import dev.wabridge.web.WebhookRoutes;
import dev.wabridge.number.BusinessNumber;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /sandbox/api/credentials}: what a developer needs to point any WhatsApp Cloud API client at the sandbox's
 * simulated Graph API, with the workspace's own access token ({@link SandboxCredentials}). Reading them needs a
 * key that may send as the business ({@code send}): the token sends. {@code DELETE} ({@code full}) revokes the
 * token; the next read issues a new one.
 */
final class CredentialRoutes {
  static final String PATH = dev.wabridge.web.ApiAuth.SANDBOX_CREDENTIALS;

  private final ApiAuth auth;
  private final SandboxCredentials credentials;
  private final Supplier<BusinessNumber> number;
  private final String publicUrl;
  private final String graphVersion;

  CredentialRoutes(ApiAuth auth, SandboxCredentials credentials, Supplier<BusinessNumber> number, String publicUrl,
                   String graphVersion) {
    this.auth = auth;
    this.credentials = credentials;
    this.number = number;
    this.publicUrl = publicUrl;
    this.graphVersion = graphVersion;
  }

  void register(RoutesConfig r) {
    r.get(PATH, this::read);
    r.delete(PATH, ctx -> {
      credentials.revoke(principal(ctx).workspaceId());
      ctx.status(204);
    });
  }

  private void read(Context ctx) {
    Principal p = principal(ctx);
    if (!p.scope().includes(Scope.SEND)) {
      // ApiAuth asks for send on this path already; a path spelt another way must not read the token either.
      throw ApiAuth.insufficient(Scope.SEND, p.scope());
    }
    BusinessNumber n = number.get();
    ObjectNode out = Json.object();
    out.put("graph_base_url", publicUrl + GraphRoutes.BASE);
    out.put("api_version", graphVersion);
    out.put("phone_number_id", n.phoneNumberId());
    out.put("display_phone_number", n.displayPhoneNumber());
    out.put("waba_id", n.wabaId());
    out.put("access_token", credentials.token(p.workspaceId()));
    // Where the simulated Meta delivers its webhooks: wabridge itself, which hands customers' messages to the agent
    // they wrote to (its webhook_url), in wabridge's agent format.
    out.put("webhook_url", publicUrl + WebhookRoutes.PATH);
    ctx.header("Cache-Control", "no-store");
    Api.json(ctx, 200, out);
  }

  private Principal principal(Context ctx) {
    return auth.authorize(ctx, auth.require(ctx));
  }
}
