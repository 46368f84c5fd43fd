package dev.flowlab.app.files;

import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.scenario.ScenarioCheck;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.scenario.ScenarioProblem;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New, Open, Save, Save As, recent files, autosave and recovery for one {@link ScenarioDocument}.
 * Files are read and written on {@code background}; results come back on {@code uiThread}.
 * Opening a file that does not load leaves the current work as it was and lists the file's
 * problems (file, line, column, message) in {@link #loadProblems()}. Autosave writes the
 * unsaved scenario next to the app's state; a clean exit removes it, so finding it at the next
 * launch means the app did not exit cleanly and the work can be recovered.
 */
public final class FileViewModel {
    private static final Logger log = LoggerFactory.getLogger(FileViewModel.class);
    static final String AUTOSAVE = "autosave.json";
    static final String AUTOSAVE_ORIGIN = "autosave.origin";

    private final ScenarioDocument document;
    private final Executor background;
    private final Executor uiThread;
    private final Path home;
    private final RecentFiles recent;
    private final ObservableList<ScenarioProblem> loadProblems = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private Scenario autosaved;

    public FileViewModel(ScenarioDocument document, Executor background, Executor uiThread, Path home) {
        this.document = document;
        this.background = background;
        this.uiThread = uiThread;
        this.home = home;
        this.recent = new RecentFiles(home.resolve("recent.txt"));
    }

    public ObservableList<Path> recentFiles() {
        return recent.files();
    }

    /** The problems of the last file that failed to open (empty after a successful open). */
    public ObservableList<ScenarioProblem> loadProblems() {
        return loadProblems;
    }

    /** What the last file operation did ("Saved shop.json", "Could not open..."), for the status line. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public String title() {
        Path file = document.file();
        String name = document.scenario().name();
        String shown = file != null ? file.getFileName().toString() : (name == null || name.isBlank() ? "untitled" : name);
        return (document.isDirty() ? "• " : "") + shown + " — Request Flow Lab";
    }

    /** An empty scenario, not yet saved anywhere. */
    public void newScenario() {
        document.replace(new Scenario(Scenario.FORMAT, "untitled", null, List.of(), List.of(), null, null), null);
        loadProblems.clear();
        message.set("New scenario");
    }

    /**
     * Reads the library's scenarios in the background and hands their entries (in the library's
     * order) to {@code done} on the UI thread; one that does not load is left out, and logged.
     */
    public void libraryEntries(Consumer<List<LibraryEntry>> done) {
        background.execute(() -> {
            List<LibraryEntry> entries = new java.util.ArrayList<>();
            for (String name : dev.flowlab.scenario.ScenarioLibrary.names()) {
                try {
                    entries.add(LibraryEntry.of(name, dev.flowlab.scenario.ScenarioLibrary.load(name)));
                } catch (dev.flowlab.scenario.ScenarioException e) {
                    log.warn("library scenario {} does not load: {}", name, e.getMessage());
                }
            }
            uiThread.execute(() -> done.accept(List.copyOf(entries)));
        });
    }

    /**
     * Opens a scenario of the library (by its library name) as a new, unsaved document: Save asks
     * where to write it, so the library itself is never overwritten.
     */
    public void openLibrary(String name) {
        busy.set(true);
        background.execute(() -> {
            Scenario loaded = null;
            String problem = null;
            try {
                loaded = dev.flowlab.scenario.ScenarioLibrary.load(name);
            } catch (dev.flowlab.scenario.ScenarioException e) {
                problem = e.getMessage();
            }
            Scenario scenario = loaded;
            String why = problem;
            uiThread.execute(() -> {
                busy.set(false);
                if (scenario == null) {
                    message.set("Could not open library scenario " + name + ": " + why);
                    return;
                }
                loadProblems.clear();
                document.replace(scenario, null);
                message.set("Opened " + name + " from the library");
            });
        });
    }

    /** Reads the file; on success it replaces the current scenario, else {@code loadProblems} says why and nothing else changes. */
    public void open(Path file) {
        busy.set(true);
        background.execute(() -> {
            ScenarioCheck check = ScenarioIO.check(file);
            uiThread.execute(() -> opened(file, check));
        });
    }

    private void opened(Path file, ScenarioCheck check) {
        busy.set(false);
        // A file that bound is opened even with topology errors: the editor shows them and they can be fixed here.
        boolean bound = check.scenario() != null && onlyTopologyProblems(check);
        if (!bound) {
            loadProblems.setAll(check.errors());
            message.set("Could not open " + file.getFileName() + ": " + check.errors().size()
                    + (check.errors().size() == 1 ? " problem" : " problems") + "; the current scenario is unchanged");
            if (check.errors().stream().anyMatch(p -> p.line() == 0 && p.message().startsWith("cannot read"))) {
                recent.remove(file);
            }
            return;
        }
        loadProblems.clear();
        document.replace(check.scenario(), file);
        recent.add(file);
        message.set("Opened " + file.getFileName());
    }

    /** Wiring problems (the engine's topology checks) are fixable on the canvas; syntax, type and range errors are not. */
    private static boolean onlyTopologyProblems(ScenarioCheck check) {
        java.util.Set<String> topology = new java.util.HashSet<>();
        TopologyValidator.validate(check.scenario()).forEach(p -> topology.add(p.message()));
        return check.errors().stream().allMatch(p -> topology.contains(p.message()));
    }

    /** Saves to the document's file; returns false when it has none (the view then asks where: Save As). */
    public boolean save() {
        Path file = document.file();
        if (file == null) {
            return false;
        }
        saveAs(file);
        return true;
    }

    public void saveAs(Path file) {
        saveAs(file, ok -> { });
    }

    /** Writes atomically on the background executor; {@code done} hears whether it worked, on the UI thread. */
    /**
     * File -> Export...: writes the scenario as the real software's configuration into {@code dir} (the same
     * {@link dev.flowlab.export.ScenarioExporter} as {@code lab export}); the status line says what was written.
     */
    public void export(Path dir) {
        Scenario content = document.scenario();
        busy.set(true);
        background.execute(() -> {
            java.util.List<Path> written = null;
            RuntimeException failure = null;
            try {
                written = dev.flowlab.export.ScenarioExporter.export(content, dir);
            } catch (RuntimeException e) {
                failure = e;
            }
            java.util.List<Path> files = written;
            RuntimeException problem = failure;
            uiThread.execute(() -> {
                busy.set(false);
                if (problem != null) {
                    log.warn("cannot export to {}: {}", dir, problem.toString());
                    message.set("Could not export to " + dir + ": " + problem.getMessage());
                    return;
                }
                message.set(exportSummary(dir, files));
            });
        });
    }

    /**
     * What File -> Import made of an nginx.conf: the report's lines (file:line: `directive` ...), or the reason nothing was
     * imported (a syntax error as file:line:col).
     */
    public record ImportOutcome(boolean imported, List<String> report, String failure) {
    }

    /**
     * File -> Import...: reads an nginx configuration (the same {@link dev.flowlab.export.NginxImporter} as {@code lab import})
     * and opens its topology as a new, unsaved document; {@code done} hears the report on the UI thread. A file that does not
     * import leaves the current work as it was.
     */
    public void importNginx(Path conf, dev.flowlab.export.NginxImporter.Upstreams as, Consumer<ImportOutcome> done) {
        busy.set(true);
        background.execute(() -> {
            dev.flowlab.export.NginxImporter.Result result = null;
            String failure = null;
            try {
                result = dev.flowlab.export.NginxImporter.importFile(conf, as);
            } catch (dev.flowlab.export.NginxConfParser.SyntaxError | IllegalArgumentException e) {
                failure = e.getMessage();
            } catch (RuntimeException e) {
                log.warn("cannot import {}", conf, e);
                failure = conf.getFileName() + ": " + e;
            }
            dev.flowlab.export.NginxImporter.Result r = result;
            String why = failure;
            uiThread.execute(() -> {
                busy.set(false);
                if (r == null) {
                    message.set("Could not import " + conf.getFileName() + ": " + why + "; the current scenario is unchanged");
                    done.accept(new ImportOutcome(false, List.of(), why));
                    return;
                }
                loadProblems.clear();
                document.replace(r.scenario(), null);
                message.set("Imported " + conf.getFileName() + ": " + r.scenario().nodes().size() + " nodes, " + r.notes().size()
                        + (r.notes().size() == 1 ? " directive" : " directives") + " not mapped (see the report)");
                done.accept(new ImportOutcome(true, r.report(), null));
            });
        });
    }

    /** "Exported 9 files to DIR: nginx 2, keepalived 2, ..., README.md": each folder with its file count. */
    static String exportSummary(Path dir, java.util.List<Path> written) {
        java.util.Map<String, Integer> byFolder = new java.util.LinkedHashMap<>();
        for (Path p : written) {
            String key = p.getNameCount() > 1 ? p.getName(0).toString() : p.toString();
            byFolder.merge(key, 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder("Exported ").append(written.size()).append(" files to ").append(dir).append(": ");
        String sep = "";
        for (var e : byFolder.entrySet()) {
            b.append(sep).append(e.getKey());
            if (e.getKey().indexOf('.') < 0) {
                b.append(' ').append(e.getValue());
            }
            sep = ", ";
        }
        return b.toString();
    }

    public void saveAs(Path file, Consumer<Boolean> done) {
        Scenario content = document.scenario();
        busy.set(true);
        background.execute(() -> {
            IOException failure = null;
            try {
                ScenarioIO.write(file, content);
            } catch (IOException e) {
                failure = e;
            }
            IOException problem = failure;
            uiThread.execute(() -> {
                busy.set(false);
                if (problem != null) {
                    log.warn("cannot save {}: {}", file, problem.toString());
                    message.set("Could not save " + file + ": " + problem.getMessage());
                    done.accept(false);
                    return;
                }
                document.markSaved(content, file);
                recent.add(file);
                message.set("Saved " + file.getFileName());
                discardAutosave();
                done.accept(true);
            });
        });
    }

    /** Writes the unsaved scenario to the autosave file (call periodically); does nothing when clean or unchanged since the last autosave. */
    public void autosave() {
        Scenario content = document.scenario();
        if (!document.isDirty() || content.equals(autosaved)) {
            return;
        }
        autosaved = content;
        Path origin = document.file();
        background.execute(() -> {
            try {
                ScenarioIO.write(home.resolve(AUTOSAVE), content);
                Files.writeString(home.resolve(AUTOSAVE_ORIGIN), origin == null ? "" : origin.toAbsolutePath().toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                log.warn("autosave failed: {}", e.toString());
            }
        });
    }

    /** The clean exit (or a save): nothing to recover. */
    public void discardAutosave() {
        autosaved = null;
        background.execute(() -> {
            try {
                Files.deleteIfExists(home.resolve(AUTOSAVE));
                Files.deleteIfExists(home.resolve(AUTOSAVE_ORIGIN));
            } catch (IOException e) {
                log.warn("cannot remove the autosave file: {}", e.toString());
            }
        });
    }

    /**
     * Called at launch, before anything else: if an autosave is there (the last run did not exit
     * cleanly), opens it as unsaved work on its original file and returns true. Runs on the
     * calling thread (the file is small and this happens once, before the window shows).
     */
    public boolean recoverIfCrashed() {
        Path saved = home.resolve(AUTOSAVE);
        if (!Files.isRegularFile(saved)) {
            return false;
        }
        ScenarioCheck check = ScenarioIO.check(saved);
        if (check.scenario() == null) {
            log.warn("the autosave file {} does not load; ignoring it", saved);
            return false;
        }
        Path origin = null;
        Scenario original = null;
        try {
            String text = Files.isRegularFile(home.resolve(AUTOSAVE_ORIGIN)) ? Files.readString(home.resolve(AUTOSAVE_ORIGIN)).trim() : "";
            if (!text.isEmpty()) {
                origin = Path.of(text);
                ScenarioCheck originalCheck = ScenarioIO.check(origin);
                original = originalCheck.scenario();
            }
        } catch (IOException e) {
            log.warn("cannot read where the autosave came from: {}", e.toString());
        }
        document.recover(check.scenario(), origin, original);
        autosaved = check.scenario();
        message.set("Recovered unsaved work from the last session" + (origin == null ? "" : " on " + origin.getFileName()));
        return true;
    }
}
