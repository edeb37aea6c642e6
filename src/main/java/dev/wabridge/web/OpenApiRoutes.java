package dev.wabridge.web;

import dev.wabridge.support.Json;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/openapi.json}: the platform API as OpenAPI 3.1 ({@code src/main/resources/openapi.json}), with
 * no key. The document is read from the classpath once, at construction (a missing or malformed one stops the
 * start), its {@code servers} set to this installation's public URL, and then served as the same bytes every time.
 */
public final class OpenApiRoutes {
  static final String RESOURCE = "/openapi.json";
  private final byte[] document;

  public OpenApiRoutes(String publicUrl) {
    ObjectNode doc = load();
    doc.putArray("servers").addObject().put("url", publicUrl);
    this.document = Json.bytes(doc);
  }

  public void register(RoutesConfig r) {
    r.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(document));
  }

  public static ObjectNode load() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      if (!(Json.parse(in.readAllBytes()) instanceof ObjectNode doc)) {
        throw new IllegalStateException(RESOURCE + " is not a JSON object");
      }
      return doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
