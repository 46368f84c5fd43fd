package dev.flowlab.app.animate;

import dev.flowlab.record.Player;
import java.util.List;
import java.util.Locale;
import javafx.animation.AnimationTimer;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Rectangle;
import javafx.util.StringConverter;

/**
 * The timeline of a recording's replay, under the canvas: play/pause, the speed (0.1x to 10x), a
 * bar to scrub with the faults, kills, failovers and error bursts marked on it, jumps to the next
 * of each, the time, and a close button. It moves the {@link Player} on the FX thread, by the time
 * between two pulses times the speed; the live view gets the frames as from a running lab.
 */
public final class ReplayBar {
    static final List<Double> SPEEDS = List.of(0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0);

    private final Player player;
    private final HBox root;
    private final Button play = new Button("Play");
    private final ComboBox<Double> speed = new ComboBox<>();
    private final Slider scrub = new Slider();
    private final Pane markers = new Pane();
    private final Label time = new Label();
    private final Button nextKill = new Button("Next kill");
    private final Button nextFailover = new Button("Next failover");
    private final Button nextBurst = new Button("Next error burst");
    private final AnimationTimer timer;
    private final Runnable beforeJump;
    private boolean moving;

    /**
     * FX thread. {@code beforeJump} runs before each seek (the window clears the event log: the
     * rows after the frame jumped to would be out of place), {@code onClose} ends the replay (the
     * window detaches the view).
     */
    public ReplayBar(Player player, Runnable beforeJump, Runnable onClose) {
        this.player = player;
        this.beforeJump = beforeJump;
        play.setId("replay-play");
        play.setOnAction(e -> togglePlay());
        speed.setId("replay-speed");
        speed.getItems().setAll(SPEEDS);
        speed.setValue(1.0);
        speed.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : (v == Math.rint(v) ? Long.toString(v.longValue()) : v.toString()) + "x";
            }

            @Override
            public Double fromString(String s) {
                return Double.valueOf(s.replace("x", ""));
            }
        });
        speed.valueProperty().addListener((obs, was, now) -> {
            if (now != null) {
                player.speed(now);
            }
        });
        speed.setTooltip(new Tooltip("Replay speed"));
        scrub.setId("replay-scrub");
        scrub.setMin(player.startMillis());
        scrub.setMax(Math.max(player.startMillis() + 1, player.lengthMillis()));
        scrub.valueProperty().addListener((obs, was, now) -> {
            if (!moving) {
                beforeJump.run();
                player.seek(now.longValue());
                refresh();
            }
        });
        markers.setId("replay-markers");
        markers.setMouseTransparent(true);
        markers.setManaged(true);
        markers.setPrefHeight(6);
        markers.widthProperty().addListener((obs, was, now) -> drawMarkers());
        StackPane track = new StackPane(scrub, markers);
        StackPane.setAlignment(markers, Pos.TOP_CENTER);
        HBox.setHgrow(track, Priority.ALWAYS);
        time.setId("replay-time");
        time.setMinWidth(Label.USE_PREF_SIZE);
        nextKill.setId("replay-next-kill");
        nextKill.setOnAction(e -> jump(Player.Landmark.KILL));
        nextFailover.setId("replay-next-failover");
        nextFailover.setOnAction(e -> jump(Player.Landmark.FAILOVER));
        nextBurst.setId("replay-next-error-burst");
        nextBurst.setOnAction(e -> jump(Player.Landmark.ERROR_BURST));
        Button close = new Button("Close replay");
        close.setId("replay-close");
        close.setOnAction(e -> {
            stop();
            onClose.run();
        });
        Label title = new Label("Replay");
        title.getStyleClass().add("replay-title");
        root = new HBox(8, title, play, speed, track, time, nextKill, nextFailover, nextBurst, close);
        root.setId("replay-bar");
        root.getStyleClass().add("replay-bar");
        root.setAlignment(Pos.CENTER_LEFT);
        root.setStyle("-fx-padding: 4 8 4 8;");
        timer = new AnimationTimer() {
            private long last = -1;

            @Override
            public void handle(long now) {
                if (last >= 0) {
                    advance((now - last) / 1_000_000L);
                }
                last = now;
            }

            @Override
            public void stop() {
                super.stop();
                last = -1;
            }
        };
        refresh();
    }

    public Parent root() {
        return root;
    }

    public Player player() {
        return player;
    }

    /** FX thread: stops the timer (the window closes the player with the session). */
    public void stop() {
        timer.stop();
        player.pause();
    }

    /** Adds an "Export…" button to the bar that runs {@code action} (the window's export dialog). */
    public void setOnExport(Runnable action) {
        Button export = new Button("Export…");
        export.setId("replay-export");
        export.setTooltip(new Tooltip("Export the replay: GIF or MP4 of a range, PNG or SVG of a moment, the run's report"));
        export.setOnAction(e -> action.run());
        root.getChildren().add(root.getChildren().size() - 1, export);
    }

    /** FX thread: jumps to {@code tMillis}, as scrubbing there does. */
    public void seek(long tMillis) {
        beforeJump.run();
        player.seek(tMillis);
        refresh();
    }

    /** FX thread: disables the bar's controls (an export drives the player) or enables them again. */
    public void setDisable(boolean disabled) {
        root.setDisable(disabled);
        if (!disabled) {
            refresh();
        }
    }

    /** FX thread: moves the replay by {@code realMillis} of the wall clock (the pulse calls it while playing). */
    void advance(long realMillis) {
        player.advance(realMillis);
        if (!player.playing()) {
            timer.stop();
        }
        refresh();
    }

    private void togglePlay() {
        if (player.playing()) {
            player.pause();
            timer.stop();
        } else {
            player.play();
            timer.start();
        }
        refresh();
    }

    private void jump(Player.Landmark kind) {
        player.next(kind).ifPresent(m -> {
            beforeJump.run();
            player.seek(m.tMillis());
        });
        refresh();
    }

    private void refresh() {
        moving = true;
        scrub.setValue(player.positionMillis());
        moving = false;
        play.setText(player.playing() ? "Pause" : "Play");
        time.setText(String.format(Locale.ROOT, "%.1f s / %.1f s", player.positionMillis() / 1000.0, player.lengthMillis() / 1000.0));
        nextKill.setDisable(player.next(Player.Landmark.KILL).isEmpty());
        nextFailover.setDisable(player.next(Player.Landmark.FAILOVER).isEmpty());
        nextBurst.setDisable(player.next(Player.Landmark.ERROR_BURST).isEmpty());
    }

    private void drawMarkers() {
        markers.getChildren().clear();
        double width = markers.getWidth();
        double span = scrub.getMax() - scrub.getMin();
        for (Player.Marker m : player.markers()) {
            Rectangle r = new Rectangle(3, 6);
            r.setX(Math.max(0, Math.min(width - 3, (m.tMillis() - scrub.getMin()) / span * width)));
            r.getStyleClass().addAll("replay-marker", "replay-marker-" + m.kind().id());
            r.setStyle(switch (m.kind()) {
                case KILL -> "-fx-fill: #cf222e;";
                case FAILOVER -> "-fx-fill: #8250df;";
                case ERROR_BURST -> "-fx-fill: #bf8700;";
                case FAULT -> "-fx-fill: #57606a;";
            });
            markers.getChildren().add(r);
        }
    }

    /** The markers drawn (for tests): one per {@link Player#markers()}. */
    List<javafx.scene.Node> markerNodes() {
        return List.copyOf(markers.getChildren());
    }
}
