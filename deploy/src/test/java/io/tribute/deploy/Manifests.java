package io.tribute.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;

/** The objects one overlay renders to (kustomize build), as mutable JSON trees a test can break on purpose. */
final class Manifests {

    /** Writes every string quoted, so "8081" in a ConfigMap stays a string. */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "DaemonSet", "Job");

    private final String name;
    private final List<ObjectNode> objects;

    private Manifests(String name, List<ObjectNode> objects) {
        this.name = name;
        this.objects = objects;
    }

    static Manifests render(Path kustomization) {
        Tools.Result build = Tools.kustomizeBuild(kustomization);
        if (build.exitCode() != 0) {
            throw new IllegalStateException("kustomize build " + kustomization + " failed:\n" + build.output());
        }
        return parse(kustomization.getFileName().toString(), build.output());
    }

    static Manifests parse(String name, String yaml) {
        try {
            List<ObjectNode> objects = new ArrayList<>();
            for (JsonNode node : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                if (node instanceof ObjectNode object) {
                    objects.add(object);
                }
            }
            return new Manifests(name, objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deep copy, so a test's mutation never leaks into another test. */
    Manifests copy() {
        return new Manifests(name, new ArrayList<>(objects.stream().map(ObjectNode::deepCopy).toList()));
    }

    String name() {
        return name;
    }

    List<ObjectNode> all() {
        return objects;
    }

    Stream<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
    }

    Optional<ObjectNode> find(String kind, String objectName) {
        return ofKind(kind).filter(o -> objectName.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    ObjectNode get(String kind, String objectName) {
        return find(kind, objectName).orElseThrow(() -> new NoSuchElementException(kind + " " + objectName + " in " + name));
    }

    /** Deployments, StatefulSets, DaemonSets and Jobs: everything with a pod template. */
    Stream<ObjectNode> workloads() {
        return objects.stream().filter(o -> WORKLOAD_KINDS.contains(o.path("kind").asText()));
    }

    /** The first container of a workload's pod template. */
    ObjectNode container(String kind, String workload) {
        return (ObjectNode) podSpec(get(kind, workload)).path("containers").path(0);
    }

    static ObjectNode podSpec(JsonNode workload) {
        return (ObjectNode) workload.path("spec").path("template").path("spec");
    }

    static String nameOf(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    String toYaml() {
        StringBuilder out = new StringBuilder();
        for (ObjectNode object : objects) {
            try {
                out.append("---\n").append(YAML.writeValueAsString(object));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }
}
