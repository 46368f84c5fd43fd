package dev.flowlab.app;

import dev.flowlab.app.edit.Edits;
import dev.flowlab.app.files.FileViewModel;
import java.io.File;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCombination;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The menu bar, with a keyboard shortcut for every common action. Item ids are {@code menu-<name>}. */
final class MainMenu {
    private final MainWindow window;
    private final MenuBar bar = new MenuBar();
    private final Menu recent = new Menu("Open Recent");

    MainMenu(MainWindow window, RunControl run) {
        this.window = window;
        bar.setId("menu-bar");
        bar.getMenus().addAll(fileMenu(), editMenu(), viewMenu(), labMenu(run), helpMenu());
    }

    MenuBar bar() {
        return bar;
    }

    private Window owner() {
        return bar.getScene() == null ? null : bar.getScene().getWindow();
    }

    /** Canvas shortcuts (Delete, Ctrl+C...) must not steal keys from a text field being edited. */
    private boolean typing() {
        return bar.getScene() != null && bar.getScene().getFocusOwner() instanceof TextInputControl;
    }

    private Runnable unlessTyping(Runnable action) {
        return () -> {
            if (!typing()) {
                action.run();
            }
        };
    }

    private Menu fileMenu() {
        FileViewModel files = window.files();
        MenuItem newItem = item("new", "New", "Shortcut+N", files::newScenario);
        MenuItem open = item("open", "Open…", "Shortcut+O", this::chooseAndOpen);
        MenuItem library = item("open-library", "Open Library…", "Shortcut+Shift+O", this::openLibrary);
        MenuItem recording = item("open-recording", "Open Recording…", null, this::chooseAndOpenRecording);
        MenuItem exportReplay = item("export-replay", "Export Replay…", null, window::exportReplay);
        exportReplay.disableProperty().bind(javafx.beans.binding.Bindings.not(window.replayShownProperty()));
        MenuItem save = item("save", "Save", "Shortcut+S", this::save);
        MenuItem saveAs = item("save-as", "Save As…", "Shortcut+Shift+S", this::saveAs);
        MenuItem export = item("export", "Export…", null, this::chooseAndExport);
        MenuItem importNginx = item("import", "Import nginx.conf…", null, this::chooseAndImport);
        MenuItem quit = item("quit", "Quit", "Shortcut+Q", this::quit);
        fillRecent(files);
        files.recentFiles().addListener((ListChangeListener<Path>) c -> fillRecent(files));
        return new Menu("File", null, newItem, open, library, recent, recording, exportReplay, new SeparatorMenuItem(), save, saveAs, new SeparatorMenuItem(), importNginx, export,
                new SeparatorMenuItem(), quit);
    }

    /** Closes the window as its close button does: the close-request handler may ask about unsaved work and veto. */
    private void quit() {
        if (!(owner() instanceof javafx.stage.Stage stage)) {
            return;
        }
        javafx.stage.WindowEvent request = new javafx.stage.WindowEvent(stage, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST);
        if (stage.getOnCloseRequest() != null) {
            stage.getOnCloseRequest().handle(request);
        }
        if (!request.isConsumed()) {
            stage.hide();
        }
    }

    private void fillRecent(FileViewModel files) {
        recent.getItems().clear();
        for (Path p : files.recentFiles()) {
            MenuItem item = new MenuItem(p.getFileName() + " — " + p.getParent());
            item.setOnAction(e -> files.open(p));
            recent.getItems().add(item);
        }
        recent.setDisable(recent.getItems().isEmpty());
    }

    LibraryDialog openLibrary() {
        return new LibraryDialog(owner(), window.files()).show();
    }

