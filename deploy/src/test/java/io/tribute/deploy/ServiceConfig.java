package io.tribute.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's application.properties says, as the packaged (prod profile) service sees it:
 * its setting names, its ports, its shutdown timeout and the peers it calls.
 */
record ServiceConfig(String service, Map<String, String> settings) {

    private static final Pattern CLIENT_HOST = Pattern.compile("quarkus\\.grpc\\.clients\\.([a-z0-9-]+)\\.host");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    /** Reads {@code <service>/src/main/resources/application.properties}: default profile, then %prod over it. */
    static ServiceConfig load(Path repo, String service) {
        Path file = propertiesOf(repo, service);
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            raw.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new TreeMap<>();
        raw.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> settings.put(k, raw.getProperty(k)));
        raw.stringPropertyNames().stream().filter(k -> k.startsWith("%prod."))
                .forEach(k -> settings.put(k.substring("%prod.".length()), raw.getProperty(k)));
        return new ServiceConfig(service, settings);
    }

    static Path propertiesOf(Path repo, String service) {
        return repo.resolve(service).resolve("src/main/resources/application.properties");
    }

    static boolean isService(Path repo, String name) {
        return Files.isRegularFile(propertiesOf(repo, name));
    }

    /**
     * The environment variable that sets a key, by Quarkus's rule: every character that is not a letter or a
     * digit becomes an underscore, and letters are upper-cased.
     */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    Set<String> envNames() {
        Set<String> names = new TreeSet<>();
        settings.keySet().forEach(k -> names.add(envName(k)));
        return names;
    }

    int grpcPort() {
        return Integer.parseInt(settings.get("quarkus.grpc.server.port"));
    }

    int managementPort() {
        return Integer.parseInt(settings.get("quarkus.management.port"));
    }

    Duration shutdownTimeout() {
        String value = settings.getOrDefault("quarkus.shutdown.timeout", "0s");
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            return Duration.parse(value.trim());
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** Peer clients this service calls in production (names of quarkus.grpc.clients.NAME), e.g. "registry". */
    Set<String> clients() {
        Set<String> clients = new TreeSet<>();
        settings.keySet().forEach(k -> {
            Matcher m = CLIENT_HOST.matcher(k);
            if (m.matches()) {
                clients.add(m.group(1));
            }
        });
        return clients;
    }
}
