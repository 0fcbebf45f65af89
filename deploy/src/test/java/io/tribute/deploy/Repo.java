package io.tribute.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and its deploy/ folder are, for tests run by Maven or an IDE. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        String configured = System.getProperty("tribute.repo");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/base"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/base above " + start);
    }

    static Path deploy() {
        return root().resolve("deploy");
    }

    static Path overlay(String name) {
        return deploy().resolve("overlays").resolve(name);
    }
}