    /** Reads a recording (`lab run --record`) off the FX thread and replays it; a file that is none says why. */
    private void chooseAndOpenRecording() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a recording");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Recordings (*.flowrec)", "*.flowrec"));
        java.io.File recordings = dev.flowlab.app.files.AppHome.dir().resolve("recordings").toFile();
        if (recordings.isDirectory()) {
            chooser.setInitialDirectory(recordings);
        }
        File chosen = chooser.showOpenDialog(owner());
        if (chosen != null) {
            openRecording(chosen.toPath());
        }
    }

    /** Reads the recording on a background thread, then replays it on the FX thread. */
    void openRecording(Path file) {
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return dev.flowlab.record.RecordingReader.read(file);
            } catch (dev.flowlab.record.RecordingException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }).whenComplete((recording, error) -> javafx.application.Platform.runLater(() -> {
            if (error != null) {
                Throwable why = error.getCause() != null ? error.getCause() : error;
                javafx.scene.control.Alert alert = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.ERROR,
                        why.getMessage());
                alert.setHeaderText("Could not open the recording");
                alert.initOwner(owner());
                alert.show();
                return;
            }
            window.openRecording(recording);
            if (recording.note() != null) {
                javafx.scene.control.Alert alert = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.WARNING,
                        file.getFileName() + ": " + recording.note());
                alert.setHeaderText("The recording is cut short");
                alert.initOwner(owner());
                alert.show();
            }
        }));
    }

    private void chooseAndOpen() {
        FileChooser chooser = chooser("Open a scenario");
        File chosen = chooser.showOpenDialog(owner());
        if (chosen != null) {
            window.files().open(chosen.toPath());
        }
    }

    void save() {
        if (!window.files().save()) {
            saveAs();
        }
    }

    private void saveAs() {
        FileChooser chooser = chooser("Save the scenario as");
        Path current = window.document().file();
        chooser.setInitialFileName(current != null ? current.getFileName().toString() : "scenario.flowlab.json");
        File chosen = chooser.showSaveDialog(owner());
        if (chosen != null) {
            window.files().saveAs(chosen.toPath());
        }
    }

    /** File -> Export...: a folder, then the same export as {@code lab export}; the status line says what was written. */
    private void chooseAndExport() {
        javafx.stage.DirectoryChooser chooser = new javafx.stage.DirectoryChooser();
        chooser.setTitle("Export as nginx, keepalived, ipvsadm, nsd, Tomcat, gateway and compose configuration");
        Path current = window.document().file();
        if (current != null && current.toAbsolutePath().getParent() != null) {
            chooser.setInitialDirectory(current.toAbsolutePath().getParent().toFile());
        }
        File chosen = chooser.showDialog(owner());
        if (chosen != null) {
            window.files().export(chosen.toPath());
        }
    }

    /** File -> Import...: an nginx.conf, then what its upstream servers become; the topology opens unsaved, the report in a dialog. */
    private void chooseAndImport() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Import an nginx configuration");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("nginx configuration (*.conf)", "*.conf"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File chosen = chooser.showOpenDialog(owner());
        if (chosen == null) {
            return;
        }
        javafx.scene.control.ChoiceDialog<String> as = new javafx.scene.control.ChoiceDialog<>(TOMCATS, TOMCATS, EXTERNALS);
        if (owner() != null) {
            as.initOwner(owner());
        }
        as.setTitle("Import " + chosen.getName());
        as.setHeaderText("The upstream servers of " + chosen.getName() + " become");
        as.showAndWait().ifPresent(choice -> importNginx(chosen.toPath(),
                choice.equals(EXTERNALS) ? dev.flowlab.export.NginxImporter.Upstreams.EXTERNAL : dev.flowlab.export.NginxImporter.Upstreams.TOMCAT));
    }

    private static final String TOMCATS = "lab Tomcats (the topology runs on its own)";
    private static final String EXTERNALS = "external nodes at their addresses (the lab's Nginx in front of the real servers)";

    /** Imports the file and shows the report (what the lab did not map, file:line) in a dialog, id {@code import-report}. */
    void importNginx(Path conf, dev.flowlab.export.NginxImporter.Upstreams as) {
        window.files().importNginx(conf, as, outcome -> {
            javafx.scene.control.Alert report = new javafx.scene.control.Alert(outcome.imported()
                    ? javafx.scene.control.Alert.AlertType.INFORMATION : javafx.scene.control.Alert.AlertType.ERROR);
            if (owner() != null) {
                report.initOwner(owner());
            }
            report.setTitle("Import " + conf.getFileName());
            report.getDialogPane().setId("import-report");
            if (!outcome.imported()) {
                report.setHeaderText("Nothing was imported: the current scenario is unchanged");
                report.setContentText(outcome.failure());
            } else {
                report.setHeaderText(outcome.report().isEmpty() ? "Imported " + conf.getFileName() + ": every directive is mapped"
                        : "Imported " + conf.getFileName() + ": " + outcome.report().size() + " directive(s) the lab does not model");
                javafx.scene.control.TextArea lines = new javafx.scene.control.TextArea(String.join("\n", outcome.report()));
                lines.setId("import-report-lines");
                lines.setEditable(false);
                lines.setWrapText(false);
                lines.setPrefColumnCount(100);
                lines.setPrefRowCount(Math.min(20, Math.max(3, outcome.report().size())));
                report.getDialogPane().setContent(lines);
            }
            report.setResizable(true);
            report.show();
        });
    }

    private FileChooser chooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Scenario files (*.json, *.flowlab)", "*.json", "*.flowlab"));
        Path current = window.document().file();
        if (current != null && current.toAbsolutePath().getParent() != null) {
            chooser.setInitialDirectory(current.toAbsolutePath().getParent().toFile());
        }
        return chooser;
    }

    private Menu editMenu() {
        var edits = window.edits();
        var doc = window.document();
        MenuItem undo = item("undo", "Undo", "Shortcut+Z", unlessTyping(edits::undo));
        undo.textProperty().bind(Bindings.when(doc.undoLabelProperty().isNull()).then("Undo").otherwise(Bindings.concat("Undo ", doc.undoLabelProperty())));
        undo.disableProperty().bind(doc.undoLabelProperty().isNull());
        MenuItem redo = item("redo", "Redo", "Shortcut+Shift+Z", unlessTyping(edits::redo));
        redo.textProperty().bind(Bindings.when(doc.redoLabelProperty().isNull()).then("Redo").otherwise(Bindings.concat("Redo ", doc.redoLabelProperty())));
        redo.disableProperty().bind(doc.redoLabelProperty().isNull());
        MenuItem redoY = item("redo-y", "Redo (Ctrl+Y)", "Shortcut+Y", unlessTyping(edits::redo));
        redoY.setVisible(false);
        MenuItem cut = item("cut", "Cut", "Shortcut+X", unlessTyping(edits::cut));
        MenuItem copy = item("copy", "Copy", "Shortcut+C", unlessTyping(edits::copy));
        MenuItem paste = item("paste", "Paste", "Shortcut+V", unlessTyping(edits::paste));
        MenuItem duplicate = item("duplicate", "Duplicate", "Shortcut+D", unlessTyping(edits::duplicate));
        MenuItem delete = item("delete", "Delete", "Delete", unlessTyping(edits::deleteSelection));
        MenuItem backspace = item("delete-backspace", "Delete", "Backspace", unlessTyping(edits::deleteSelection));
        backspace.setVisible(false);
        MenuItem selectAll = item("select-all", "Select All", "Shortcut+A", unlessTyping(edits::selectAll));
        Menu align = new Menu("Align");
        for (Edits.Alignment a : Edits.Alignment.values()) {
            align.getItems().add(item("align-" + a.word(), capitalize(a.word()), null, () -> window.align(a)));
        }
        return new Menu("Edit", null, undo, redo, redoY, new SeparatorMenuItem(), cut, copy, paste, duplicate, delete, backspace,
                new SeparatorMenuItem(), selectAll, align);
    }

    private Menu viewMenu() {
        var canvas = window.canvas();
        MenuItem zoomIn = item("zoom-in", "Zoom In", "Shortcut+Equals", () -> canvas.zoomBy(1.25));
        MenuItem zoomOut = item("zoom-out", "Zoom Out", "Shortcut+Minus", () -> canvas.zoomBy(0.8));
        MenuItem actual = item("zoom-reset", "Actual Size", "Shortcut+1", canvas::resetZoom);
        MenuItem fit = item("fit", "Fit to View", "Shortcut+0", canvas::fitToView);
        CheckMenuItem dark = new CheckMenuItem("Dark Theme");
        dark.setId("menu-dark");
        dark.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+D"));
        dark.setSelected(Themes.isDark());
        dark.selectedProperty().addListener((obs, was, now) -> {
            Themes.apply(now);
            // The legend, the frame meter and step labels are drawn, not styled: they are told.
            window.live().particles().darkProperty().set(now);
        });
        window.live().particles().darkProperty().set(Themes.isDark());
        Presentation presentation = window.presentation();
        CheckMenuItem presenting = new CheckMenuItem("Presentation Mode");
        presenting.setId("menu-presentation");
        presenting.setAccelerator(KeyCombination.keyCombination("F11"));
        presenting.selectedProperty().bindBidirectional(presentation.onProperty());
        Menu scale = new Menu("Presentation Scale");
        scale.setId("menu-presentation-scale");
        javafx.scene.control.ToggleGroup scales = new javafx.scene.control.ToggleGroup();
        for (double s : Presentation.SCALES) {
            javafx.scene.control.RadioMenuItem r = new javafx.scene.control.RadioMenuItem(Math.round(s * 100) + " %");
            r.setId("menu-presentation-scale-" + Math.round(s * 100));
            r.setToggleGroup(scales);
            r.setSelected(s == presentation.scaleProperty().get());
            r.setOnAction(e -> presentation.scaleProperty().set(s));
            scale.getItems().add(r);
        }
        Menu panel = new Menu("Presentation Panel");
        panel.setId("menu-presentation-panel");
        javafx.scene.control.ToggleGroup panels = new javafx.scene.control.ToggleGroup();
        for (String name : window.live().panelNames()) {
            javafx.scene.control.RadioMenuItem r = new javafx.scene.control.RadioMenuItem(name);
            r.setId("menu-presentation-panel-" + name.toLowerCase(java.util.Locale.ROOT));
            r.setToggleGroup(panels);
            r.setSelected(name.equals(presentation.panelProperty().get()));
            r.setOnAction(e -> presentation.panelProperty().set(name));
            panel.getItems().add(r);
        }
        return new Menu("View", null, zoomIn, zoomOut, actual, fit, new SeparatorMenuItem(), dark,
                new SeparatorMenuItem(), presenting, scale, panel);
    }

    private Menu labMenu(RunControl run) {
        var lab = run.lab();
        MenuItem start = item("start", "Start", "F5", () -> run.start(owner()));
        start.disableProperty().bind(lab.busyProperty().or(lab.runningProperty()));
        MenuItem stop = item("stop", "Stop", "Shift+F5", run::stop);
        stop.disableProperty().bind(lab.busyProperty().or(lab.runningProperty().not()));
        return new Menu("Lab", null, start, stop);
    }

    private Menu helpMenu() {
        MenuItem lessons = item("lessons", "Lessons", null, () -> LessonsWindow.show(window));
        MenuItem keys = item("keys", "Keys", null, () -> KeysBox.show(owner()));
        MenuItem about = item("about", "About Request Flow Lab", "F1", () -> AboutBox.show(owner()));
        return new Menu("Help", null, lessons, keys, about);
    }

    private static MenuItem item(String id, String text, String accelerator, Runnable action) {
        MenuItem item = new MenuItem(text);
        item.setId("menu-" + id);
        if (accelerator != null) {
            item.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        item.setOnAction(e -> action.run());
        return item;
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
