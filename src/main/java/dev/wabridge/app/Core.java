package dev.wabridge.app;

import dev.wabridge.agent.AgentStore;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.config.Config;
import dev.wabridge.config.SecretBox;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.db.Database;
import dev.wabridge.net.TenantHttp;
import dev.wabridge.number.NumberStore;
import dev.wabridge.web.ApiAuth;
import dev.wabridge.web.HttpServer;
import java.time.InstantSource;

/**
 * The core's services a {@link Plugin} is built on, as the composition root made them.
 *
 * @param mediaHttp the clients links are fetched with, under each workspace's network policy
 * @param http where the plug-in adds its routes (before the server starts)
 * @param lifecycle where it registers what it must stop
 */
public record Core(Config config, InstantSource clock, Database db, SecretBox secrets, NumberStore numbers,
                   AgentStore agents, ConversationStore conversations, ApiAuth auth, WorkspaceQuotas quotas,
                   TenantHttp mediaHttp, HttpServer http, Lifecycle lifecycle) {
}
