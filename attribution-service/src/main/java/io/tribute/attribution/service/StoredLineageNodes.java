package io.tribute.attribution.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The lineage nodes known to be stored, so that a batch of attributions inserts only the nodes it is the first
 * to name (a stored node never changes). Bounded, least recently named first out: a node forgotten is offered
 * again and its insert skips the stored row. A known node named with another form is offered again too, so that
 * the database refuses it.
 */
@ApplicationScoped
public class StoredLineageNodes {

    /** The hash code of each known node's form, by asset id. */
    private final Map<UUID, Integer> known;

    public StoredLineageNodes(
            @ConfigProperty(name = "tribute.attribution.stored-lineage-nodes-remembered") int remembered) {
        this.known = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Integer> eldest) {
                return size() > remembered;
            }
        };
    }

    /** The forms of the nodes these attributions name that are not known to be stored, each once, by asset id. */
    synchronized Map<UUID, String> unknown(Collection<AttributionWriter.Computed> attributions) {
        Map<UUID, String> unknown = new LinkedHashMap<>();
        for (AttributionWriter.Computed attribution : attributions) {
            for (int i = 0; i < attribution.lineageNodeIds().size(); i++) {
                UUID id = attribution.lineageNodeIds().get(i);
                String form = attribution.lineageNodeForms().get(i);
                Integer knownForm = known.get(id);
                if (knownForm == null || knownForm != form.hashCode()) {
                    unknown.put(id, form);
                }
            }
        }
        return unknown;
    }

    /** After the commit that stored them. */
    synchronized void stored(Map<UUID, String> nodes) {
        nodes.forEach((id, form) -> known.put(id, form.hashCode()));
    }
}
