package dev.wabridge.api;

import dev.wabridge.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import tools.jackson.databind.node.ObjectNode;

/** Workspaces (admin only) and the API keys of the caller's workspace. Plain keys are shown once. */
public final class KeyRoutes {
  private final ApiKeyStore keys;

  public KeyRoutes(ApiKeyStore keys) {
    this.keys = keys;
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
    String name = Api.body(ctx).requiredString("name", 100);
    ApiKeyStore.CreatedKey k = keys.createKey(Api.workspace(ctx), name, Scope.FULL);
    ObjectNode o = Json.object();
    o.put("id", k.id());
    o.put("name", k.name());
    o.put("key", k.key());
    Api.json(ctx, 201, o);
  }

  private void listKeys(Context ctx) {
    Page page = Page.of(ctx);
    var rows = keys.listKeys(Api.workspace(ctx), page.limit(), page.cursor());
    Api.json(ctx, 200, Api.list(rows, page.limit(), k -> {
      ObjectNode o = Json.object();
      o.put("id", k.id());
      o.put("name", k.name());
      o.put("prefix", k.prefix());
      o.put("created_at", Api.time(k.createdAt()));
      return o;
    }, ApiKeyStore.KeyInfo::id));
  }

  private void deleteKey(Context ctx) {
    String id = ctx.pathParam("id");
    if (id.equals(Api.principal(ctx).keyId())) {
      throw ApiException.conflict("key_in_use", "a key cannot delete itself; use another key of this workspace");
    }
    if (!keys.deleteKey(Api.workspace(ctx), id)) {
      throw ApiException.notFound("key", id);
    }
    ctx.status(204);
  }
}
