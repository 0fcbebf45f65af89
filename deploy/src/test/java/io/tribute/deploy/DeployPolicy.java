package io.tribute.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules every rendered overlay must keep. Each rule returns its violations, one sentence each, starting with
 * the rule's name ("probes:", "security:", ...); an empty list means the overlay keeps the rule.
 */
final class DeployPolicy {

    /**
     * Quarkus settings the manifests may set although application.properties does not name them, each with why.
     * Everything else a service's environment names must be one of its own settings.
     */
    static final Map<String, String> BUILT_IN_SETTINGS = Map.of(
            "quarkus.otel.exporter.otlp.endpoint",
            "the trace collector's address belongs to the cluster, not to the service",
            "quarkus.otel.resource.attributes",
            "tags each span with the pod and namespace it came from, known only at deploy time",
            "quarkus.log.level",
            "an operator raises the log level during an incident without building a new image");

    /** Variables that the image's launcher (run-java.sh in ubi9/openjdk-21-runtime) reads; Quarkus never sees them. */
    static final Map<String, String> LAUNCHER_VARIABLES = Map.of(
            "JAVA_OPTS_APPEND", "extra JVM options",
            "JAVA_MAX_MEM_RATIO", "maximum heap as a percentage of the container's memory limit",
            "JAVA_INITIAL_MEM_RATIO", "initial heap as a percentage of the maximum heap");

    private static final Set<String> SECCOMP_TYPES = Set.of("RuntimeDefault", "Localhost");
    private static final Pattern CNPG_SERVICE = Pattern.compile("(.+)-(rw|ro|r)");
    private static final int POSTGRES_PORT = 5432;

    private final Manifests manifests;
    private final boolean production;
    private final Network network;
    /** Tribute's services in these manifests, by Deployment name. */
    private final Map<String, ServiceConfig> services = new TreeMap<>();

    DeployPolicy(Manifests manifests, boolean production) {
        this.manifests = manifests;
        this.production = production;
        this.network = new Network(manifests);
        manifests.ofKind("Deployment").map(Manifests::nameOf)
                .filter(name -> ServiceConfig.isService(Repo.root(), name))
                .forEach(name -> services.put(name, ServiceConfig.load(Repo.root(), name)));
    }

    Set<String> services() {
        return services.keySet();
    }

    List<String> violations() {
        return Stream.of(probes(), resources(), security(), configKeys(), ports(), databases(), defaultDeny(),
                shutdown(), images(), availability(), secrets()).flatMap(List::stream).toList();
    }

    /** Every container is probed; a service's liveness never depends on its database. */
    List<String> probes() {
        List<String> violations = new ArrayList<>();
        manifests.workloads().forEach(w -> {
            for (JsonNode c : Manifests.podSpec(w).path("containers")) {
                for (String probe : List.of("livenessProbe", "readinessProbe")) {
                    if (!c.has(probe)) {
                        violations.add("probes: " + where(w, c) + " has no " + probe);
                    }
                }
            }
        });
        services.keySet().forEach(s -> {
            JsonNode c = serviceContainer(s);
            expectHealthPath(violations, s, c, "startupProbe", "/q/health/started");
            expectHealthPath(violations, s, c, "livenessProbe", "/q/health/live");
            expectHealthPath(violations, s, c, "readinessProbe", "/q/health/ready");
        });
        return violations;
    }

    private static void expectHealthPath(List<String> violations, String service, JsonNode c, String probe, String path) {
        JsonNode p = c.path(probe);
        if (p.isMissingNode()) {
            violations.add("probes: " + service + " has no " + probe);
        } else if (probe.equals("livenessProbe") || !p.has("grpc")) {
            String actual = p.path("httpGet").path("path").asText("(not an HTTP probe)");
            if (!path.equals(actual)) {
                violations.add("probes: " + service + "'s " + probe + " must ask " + path + ", not " + actual
                        + (probe.equals("livenessProbe") ? " (liveness never checks the database)" : ""));
            }
        }
    }

    /** Every container, CloudNativePG's included, requests and is limited in CPU and memory. */
    List<String> resources() {
        List<String> violations = new ArrayList<>();
        manifests.workloads().forEach(w -> containers(w).forEach(c -> checkResources(violations, where(w, c), c.path("resources"))));
        manifests.ofKind("Cluster").forEach(c -> checkResources(violations, "Cluster/" + Manifests.nameOf(c), c.path("spec").path("resources")));
        return violations;
    }

