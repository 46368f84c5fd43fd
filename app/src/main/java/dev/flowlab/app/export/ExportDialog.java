package dev.flowlab.app.export;

import dev.flowlab.record.Player;
import dev.flowlab.record.ReplayExporter;
import dev.flowlab.record.ReplayExporter.Format;
import dev.flowlab.run.RunReport;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;

/**
 * File > Export Replay: the shown replay as an animated GIF or an MP4 of a time range, a PNG or an
 * SVG of one moment (the range's start), or the run's report as {@code lab replay --report} prints
 * it (text or JSON). The range (default: the whole recording; a picture: where the replay is), the
 * frames per second (default 10) and the width (default the canvas's); a progress bar while it
 * encodes, with Cancel (nothing is left of a cancelled export). MP4 is offered only where
 * {@code ffmpeg} is installed; the report is the one the run stored or, when it stored none, one rebuilt from the recorded events. FX thread.
 */
public final class ExportDialog {
    /** What the dialog writes: the replay's formats and the report's two. */
    public enum Choice {
        GIF("Animated GIF of the range", "gif"), MP4("MP4 video of the range", "mp4"), PNG("PNG picture at \"from\"", "png"),
        SVG("SVG picture at \"from\" (vector)", "svg"), REPORT_TEXT("The run's report (text)", "txt"),
        REPORT_JSON("The run's report (JSON)", "json");

        final String label;
        final String extension;

        Choice(String label, String extension) {
            this.label = label;
            this.extension = extension;
        }

        Format format() {
            return switch (this) {
                case GIF -> Format.GIF;
                case MP4 -> Format.MP4;
                case PNG -> Format.PNG;
                case SVG -> Format.SVG;
                default -> null;
            };
        }
    }

    private final ReplayRenderer renderer;
    private final Stage stage = new Stage();
    private final ToggleGroup formats = new ToggleGroup();
    private final Spinner<Double> from;
    private final Spinner<Double> to;
    private final Spinner<Integer> fps = new Spinner<>(1, 30, 10);
    private final ComboBox<Integer> width = new ComboBox<>();
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label();
    private final Button export = new Button("Export…");
    private final Button cancel = new Button("Close");
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private Thread job;
    private ReplayExporter.Result lastResult;
    private Throwable lastError;

