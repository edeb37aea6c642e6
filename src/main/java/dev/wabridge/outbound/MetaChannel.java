package dev.wabridge.outbound;

import dev.wabridge.media.OutboundMedia;
import dev.wabridge.whatsapp.GraphClient;

/**
 * How a queued send reaches Meta, in the order the {@link SendWorker} uses them: paced to the number's and the
 * customer's budget ({@code pacer}), its media uploaded or linked ({@code media}), then sent through the Graph API
 * ({@code graph}).
 */
public record MetaChannel(SendPacer pacer, OutboundMedia media, GraphClient graph) {
}
