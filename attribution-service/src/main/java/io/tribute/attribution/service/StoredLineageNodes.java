package io.tribute.attribution.service;

import io.tribute.attribution.mapping.AttributionForms.LineageParts;
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

    /** The forms of the nodes these lineages name that are not known to be stored, each once, by asset id. */
    public synchronized Map<UUID, String> unknown(Collection<LineageParts> lineages) {
        Map<UUID, String> unknown = new LinkedHashMap<>();
        for (LineageParts lineage : lineages) {
            for (int i = 0; i < lineage.nodeIds().size(); i++) {
                UUID id = UUID.fromString(lineage.nodeIds().get(i));
                String form = lineage.nodeForms().get(i);
                Integer knownForm = known.get(id);
                if (knownForm == null || knownForm != form.hashCode()) {
                    unknown.put(id, form);
                }
            }
        }
        return unknown;
    }

    /** After the commit that stored them. */
    public synchronized void stored(Map<UUID, String> nodes) {
        nodes.forEach((id, form) -> known.put(id, form.hashCode()));
    }
}
