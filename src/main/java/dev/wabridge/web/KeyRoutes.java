package dev.wabridge.web;

import dev.wabridge.auth.ApiKeyStore;
import dev.wabridge.auth.Scope;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.support.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * Workspaces (admin only) and the API keys of the caller's workspace. Plain keys are shown once. Managing keys
 * needs a {@code full} key ({@link ApiAuth#needed}); a key only makes keys of a scope it has itself, never
 * {@code admin}; the admin key cannot be deleted.
 */
public final class KeyRoutes {
  /** The scopes POST /api/keys makes, as the error for any other lists them. */
  private static final String CREATABLE = Arrays.stream(Scope.values()).filter(s -> s != Scope.ADMIN)
      .map(Scope::wire).collect(Collectors.joining(", "));

  private final ApiKeyStore keys;
  private final WorkspaceQuotas quotas;

  public KeyRoutes(ApiKeyStore keys, WorkspaceQuotas quotas) {
    this.keys = keys;
    this.quotas = quotas;
  }

  public void register(RoutesConfig r) {
    r.post("/api/workspaces", this::createWorkspace);
    r.post("/api/keys", this::createKey);
    r.get("/api/keys", this::listKeys);
    r.delete("/api/keys/{id}", this::deleteKey);
  }

  private void createWorkspace(Context ctx) {
    if (!Api.principal(ctx).admin()) {
      throw new ApiException(404, "not_found", "workspaces are managed with the admin key");
    }
    String name = Api.body(ctx).requiredString("name", 100);
    ApiKeyStore.Workspace w = keys.createWorkspace(name);
    ObjectNode o = Json.object();
    o.put("id", w.id());
    o.put("name", w.name());
    o.put("api_key", w.apiKey());
    Api.json(ctx, 201, o);
  }

  private void createKey(Context ctx) {
    Body b = Api.body(ctx);
    String name = b.requiredString("name", 100);
    Scope scope = b.optionalString("scope", 16).map(KeyRoutes::creatable).orElse(Scope.FULL);
    Scope caller = Api.principal(ctx).scope();
    if (!caller.includes(scope)) {
      throw ApiAuth.insufficient(scope, caller);
    }
    quotas.checkKeys(Api.workspace(ctx));
    ApiKeyStore.CreatedKey k = keys.createKey(Api.workspace(ctx), name, scope);
    ObjectNode o = Json.object();
    o.put("id", k.id());
    o.put("name", k.name());
    o.put("key", k.key());
    o.put("prefix", k.prefix());
    o.put("scope", k.scope().wire());
    o.put("created_at", Api.time(k.createdAt()));
    Api.json(ctx, 201, o);
  }

  private static Scope creatable(String wire) {
    Scope s = Scope.parse(wire).orElseThrow(() -> ApiException.invalid("scope", "must be one of " + CREATABLE
        + " (got '" + wire + "')"));
    if (s == Scope.ADMIN) {
      throw ApiException.invalid("scope", "must be one of " + CREATABLE + "; there is one admin key, and only a "
          + "restart with WABRIDGE_ADMIN_KEY replaces it");
    }
    return s;
  }

  private void listKeys(Context ctx) {
    Page page = Page.of(ctx);
    var rows = keys.listKeys(Api.workspace(ctx), page.limit(), page.cursor());
    Api.json(ctx, 200, Api.list(rows, page.limit(), k -> {
      ObjectNode o = Json.object();
      o.put("id", k.id());
      o.put("name", k.name());
      o.put("prefix", k.prefix());
      o.put("scope", k.scope().wire());
      o.put("created_at", Api.time(k.createdAt()));
      return o;
    }, ApiKeyStore.KeyInfo::id));
  }

  private void deleteKey(Context ctx) {
    String id = ctx.pathParam("id");
    if (ApiKeyStore.isAdminKey(id)) {
      throw ApiException.conflict("admin_key_protected", "the admin key cannot be deleted; it can only be replaced "
          + "by restarting wabridge with WABRIDGE_ADMIN_KEY set to a new key");
    }
    if (id.equals(Api.principal(ctx).keyId())) {
      throw ApiException.conflict("key_in_use", "a key cannot delete itself; use another key of this workspace");
    }
    if (!keys.deleteKey(Api.workspace(ctx), id)) {
      throw ApiException.notFound("key", id);
    }
    ctx.status(204);
  }
}
