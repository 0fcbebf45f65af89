package io.tribute.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes NetworkPolicy semantics over rendered manifests: which policies isolate a pod, and whether a
 * connection from one pod to another on a port is allowed at the sender (egress) and at the receiver (ingress).
 * An ipBlock peer is taken to match every pod (pod addresses may fall inside it): the check errs towards "allowed".
 */
final class Network {

    /** A pod as a workload's template (or a CloudNativePG instance) describes it. */
    record Pod(String owner, String namespace, Map<String, String> labels, Map<String, Integer> namedPorts) {
    }

    private final Manifests manifests;

    Network(Manifests manifests) {
        this.manifests = manifests;
    }

    /** Pods of Deployments and StatefulSets, and the instances of CloudNativePG Clusters. */
    List<Pod> pods() {
        List<Pod> pods = new ArrayList<>();
        manifests.workloads().forEach(w -> pods.add(podOf(w)));
        manifests.ofKind("Cluster").filter(c -> c.path("apiVersion").asText().startsWith("postgresql.cnpg.io/"))
                .forEach(c -> pods.add(cnpgInstance(c)));
        return pods;
    }

    static Pod podOf(JsonNode workload) {
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode container : Manifests.podSpec(workload).path("containers")) {
            for (JsonNode port : container.path("ports")) {
                if (port.has("name")) {
                    ports.put(port.path("name").asText(), port.path("containerPort").asInt());
                }
            }
        }
        return new Pod(Manifests.nameOf(workload), namespaceOf(workload),
                strings(workload.path("spec").path("template").path("metadata").path("labels")), ports);
    }

    /** CloudNativePG labels every instance with cnpg.io/cluster and copies spec.inheritedMetadata.labels onto it. */
    static Pod cnpgInstance(JsonNode cluster) {
        Map<String, String> labels = strings(cluster.path("spec").path("inheritedMetadata").path("labels"));
        labels.put("cnpg.io/cluster", Manifests.nameOf(cluster));
        labels.put("cnpg.io/podRole", "instance");
        return new Pod(Manifests.nameOf(cluster), namespaceOf(cluster), labels, Map.of("postgresql", 5432));
    }

    static boolean isDatabase(Pod pod) {
        return pod.namedPorts().containsValue(5432);
    }

    boolean egressAllowed(Pod from, Pod to, int port) {
        List<JsonNode> policies = selecting(from, "Egress");
        if (policies.isEmpty()) {
            return true;
        }
        for (JsonNode policy : policies) {
            for (JsonNode rule : policy.path("spec").path("egress")) {
                if (portsAllow(rule.path("ports"), to, port) && peersMatch(rule.path("to"), namespaceOf(policy), to)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean ingressAllowed(Pod to, Pod from, int port) {
        List<JsonNode> policies = selecting(to, "Ingress");
        if (policies.isEmpty()) {
            return true;
        }
        for (JsonNode policy : policies) {
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                if (portsAllow(rule.path("ports"), to, port) && peersMatch(rule.path("from"), namespaceOf(policy), from)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The policies of the pod's namespace that select it for the given direction. */
    List<JsonNode> selecting(Pod pod, String direction) {
        return manifests.ofKind("NetworkPolicy")
                .filter(p -> namespaceOf(p).equals(pod.namespace()))
                .filter(p -> selectorMatches(p.path("spec").path("podSelector"), pod.labels()))
                .filter(p -> policyTypes(p).contains(direction))
                .map(p -> (JsonNode) p)
                .toList();
    }

    static List<String> policyTypes(JsonNode policy) {
        JsonNode spec = policy.path("spec");
        if (spec.has("policyTypes")) {
            List<String> types = new ArrayList<>();
            spec.path("policyTypes").forEach(t -> types.add(t.asText()));
            return types;
        }
        return spec.has("egress") ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    boolean peersMatch(JsonNode peers, String policyNamespace, Pod pod) {
        if (peers.isMissingNode() || peers.isNull() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode peer : peers) {
            if (peerMatches(peer, policyNamespace, pod)) {
                return true;
            }
        }
        return false;
    }

    boolean peerMatches(JsonNode peer, String policyNamespace, Pod pod) {
        if (peer.has("ipBlock")) {
            return true;
        }
        boolean namespaceMatches = peer.has("namespaceSelector")
                ? selectorMatches(peer.path("namespaceSelector"), namespaceLabels(pod.namespace()))
                : pod.namespace().equals(policyNamespace);
        return namespaceMatches && (!peer.has("podSelector") || selectorMatches(peer.path("podSelector"), pod.labels()));
    }

    static boolean portsAllow(JsonNode ports, Pod to, int port) {
        if (ports.isMissingNode() || ports.isNull() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode entry : ports) {
            if (!"TCP".equals(entry.path("protocol").asText("TCP"))) {
                continue;
            }
            JsonNode p = entry.path("port");
            if (p.isMissingNode() || p.isNull()) {
                return true;
            }
            if (p.isInt()) {
                int end = entry.path("endPort").asInt(p.asInt());
                if (port >= p.asInt() && port <= end) {
                    return true;
                }
            } else if (Integer.valueOf(port).equals(to.namedPorts().get(p.asText()))) {
                return true;
            }
        }
        return false;
    }

    Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> labels = manifests.find("Namespace", namespace)
                .map(n -> strings(n.path("metadata").path("labels"))).orElseGet(HashMap::new);
        labels.put("kubernetes.io/metadata.name", namespace);
        return labels;
    }

    static boolean selectorMatches(JsonNode selector, Map<String, String> labels) {
        if (selector.isMissingNode() || selector.isNull()) {
            return true;
        }
        var fields = selector.path("matchLabels").fields();
        while (fields.hasNext()) {
            var label = fields.next();
            if (!label.getValue().asText().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String namespaceOf(JsonNode object) {
        return object.path("metadata").path("namespace").asText("default");
    }

    static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new HashMap<>();
        map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