    public ExportDialog(Window owner, ReplayRenderer renderer) {
        this.renderer = renderer;
        Player player = renderer.player();
        double length = player.lengthMillis() / 1000.0;
        from = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0, length, 0, 0.5));
        to = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0, length, length, 0.5));
        for (Spinner<Double> s : java.util.List.of(from, to)) {
            s.setEditable(true);
            s.setPrefWidth(100);
        }
        from.setId("export-from");
        to.setId("export-to");
        fps.setId("export-fps");
        fps.setEditable(true);
        fps.setPrefWidth(80);
        int canvasWidth = Math.max(1, renderer.canvasWidth());
        width.setId("export-width");
        width.setEditable(true);
        width.getItems().setAll(canvasWidth, 640, 960, 1280);
        width.setValue(canvasWidth);
        width.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer w) {
                return w == null ? "" : w == canvasWidth ? w + " (the canvas)" : Integer.toString(w);
            }

            @Override
            public Integer fromString(String s) {
                String digits = s.replaceAll("[^0-9].*$", "").trim();
                return digits.isEmpty() ? canvasWidth : Integer.valueOf(digits);
            }
        });

        VBox choices = new VBox(4);
        Optional<String> noMp4 = ReplayExportJob.mp4Unavailable();
        boolean hasReport = player.recording().report().isPresent();
        for (Choice c : Choice.values()) {
            RadioButton b = new RadioButton(c.label);
            b.setId("export-" + c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            b.setUserData(c);
            b.setToggleGroup(formats);
            String why = null;
            if (c == Choice.MP4 && noMp4.isPresent()) {
                why = noMp4.get();
            }
            String info = c == Choice.REPORT_JSON && !hasReport
                    // one note under both report choices; the choices stay open
                    ? "The run's report: this recording holds none (the app's Record keeps none; lab run --record does, once the run "
                    + "ends), so it is rebuilt from the recorded events: the clients' answers and failures, the lifecycle and HA "
                    + "events; no failover windows or layer-4 footprint"
                    : null;
            if (why != null || info != null) {
                b.setDisable(why != null);
                why = why != null ? why : info;
                Label note = new Label(why);
                note.getStyleClass().add("export-note");
                note.setId(b.getId() + "-note");
                note.setWrapText(true);
                note.setMaxWidth(420);
                note.setStyle("-fx-font-size: 0.9em; -fx-opacity: 0.75;");
                // a disabled control shows no tooltip: the note says it, and its own tooltip again
                note.setTooltip(new Tooltip(why));
                VBox.setMargin(note, new Insets(0, 0, 2, 24));
                choices.getChildren().addAll(b, note);
            } else {
                choices.getChildren().add(b);
            }
        }
        formats.selectToggle(formats.getToggles().get(0));
        formats.selectedToggleProperty().addListener((obs, was, now) -> choiceChanged());

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.addRow(0, new Label("From (s)"), from, new Label("to (s)"), to);
        grid.addRow(1, new Label("Frames/s"), fps, new Label("Width (px)"), width);
        progress.setId("export-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(progress, Priority.ALWAYS);
        status.setId("export-status");
        status.setWrapText(true);
        status.setMaxWidth(520);
        export.setId("export-start");
        export.setDefaultButton(true);
        export.setOnAction(e -> chooseFile().ifPresent(this::exportTo));
        cancel.setId("export-cancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> {
            if (running()) {
                cancelled.set(true);
                status.setText("Cancelling…");
            } else {
                stage.hide();
            }
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, spacer, export, cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox root = new VBox(12, new Label("Export the replay"), choices, grid, progress, status, buttons);
        root.setId("export-dialog");
        root.setPadding(new Insets(14));
        stage.setTitle("Export Replay");
        stage.initModality(Modality.WINDOW_MODAL);
        if (owner != null) {
            stage.initOwner(owner);
        }
        Scene scene = new Scene(root);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> cancelled.set(true));
        choiceChanged();
    }

    public ExportDialog show() {
        stage.show();
        return this;
    }

    public Stage stage() {
        return stage;
    }

    public Choice choice() {
        return (Choice) formats.getSelectedToggle().getUserData();
    }

    /** Selects what to write (the radio button's; for tests). */
    public void choose(Choice c) {
        formats.getToggles().stream().filter(t -> t.getUserData() == c).findFirst().ifPresent(formats::selectToggle);
    }

    /** True while an export runs. */
    public boolean running() {
        return job != null && job.isAlive();
    }

    /** What the last export wrote, or null. */
    public ReplayExporter.Result lastResult() {
        return lastResult;
    }

    public Throwable lastError() {
        return lastError;
    }

    /** Where the range is, where the replay is when it is a picture of one moment. */
    private void choiceChanged() {
        Choice c = choice();
        boolean report = c == Choice.REPORT_TEXT || c == Choice.REPORT_JSON;
        boolean still = c == Choice.PNG || c == Choice.SVG;
        from.setDisable(report);
        to.setDisable(report || still);
        fps.setDisable(report || still);
        width.setDisable(report);
        if (still) {
            from.getValueFactory().setValue(Math.max(0, renderer.player().positionMillis() / 1000.0));
        }
    }

    private Optional<Path> chooseFile() {
        Choice c = choice();
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the replay as");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(c.label, "*." + c.extension));
        String name = renderer.scenario().name() == null ? "replay" : renderer.scenario().name().replaceAll("[^A-Za-z0-9._-]+", "-");
        chooser.setInitialFileName(name + "." + c.extension);
        File chosen = chooser.showSaveDialog(stage);
        return Optional.ofNullable(chosen).map(f -> {
            Path p = f.toPath();
            return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith("." + c.extension) ? p
                    : p.resolveSibling(p.getFileName() + "." + c.extension);
        });
    }

    /** Starts the export to {@code file} with the dialog's settings (the Export button, after its file chooser). */
    public void exportTo(Path file) {
        if (running()) {
            return;
        }
        Choice c = choice();
        commit(from);
        commit(to);
        commit(fps);
        if (width.isEditable() && width.getEditor().getText() != null && !width.getEditor().getText().isBlank()
                && !width.getEditor().getText().equals(width.getConverter().toString(width.getValue()))) {
            try {
                width.setValue(width.getConverter().fromString(width.getEditor().getText()));
            } catch (NumberFormatException e) {
                // the last value stays
            }
        }
        cancelled.set(false);
        lastResult = null;
        lastError = null;
        progress.setProgress(0);
        if (c == Choice.REPORT_TEXT || c == Choice.REPORT_JSON) {
            RunReport report = dev.flowlab.run.EventReport.of(renderer.player().recording());
            try {
                ReplayExportJob.writeText(file, c == Choice.REPORT_TEXT ? report.summaryTable() + "\n" : report.toJson() + "\n");
                progress.setProgress(1);
                status.setText("Wrote " + file);
            } catch (IOException e) {
                lastError = e;
                status.setText("Export failed: " + e.getMessage());
            }
            return;
        }
        long fromMs = Math.round(from.getValue() * 1000);
        long toMs = Math.round(to.getValue() * 1000);
        Integer w = width.getValue();
        ReplayExporter.Request request;
        try {
            request = new ReplayExporter.Request(file, c.format(), fromMs, toMs, fps.getValue(),
                    w == null || w == renderer.canvasWidth() ? 0 : w);
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            return;
        }
        export.setDisable(true);
        cancel.setText("Cancel");
        status.setText("Rendering " + request.frames() + (request.frames() == 1 ? " frame…" : " frames…"));
        job = new Thread(() -> {
            ReplayExporter.Result result = null;
            Throwable error = null;
            try {
                result = ReplayExportJob.run(renderer, request, new ReplayExporter.Progress() {
                    @Override
                    public void frame(int done, int total) {
                        Platform.runLater(() -> {
                            progress.setProgress(done / (double) total);
                            status.setText("Frame " + done + " of " + total);
                        });
                    }

                    @Override
                    public boolean cancelled() {
                        return cancelled.get();
                    }
                });
            } catch (IOException | RuntimeException e) {
                error = e;
            }
            ReplayExporter.Result r = result;
            Throwable err = error;
            Platform.runLater(() -> finished(r, err));
        }, "flowlab-export");
        job.setDaemon(true);
        job.start();
    }

    /** A spinner's typed text counts without Enter (the text left as typed is what the user sees). */
    private static <T> void commit(Spinner<T> spinner) {
        if (!spinner.isEditable() || spinner.getValueFactory() == null) {
            return;
        }
        try {
            T v = spinner.getValueFactory().getConverter().fromString(spinner.getEditor().getText());
            if (v != null) {
                spinner.getValueFactory().setValue(v);
            }
        } catch (RuntimeException e) {
            spinner.getEditor().setText(spinner.getValueFactory().getConverter().toString(spinner.getValue()));
        }
    }

    private void finished(ReplayExporter.Result result, Throwable error) {
        lastResult = result;
        lastError = error;
        export.setDisable(false);
        cancel.setText("Close");
        if (error instanceof ReplayExporter.Cancelled) {
            progress.setProgress(0);
            status.setText("Cancelled: nothing was written.");
        } else if (error != null) {
            status.setText("Export failed: " + error.getMessage());
        } else {
            status.setText(String.format(Locale.ROOT, "Wrote %s: %d frame%s, %dx%d, %d KB", result.file(), result.frames(),
                    result.frames() == 1 ? "" : "s", result.width(), result.height(), Math.max(1, Math.round(result.bytes() / 1024.0))));
        }
    }

    /** Cancels a running export (the Cancel button). */
    public void cancel() {
        cancelled.set(true);
    }
}