    private static void checkResources(List<String> violations, String where, JsonNode resources) {
        for (String bound : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (resources.path(bound).path(resource).asText("").isEmpty()) {
                    violations.add("resources: " + where + " has no " + bound + "." + resource);
                }
            }
        }
    }

    /** The "restricted" Pod Security Standard, a read-only root filesystem and a namespace that enforces it. */
    List<String> security() {
        List<String> violations = new ArrayList<>();
        manifests.workloads().map(Network::namespaceOf).distinct().forEach(ns -> {
            String enforced = manifests.find("Namespace", ns)
                    .map(n -> n.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText(""))
                    .orElse("(namespace not in the manifests)");
            if (!"restricted".equals(enforced)) {
                violations.add("security: namespace " + ns + " does not enforce the restricted Pod Security Standard: " + enforced);
            }
        });
        manifests.workloads().forEach(w -> {
            JsonNode spec = Manifests.podSpec(w);
            JsonNode pod = spec.path("securityContext");
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (spec.path(host).asBoolean(false)) {
                    violations.add("security: " + kindAndName(w) + " sets " + host);
                }
            }
            for (JsonNode volume : spec.path("volumes")) {
                if (volume.has("hostPath")) {
                    violations.add("security: " + kindAndName(w) + " mounts a hostPath volume");
                }
            }
            containers(w).forEach(c -> {
                JsonNode own = c.path("securityContext");
                String at = where(w, c);
                if (!inherited(own, pod, "runAsNonRoot").asBoolean(false)) {
                    violations.add("security: " + at + " may run as root (runAsNonRoot is not true)");
                }
                if (inherited(own, pod, "runAsUser").asInt(-1) == 0) {
                    violations.add("security: " + at + " runs as uid 0");
                }
                if (!own.path("allowPrivilegeEscalation").isBoolean() || own.path("allowPrivilegeEscalation").asBoolean()) {
                    violations.add("security: " + at + " does not set allowPrivilegeEscalation: false");
                }
                if (own.path("privileged").asBoolean(false)) {
                    violations.add("security: " + at + " is privileged");
                }
                Set<String> dropped = texts(own.path("capabilities").path("drop"));
                if (!dropped.contains("ALL")) {
                    violations.add("security: " + at + " does not drop ALL capabilities");
                }
                Set<String> added = texts(own.path("capabilities").path("add"));
                added.remove("NET_BIND_SERVICE");
                if (!added.isEmpty()) {
                    violations.add("security: " + at + " adds capabilities " + added);
                }
                String seccomp = inherited(own, pod, "seccompProfile").path("type").asText("(none)");
                if (!SECCOMP_TYPES.contains(seccomp)) {
                    violations.add("security: " + at + " has seccomp profile " + seccomp + ", not RuntimeDefault");
                }
                if (!own.path("readOnlyRootFilesystem").asBoolean(false)) {
                    violations.add("security: " + at + " has a writable root filesystem");
                }
            });
        });
        services.keySet().forEach(s -> {
            JsonNode spec = Manifests.podSpec(manifests.get("Deployment", s));
            boolean tmp = false;
            for (JsonNode mount : serviceContainer(s).path("volumeMounts")) {
                if ("/tmp".equals(mount.path("mountPath").asText())) {
                    for (JsonNode volume : spec.path("volumes")) {
                        tmp |= volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("emptyDir");
                    }
                }
            }
            if (!tmp) {
                violations.add("security: " + s + " has no emptyDir at /tmp for its read-only root filesystem");
            }
        });
        return violations;
    }

    /** Every variable a service's container sees names one of that service's settings. */
    List<String> configKeys() {
        List<String> violations = new ArrayList<>();
        services.forEach((s, config) -> {
            Set<String> known = new TreeSet<>(config.envNames());
            BUILT_IN_SETTINGS.keySet().forEach(k -> known.add(ServiceConfig.envName(k)));
            known.addAll(LAUNCHER_VARIABLES.keySet());
            environment(s, violations).keySet().stream().filter(name -> !known.contains(name)).forEach(name ->
                    violations.add("config: " + s + " sets " + name + ", which names no setting of " + s
                            + " (its application.properties, default or prod profile) nor an allowed built-in"));
        });
        return violations;
    }

    /** Ports in containers, probes, Services, peer clients and NetworkPolicies are the ones the services listen on. */
    List<String> ports() {
        List<String> violations = new ArrayList<>();
        services.forEach((s, config) -> {
            int grpc = config.grpcPort();
            int management = config.managementPort();
            ObjectNode deployment = manifests.get("Deployment", s);
            JsonNode container = serviceContainer(s);
            Network.Pod pod = Network.podOf(deployment);
            Map<String, Integer> named = pod.namedPorts();

            if (!Objects.equals(named.get("grpc"), grpc)) {
                violations.add("ports: " + s + "'s container port grpc is " + named.get("grpc")
                        + ", but quarkus.grpc.server.port is " + grpc);
            }
            if (!Objects.equals(named.get("management"), management)) {
                violations.add("ports: " + s + "'s container port management is " + named.get("management")
                        + ", but quarkus.management.port is " + management);
            }
            for (JsonNode port : container.path("ports")) {
                int number = port.path("containerPort").asInt();
                if (number != grpc && number != management) {
                    violations.add("ports: " + s + " declares container port " + number + ", on which it does not listen");
                }
            }

            Map<String, String> env = environment(s, new ArrayList<>());
            expectSame(violations, s, env, "quarkus.grpc.server.port", grpc);
            expectSame(violations, s, env, "quarkus.management.port", management);

            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode p = container.path(probe);
                if (p.has("httpGet") && resolve(p.path("httpGet").path("port"), named) != management) {
                    violations.add("ports: " + s + "'s " + probe + " asks port " + p.path("httpGet").path("port").asText()
                            + ", not the management port " + management);
                }
                if (p.has("grpc") && p.path("grpc").path("port").asInt() != grpc) {
                    violations.add("ports: " + s + "'s " + probe + " asks gRPC port " + p.path("grpc").path("port").asText()
                            + ", not " + grpc);
                }
            }

            servicesSelecting(pod).forEach(svc -> {
                for (JsonNode port : svc.path("spec").path("ports")) {
                    JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                    int resolved = resolve(target, named);
                    if (resolved != grpc && resolved != management) {
                        violations.add("ports: Service " + Manifests.nameOf(svc) + " targets " + target.asText() + " on " + s
                                + ", which listens on " + grpc + " and " + management);
                    } else if (port.path("port").asInt() != resolved) {
                        violations.add("ports: Service " + Manifests.nameOf(svc) + " exposes " + port.path("port").asInt()
                                + " for " + s + "'s port " + resolved + "; peers dial the configured port");
                    }
                }
            });

            for (String client : config.clients()) {
                String hostKey = "quarkus.grpc.clients." + client + ".host";
                String portKey = "quarkus.grpc.clients." + client + ".port";
                String host = env.getOrDefault(ServiceConfig.envName(hostKey), config.settings().get(hostKey));
                String port = env.getOrDefault(ServiceConfig.envName(portKey), config.settings().get(portKey));
                Optional<ObjectNode> svc = manifests.find("Service", host == null ? "" : host.split("\\.")[0]);
                Optional<String> peer = svc.flatMap(this::serviceBehind);
                if (peer.isEmpty()) {
                    violations.add("ports: " + s + " calls its " + client + " client at host " + host
                            + ", which is no Service of a Tribute service in the manifests");
                } else if (!String.valueOf(services.get(peer.get()).grpcPort()).equals(port)) {
                    violations.add("ports: " + s + " calls " + peer.get() + " on port " + port + ", but " + peer.get()
                            + " listens for gRPC on " + services.get(peer.get()).grpcPort());
                }
            }

            manifests.ofKind("NetworkPolicy").forEach(policy -> {
                String ns = Network.namespaceOf(policy);
                boolean selects = ns.equals(pod.namespace())
                        && Network.selectorMatches(policy.path("spec").path("podSelector"), pod.labels());
                if (selects) {
                    for (JsonNode rule : policy.path("spec").path("ingress")) {
                        for (JsonNode port : rule.path("ports")) {
                            int number = resolve(port.path("port"), named);
                            if (number != grpc && number != management) {
                                violations.add("ports: NetworkPolicy " + Manifests.nameOf(policy) + " opens port "
                                        + port.path("port").asText() + " on " + s + ", which listens on " + grpc + " and " + management);
                            }
                        }
                    }
                }
                for (JsonNode rule : policy.path("spec").path("egress")) {
                    boolean towardsService = false;
                    for (JsonNode peer : rule.path("to")) {
                        towardsService |= peer.has("podSelector") && !peer.path("podSelector").isEmpty()
                                && network.peerMatches(peer, ns, pod);
                    }
                    if (towardsService) {
                        for (JsonNode port : rule.path("ports")) {
                            if (resolve(port.path("port"), named) != grpc) {
                                violations.add("ports: NetworkPolicy " + Manifests.nameOf(policy) + " lets pods call " + s
                                        + " on port " + port.path("port").asText() + ", but its gRPC port is " + grpc);
                            }
                        }
                    }
                }
            });
        });
        return violations;
    }

    private static void expectSame(List<String> violations, String service, Map<String, String> env, String key, int configured) {
        String value = env.get(ServiceConfig.envName(key));
        if (value != null && !value.equals(String.valueOf(configured))) {
            violations.add("ports: " + service + " sets " + ServiceConfig.envName(key) + "=" + value
                    + ", but the manifests are written for " + key + "=" + configured);
        }
    }

    /** Each service reaches its own database, and no NetworkPolicy opens another service's database to it. */
    List<String> databases() {
        List<String> violations = new ArrayList<>();
        List<Network.Pod> databases = network.pods().stream().filter(Network::isDatabase).toList();
        services.forEach((s, config) -> {
            Network.Pod pod = Network.podOf(manifests.get("Deployment", s));
            Map<String, String> env = environment(s, new ArrayList<>());
            String reactive = hostOf(env.getOrDefault("QUARKUS_DATASOURCE_REACTIVE_URL", config.settings().get("quarkus.datasource.reactive.url")));
            String jdbc = hostOf(env.getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", config.settings().get("quarkus.datasource.jdbc.url")));
            if (!reactive.equals(jdbc)) {
                violations.add("databases: " + s + "'s reactive URL names host " + reactive + " but its JDBC URL names " + jdbc);
            }
            Optional<Network.Pod> own = databaseBehind(reactive, databases);
            if (own.isEmpty()) {
                violations.add("databases: " + s + "'s datasource host " + reactive + " is no database in the manifests");
            }
            for (Network.Pod db : databases) {
                boolean out = network.egressAllowed(pod, db, POSTGRES_PORT);
                boolean in = network.ingressAllowed(db, pod, POSTGRES_PORT);
                if (own.isPresent() && own.get().equals(db)) {
                    if (!out || !in) {
                        violations.add("databases: " + s + " cannot reach its own database " + db.owner()
                                + " (egress allowed: " + out + ", ingress allowed: " + in + ")");
                    }
                    continue;
                }
                if (out) {
                    violations.add("databases: NetworkPolicies let " + s + " connect out to " + db.owner()
                            + ", a database that is not its own");
                }
                if (in) {
                    violations.add("databases: NetworkPolicies let " + db.owner() + " accept " + s
                            + ", whose database it is not");
                }
            }
        });
        return violations;
    }

    private Optional<Network.Pod> databaseBehind(String host, List<Network.Pod> databases) {
        String name = host.split("\\.")[0];
        Optional<ObjectNode> svc = manifests.find("Service", name);
        if (svc.isPresent() && !svc.get().path("spec").path("selector").isEmpty()) {
            JsonNode selector = svc.get().path("spec").path("selector");
            return databases.stream().filter(db -> db.namespace().equals(Network.namespaceOf(svc.get())))
                    .filter(db -> Network.selectorMatches(wrap(selector), db.labels())).findFirst();
        }
        Matcher cnpg = CNPG_SERVICE.matcher(name);
        if (cnpg.matches()) {
            return databases.stream().filter(db -> cnpg.group(1).equals(db.labels().get("cnpg.io/cluster"))).findFirst();
        }
        return Optional.empty();
    }

    /** A namespace whose pods are isolated by a default deny in both directions. */
    List<String> defaultDeny() {
        List<String> violations = new ArrayList<>();
        manifests.workloads().map(Network::namespaceOf).distinct().forEach(ns -> {
            boolean denied = manifests.ofKind("NetworkPolicy")
                    .filter(p -> Network.namespaceOf(p).equals(ns))
                    .filter(p -> p.path("spec").path("podSelector").isEmpty())
                    .filter(p -> p.path("spec").path("ingress").isEmpty() && p.path("spec").path("egress").isEmpty())
                    .anyMatch(p -> Network.policyTypes(p).containsAll(List.of("Ingress", "Egress")));
            if (!denied) {
                violations.add("network: namespace " + ns + " has no default-deny NetworkPolicy for ingress and egress");
            }
        });
        return violations;
    }

    /** preStop pause + quarkus.shutdown.timeout fit in terminationGracePeriodSeconds. */
    List<String> shutdown() {
        List<String> violations = new ArrayList<>();
        services.forEach((s, config) -> {
            JsonNode spec = Manifests.podSpec(manifests.get("Deployment", s));
            JsonNode preStop = serviceContainer(s).path("lifecycle").path("preStop");
            long pause = preStop.path("sleep").path("seconds").asLong(-1);
            if (pause < 0 && preStop.has("exec")) {
                List<String> command = new ArrayList<>();
                preStop.path("exec").path("command").forEach(c -> command.add(c.asText()));
                if (command.size() == 2 && command.get(0).endsWith("sleep")) {
                    pause = Long.parseLong(command.get(1));
                }
            }
            if (pause < 0) {
                violations.add("shutdown: " + s + " has no preStop pause, so calls still routed to a stopping pod fail");
                pause = 0;
            }
            long grace = spec.path("terminationGracePeriodSeconds").asLong(30);
            long needed = pause + config.shutdownTimeout().toSeconds();
            if (grace < needed) {
                violations.add("shutdown: " + s + " gets terminationGracePeriodSeconds " + grace + ", but needs preStop "
                        + pause + " s + quarkus.shutdown.timeout " + config.shutdownTimeout().toSeconds() + " s = " + needed + " s");
            }
        });
        return violations;
    }

    /** Every image names a tag or digest, never "latest" (the overlays' kustomize images: set them). */
    List<String> images() {
        List<String> violations = new ArrayList<>();
        manifests.workloads().forEach(w -> containers(w).forEach(c -> checkImage(violations, where(w, c), c.path("image").asText())));
        manifests.ofKind("Cluster").filter(c -> c.path("spec").has("imageName"))
                .forEach(c -> checkImage(violations, "Cluster/" + Manifests.nameOf(c), c.path("spec").path("imageName").asText()));
        return violations;
    }

    private static void checkImage(List<String> violations, String where, String image) {
        if (image.contains("@sha256:")) {
            return;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        if (!last.contains(":") || last.endsWith(":latest")) {
            violations.add("images: " + where + " uses image " + image + " without a pinned tag");
        }
    }

    /** A PodDisruptionBudget and an autoscaler per service; in production at least two replicas, spread over nodes. */
    List<String> availability() {
        List<String> violations = new ArrayList<>();
        services.keySet().forEach(s -> {
            ObjectNode deployment = manifests.get("Deployment", s);
            Network.Pod pod = Network.podOf(deployment);
            boolean budget = manifests.ofKind("PodDisruptionBudget")
                    .anyMatch(p -> Network.selectorMatches(p.path("spec").path("selector"), pod.labels()));
            if (!budget) {
                violations.add("availability: " + s + " has no PodDisruptionBudget");
            }
            Optional<ObjectNode> hpa = manifests.ofKind("HorizontalPodAutoscaler")
                    .filter(h -> s.equals(h.path("spec").path("scaleTargetRef").path("name").asText())).findFirst();
            if (hpa.isEmpty()) {
                violations.add("availability: " + s + " has no HorizontalPodAutoscaler");
            }
            if (!production) {
                return;
            }
            if (deployment.path("spec").path("replicas").asInt(1) < 2) {
                violations.add("availability: production runs " + deployment.path("spec").path("replicas").asInt(1)
                        + " replica of " + s + "; at least 2");
            }
            hpa.filter(h -> h.path("spec").path("minReplicas").asInt(1) < 2).ifPresent(h ->
                    violations.add("availability: production lets the autoscaler shrink " + s + " below 2 replicas"));
            boolean spread = false;
            for (JsonNode constraint : Manifests.podSpec(deployment).path("topologySpreadConstraints")) {
                spread |= "kubernetes.io/hostname".equals(constraint.path("topologyKey").asText())
                        && Network.selectorMatches(constraint.path("labelSelector"), pod.labels());
            }
            if (!spread) {
                violations.add("availability: production does not spread " + s + "'s replicas over nodes (topologySpreadConstraints)");
            }
        });
        return violations;
    }

    /** Production reads every key from Secrets that exist outside the manifests; it creates none. */
    List<String> secrets() {
        if (!production) {
            return List.of();
        }
        return manifests.ofKind("Secret").map(s -> "secrets: production creates Secret " + Manifests.nameOf(s)
                + "; keys come from Secrets the operator creates, referenced by name").toList();
    }

    // --- the pieces the rules share

    private JsonNode serviceContainer(String service) {
        return manifests.container("Deployment", service);
    }

    /** The variables a service's container sees, by name; values of Secrets are unknown (null). */
    private Map<String, String> environment(String service, List<String> violations) {
        JsonNode container = serviceContainer(service);
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String prefix = source.path("prefix").asText("");
            if (source.has("configMapRef")) {
                String name = source.path("configMapRef").path("name").asText();
                manifests.find("ConfigMap", name).ifPresentOrElse(
                        cm -> cm.path("data").fields().forEachRemaining(e -> env.put(prefix + e.getKey(), e.getValue().asText())),
                        () -> violations.add("config: " + service + " reads ConfigMap " + name + ", which is not in the manifests"));
            }
            if (source.has("secretRef")) {
                String name = source.path("secretRef").path("name").asText();
                manifests.find("Secret", name).ifPresentOrElse(
                        secret -> Stream.of("data", "stringData").forEach(field ->
                                secret.path(field).fieldNames().forEachRemaining(k -> env.put(prefix + k, null))),
                        () -> violations.add("config: " + service + " takes every key of Secret " + name
                                + ", whose names cannot be checked; use env with secretKeyRef"));
            }
        }
        for (JsonNode variable : container.path("env")) {
            env.put(variable.path("name").asText(), variable.has("value") ? variable.path("value").asText() : null);
        }
        return env;
    }

    private Stream<ObjectNode> servicesSelecting(Network.Pod pod) {
        return manifests.ofKind("Service")
                .filter(svc -> Network.namespaceOf(svc).equals(pod.namespace()))
                .filter(svc -> !svc.path("spec").path("selector").isEmpty())
                .filter(svc -> Network.selectorMatches(wrap(svc.path("spec").path("selector")), pod.labels()));
    }

    /** The Tribute service whose pods a Kubernetes Service selects. */
    private Optional<String> serviceBehind(ObjectNode svc) {
        JsonNode selector = svc.path("spec").path("selector");
        if (selector.isEmpty()) {
            return Optional.empty();
        }
        return services.keySet().stream()
                .filter(s -> Network.selectorMatches(wrap(selector), Network.podOf(manifests.get("Deployment", s)).labels()))
                .findFirst();
    }

    private static JsonNode wrap(JsonNode serviceSelector) {
        ObjectNode selector = Manifests.YAML.createObjectNode();
        selector.set("matchLabels", serviceSelector);
        return selector;
    }

    private static int resolve(JsonNode port, Map<String, Integer> named) {
        if (port.isInt()) {
            return port.asInt();
        }
        if (port.isTextual() && port.asText().matches("\\d+")) {
            return Integer.parseInt(port.asText());
        }
        return named.getOrDefault(port.asText(), -1);
    }

    private static String hostOf(String url) {
        if (url == null) {
            return "(unset)";
        }
        String host = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url).getHost();
        return host == null ? "(no host in " + url + ")" : host;
    }

    private static JsonNode inherited(JsonNode container, JsonNode pod, String field) {
        return container.has(field) ? container.path(field) : pod.path(field);
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Stream<JsonNode> containers(JsonNode workload) {
        JsonNode spec = Manifests.podSpec(workload);
        List<JsonNode> all = new ArrayList<>();
        spec.path("initContainers").forEach(all::add);
        spec.path("containers").forEach(all::add);
        return all.stream();
    }

    private static String kindAndName(JsonNode object) {
        return object.path("kind").asText() + "/" + Manifests.nameOf(object);
    }

    private static String where(JsonNode workload, JsonNode container) {
        return kindAndName(workload) + " container " + container.path("name").asText();
    }
}
