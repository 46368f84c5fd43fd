package dev.flowlab.app.learn;

import dev.flowlab.lesson.CheckFeed;
import dev.flowlab.lesson.CheckRun;
import dev.flowlab.lesson.CheckState;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.Lesson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * Help -> Lessons: the lessons with the learner's progress, the current step's narration and
 * highlight, its action buttons, Back / Next, and its check's live state, graded on the running
 * lab's events (waiting, passed with the figure, failed with the figure and a hint). Progress is
 * kept in {@link LessonProgress} as the learner goes, and can be reset.
 */
public final class LessonsPanel {
    static final Duration PUMP = Duration.millis(200);
    private static final PseudoClass WAITING = PseudoClass.getPseudoClass("waiting");
    private static final PseudoClass PASSED = PseudoClass.getPseudoClass("passed");
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");

    private final LessonHost host;
    private final LessonProgress progress;
    private final List<LessonEntry> lessons;
    private final SplitPane root = new SplitPane();
    private final ListView<LessonEntry> list = new ListView<>();
    private final Label lessonTitle = new Label();
    private final Label directives = new Label();
    private final Label stepTitle = new Label();
    private final Label narration = new Label();
    private final Label lookAt = new Label();
    private final FlowPane actions = new FlowPane(6, 6);
    private final Label checkWhat = new Label();
    private final Label checkState = new Label();
    private final Label checkHint = new Label();
    private final Button back = new Button("Back");
    private final Button next = new Button("Next");
    private final Button open = new Button("Open the lesson's scenario");
    private final Button reset = new Button("Reset progress");
    private final Button retry = new Button("Check again");
    private final Button grade = new Button("Grade my topology");
    private final Label gradeResult = new Label();
    private final java.util.concurrent.ExecutorService grader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "flowlab-lesson-grader");
        t.setDaemon(true);
        return t;
    });
    private final javafx.animation.Timeline pump;

    private LessonEntry entry;
    private int step;
    /** The current step's actions done, with when (the lab's nanoTime clock). */
    private final Map<String, Long> done = new LinkedHashMap<>();
    private long stepStarted;
    private CheckFeed feed;
    private Lab feedLab;
    private CheckRun run;
    private CheckState lastState;

    public LessonsPanel(LessonHost host, List<LessonEntry> lessons, LessonProgress progress) {
        this.host = host;
        this.lessons = List.copyOf(lessons);
        this.progress = progress;
        root.setId("lessons-panel");
        root.getStyleClass().add("lessons-panel");

        list.setId("lessons-list");
        list.getItems().setAll(this.lessons);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(LessonEntry item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.title() + "  " + progressText(item));
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && now != entry) {
                select(now);
            }
        });
        list.setPrefWidth(280);

        lessonTitle.setId("lesson-title");
        lessonTitle.getStyleClass().add("title-3");
        lessonTitle.setWrapText(true);
        directives.setId("lesson-directives");
        directives.setWrapText(true);
        directives.getStyleClass().add("text-muted");
        stepTitle.setId("lesson-step-title");
        stepTitle.getStyleClass().add("title-4");
        narration.setId("lesson-narration");
        narration.setWrapText(true);
        lookAt.setId("lesson-look-at");
        lookAt.setWrapText(true);
        lookAt.getStyleClass().add("text-muted");
        actions.setId("lesson-actions");
        checkWhat.setId("lesson-check");
        checkWhat.setWrapText(true);
        checkState.setId("lesson-check-state");
        checkState.setWrapText(true);
        checkState.getStyleClass().add("lesson-check-state");
        checkHint.setId("lesson-check-hint");
        checkHint.setWrapText(true);
        checkHint.getStyleClass().add("text-muted");
        back.setId("lesson-back");
        next.setId("lesson-next");
        open.setId("lesson-open");
        reset.setId("lesson-reset");
        grade.setId("lesson-grade");
        grade.getStyleClass().add("accent");
        grade.setOnAction(e -> gradeChallenge());
        gradeResult.setId("lesson-grade-result");
        gradeResult.setWrapText(true);
        retry.setId("lesson-retry");
        retry.setOnAction(e -> {
            if (entry != null) {
                showStep();
            }
        });
        back.setOnAction(e -> go(step - 1));
        next.setOnAction(e -> go(step + 1));
        open.setOnAction(e -> {
            if (entry != null) {
                host.open(entry);
                showStep();
            }
        });
        reset.setOnAction(e -> {
            progress.reset();
            list.refresh();
            if (entry != null) {
                go(0);
            }
        });

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox nav = new HBox(8, back, next, retry, spacer, reset);
        VBox detail = new VBox(8, lessonTitle, directives, open, stepTitle, narration, lookAt, actions, checkWhat, checkState, checkHint, grade, gradeResult, nav);
        detail.setPadding(new Insets(10));
        detail.setFillWidth(true);
        ScrollPane scroller = new ScrollPane(detail);
        scroller.setFitToWidth(true);
        BorderPane right = new BorderPane(scroller);
        root.setOrientation(Orientation.HORIZONTAL);
        root.getItems().setAll(list, right);
        root.setDividerPositions(0.32);

        pump = new javafx.animation.Timeline(new KeyFrame(PUMP, e -> tick()));
        pump.setCycleCount(Animation.INDEFINITE);
        pump.play();
        if (!this.lessons.isEmpty()) {
            LessonEntry first = this.lessons.stream().filter(l -> Objects.equals(l.scenario().name(), host.scenario().name()))
                    .findFirst().orElse(this.lessons.get(0));
            list.getSelectionModel().select(first);
        } else {
            lessonTitle.setText("No lessons found");
        }
    }

    public SplitPane root() {
        return root;
    }

    /** Stops following the lab (the panel's window closed). */
    public void dispose() {
        grader.shutdownNow();
        pump.stop();
        closeFeed();
    }

    private String progressText(LessonEntry item) {
        if (item.lesson().isChallenge()) {
            return progress.passed(item.id()).isEmpty() ? "(challenge)" : "(solved)";
        }
        long checks = item.lesson().steps().stream().filter(s -> s.check() != null).count();
        int passed = progress.passed(item.id()).size();
        if (checks > 0 && passed >= checks) {
            return "(done)";
        }
        return checks == 0 ? "" : "(" + passed + "/" + checks + ")";
    }

    private void select(LessonEntry e) {
        entry = e;
        step = Math.min(progress.step(e.id()), e.lesson().steps().size() - 1);
        if (!Objects.equals(host.scenario().name(), e.scenario().name())) {
            host.open(e);
        }
        showStep();
    }

    private void go(int to) {
        if (entry == null || to < 0 || to >= entry.lesson().steps().size()) {
            return;
        }
        step = to;
        progress.setStep(entry.id(), step);
        showStep();
    }

    private boolean scenarioOpen() {
        return entry != null && Objects.equals(host.scenario().name(), entry.scenario().name());
    }

    private void showStep() {
        Lesson lesson = entry.lesson();
        Lesson.Step s = lesson.steps().get(step);
        lessonTitle.setText(entry.title());
        directives.setText(lesson.directives().isEmpty() ? "" : "Shows: " + String.join(", ", lesson.directives()));
        open.setVisible(!scenarioOpen());
        open.setManaged(!scenarioOpen());
        stepTitle.setText("Step " + (step + 1) + " of " + lesson.steps().size() + (s.title() != null ? ": " + s.title() : ""));
        narration.setText(s.narration());
        lookAt.setText(lookAtText(s.highlight()));
        actions.getChildren().clear();
        for (int i = 0; i < s.actions().size(); i++) {
            Lesson.Action a = s.actions().get(i);
            Button b = new Button(a.text());
            b.setId("lesson-action-" + i);
            b.setOnAction(ev -> perform(a));
            actions.getChildren().add(b);
        }
        back.setDisable(step == 0);
        next.setDisable(step >= lesson.steps().size() - 1);
        done.clear();
        stepStarted = System.nanoTime();
        run = null;
        lastState = null;
        checkWhat.setText(s.check() == null ? "" : "Check: " + CheckRun.forStep(s.check(), entry.scenario(), 0).describe());
        checkWhat.setVisible(s.check() != null);
        boolean challenge = lesson.isChallenge();
        grade.setVisible(challenge);
        grade.setManaged(challenge);
        gradeResult.setManaged(challenge);
        if (challenge) {
            StringBuilder goals = new StringBuilder("Graded on a run of the scenario (its traffic for its duration, its fault script):");
            for (Lesson.Check c : lesson.criteria()) {
                goals.append("\n  - ").append(CheckRun.forRun(c, entry.scenario(), 0, 1).describe());
            }
            checkWhat.setText(goals.toString());
            checkWhat.setVisible(true);
            gradeResult.setText("");
        }
        if (s.highlight() != null && !s.highlight().nodes().isEmpty()) {
            host.highlight(s.highlight().nodes());
        }
        showState(s.check() == null ? null : CheckState.waiting(host.runningLab() == null
                ? "start the lab (this step's traffic button, or Lab -> Start)" : "watching the lab"));
    }

    private static String lookAtText(Lesson.Highlight h) {
        if (h == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (!h.nodes().isEmpty()) {
            sb.append("Look at ").append(String.join(", ", h.nodes()));
        }
        if (!h.links().isEmpty()) {
            sb.append(sb.length() == 0 ? "Look at " : "; ").append("the links ").append(String.join(", ", h.links()));
        }
        if (h.panel() != null) {
            sb.append(sb.length() == 0 ? "Look at " : "; ").append("the ").append(panelName(h.panel()));
        }
        return sb.append(sb.length() == 0 ? "" : ".").toString();
    }

    private static String panelName(String panel) {
        return switch (panel) {
            case "step" -> "step mode panel";
            case "inspector" -> "property sheet";
            case "canvas" -> "canvas";
            default -> panel + " panel";
        };
    }

    private void perform(Lesson.Action a) {
        if (!scenarioOpen()) {
            host.open(entry);
        }
        switch (a.action()) {
            case "traffic" -> host.traffic(a.rps());
            case "stopTraffic" -> host.stopTraffic();
            case "trace" -> host.traceNext();
            case "stepMode" -> host.stepMode();
            case "set" -> {
                String problem = host.set(a.node(), a.field(), a.value());
                if (problem != null) {
                    showState(CheckState.failed(a.text() + " failed", problem));
                    return;
                }
            }
            default -> {
                Map<String, String> params = a.peer() == null ? Map.of() : Map.of("peer", a.peer());
                host.nodeAction(a.action(), a.node(), params);
            }
        }
        long now = System.nanoTime();
        done.putIfAbsent(a.action(), now);
        if (run != null) {
            run.actionDone(a.action(), now);
        }
    }

    /** Runs the challenge on the topology in the editor, on a lab of its own (the app's lab is stopped first), and lists every criterion with its figure. */
    private void gradeChallenge() {
        if (entry == null || !entry.lesson().isChallenge()) {
            return;
        }
        if (!scenarioOpen()) {
            host.open(entry);
        }
        LessonEntry grading = entry;
        grade.setDisable(true);
        gradeResult.setText("Running the challenge...");
        host.stopThen(() -> {
            dev.flowlab.topology.Scenario edited = host.scenario().withLesson(grading.lesson());
            grader.execute(() -> {
                String text;
                boolean passed;
                try {
                    dev.flowlab.lesson.LabCheck.Result r = dev.flowlab.lesson.LabCheck.run(edited, null);
                    passed = r.passed();
                    StringBuilder sb = new StringBuilder(passed ? "Solved: every criterion passed." : "Not yet: "
                            + r.failures() + " of " + r.criteria().size() + " criteria failed.");
                    for (dev.flowlab.lesson.LabCheck.Item i : r.criteria()) {
                        sb.append("\n").append(i.passed() ? "PASS " : "FAIL ").append(i.criterion()).append(": ").append(i.figure());
                        if (i.hint() != null && !i.passed()) {
                            sb.append(" (hint: ").append(i.hint()).append(')');
                        }
                    }
                    text = sb.toString();
                } catch (RuntimeException ex) {
                    passed = false;
                    text = "Could not run the challenge: " + ex.getMessage();
                }
                String shown = text;
                boolean solved = passed;
                javafx.application.Platform.runLater(() -> {
                    grade.setDisable(false);
                    gradeResult.setText(shown);
                    if (solved) {
                        progress.markPassed(grading.id(), 0);
                        list.refresh();
                    }
                });
            });
        });
    }

    /** Follows the running lab: a new lab (started, restarted) gets a new feed and the check starts over on it. */
    private void tick() {
        if (entry == null) {
            return;
        }
        // The lesson's scenario opens in the background: the button goes once it is in the editor.
        boolean showOpen = !scenarioOpen();
        if (open.isVisible() != showOpen) {
            open.setVisible(showOpen);
            open.setManaged(showOpen);
        }
        Lesson.Step s = entry.lesson().steps().get(step);
        if (s.check() == null || !scenarioOpen()) {
            return;
        }
        Lab lab = host.runningLab();
        if (lab == null) {
            if (lastState == null || !lastState.isFinal()) {
                showState(CheckState.waiting("start the lab (this step's traffic button, or Lab -> Start)"));
            }
            closeFeed();
            run = null;
            return;
        }
        if (lab != feedLab) {
            closeFeed();
            feed = new CheckFeed(lab);
            feedLab = lab;
            if (lastState == null || !lastState.isFinal()) {
                run = null;
            }
        }
        long now = lab.clock().nanos();
        if (run == null) {
            run = CheckRun.forStep(s.check(), lab.scenario(), Math.max(stepStarted, now - 1));
            // Actions done before this lab started (the set that restarted it) count from its start.
            done.forEach((action, at) -> run.actionDone(action, Math.max(at, now - 1)));
        }
        if (lastState != null && lastState.isFinal()) {
            return;
        }
        feed.pump(List.of(run), now);
        CheckState st = run.state(now);
        showState(st);
        if (st.passed()) {
            progress.markPassed(entry.id(), step);
            list.refresh();
        }
    }

    private void closeFeed() {
        if (feed != null) {
            feed.close();
            feed = null;
            feedLab = null;
        }
    }

    private void showState(CheckState st) {
        lastState = st;
        checkState.pseudoClassStateChanged(WAITING, st != null && st.status() == CheckState.Status.WAITING);
        checkState.pseudoClassStateChanged(PASSED, st != null && st.passed());
        checkState.pseudoClassStateChanged(FAILED, st != null && st.status() == CheckState.Status.FAILED);
        if (st == null) {
            checkState.setText("");
            checkHint.setText("");
            return;
        }
        String word = switch (st.status()) {
            case WAITING -> "Waiting: ";
            case PASSED -> "Passed: ";
            case FAILED -> "Failed: ";
        };
        checkState.setText(word + st.figure());
        checkHint.setText(st.hint() == null ? "" : "Hint: " + st.hint());
    }

    // ---- for tests

    int stepIndex() {
        return step;
    }

    LessonEntry current() {
        return entry;
    }
}
