package dev.flowlab.app.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The most recently opened or saved files, newest first, kept in a text file (one path per line). */
public final class RecentFiles {
    private static final Logger log = LoggerFactory.getLogger(RecentFiles.class);
    static final int LIMIT = 10;

    private final Path store;
    private final ObservableList<Path> files = FXCollections.observableArrayList();

    public RecentFiles(Path store) {
        this.store = store;
        if (Files.isRegularFile(store)) {
            try {
                Files.readAllLines(store, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(Path::of).limit(LIMIT).forEach(files::add);
            } catch (IOException e) {
                log.warn("cannot read the recent files list {}: {}", store, e.toString());
            }
        }
    }

    public ObservableList<Path> files() {
        return files;
    }

    public void add(Path file) {
        Path normal = file.toAbsolutePath().normalize();
        files.remove(normal);
        files.add(0, normal);
        if (files.size() > LIMIT) {
            files.remove(LIMIT, files.size());
        }
        save();
    }

    public void remove(Path file) {
        if (files.remove(file.toAbsolutePath().normalize())) {
            save();
        }
    }

    private void save() {
        List<String> lines = new ArrayList<>();
        files.forEach(p -> lines.add(p.toString()));
        try {
            Files.createDirectories(store.getParent());
            Files.write(store, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Losing the list is an inconvenience, not a reason to interrupt the user's work.
            log.warn("cannot write the recent files list {}: {}", store, e.toString());
        }
    }
}
