package dev.flowlab.app;

import dev.flowlab.app.edit.ProblemIndex;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.scenario.ScenarioProblem;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyProblem;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.scene.Parent;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.VBox;

/**
 * The problems list under the canvas: the engine's checks of the current topology (click one to
 * select the node or link it is about) and, when a file failed to open, that file's problems with
 * file, line and column. Its title counts them; it opens by itself when something is wrong.
 */
final class ProblemsView {
    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");

    private final TitledPane root = new TitledPane();
    private final ListView<Object> list = new ListView<>();

    ProblemsView(ScenarioDocument document, Selection selection, ObservableList<ScenarioProblem> loadProblems) {
        root.setId("problems");
        root.getStyleClass().add("problems");
        list.setId("problem-list");
        list.setPrefHeight(90);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Object item, boolean empty) {
                super.updateItem(item, empty);
                pseudoClassStateChanged(ERROR, false);
                if (empty || item == null) {
                    setText(null);
                    return;
                }
                if (item instanceof TopologyProblem p) {
                    setText((p.isError() ? "Error: " : "Warning: ") + p.message() + "  (" + p.path() + ")");
                    pseudoClassStateChanged(ERROR, p.isError());
                } else {
                    setText("Cannot open: " + item);
                    pseudoClassStateChanged(ERROR, true);
                }
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> {
            if (now instanceof TopologyProblem p) {
                Scenario s = document.scenario();
                if (p.linkIndex() != null && p.linkIndex() < s.links().size()) {
                    selection.selectOnly(s.links().get(p.linkIndex()));
                } else if (p.nodeId() != null && s.node(p.nodeId()).isPresent()) {
                    selection.selectOnly(p.nodeId());
                }
            }
        });
        root.setContent(new VBox(list));
        root.setExpanded(false);
        Runnable refresh = () -> show(document.problems(), loadProblems);
        document.problemsProperty().addListener((obs, was, now) -> refresh.run());
        loadProblems.addListener((ListChangeListener<ScenarioProblem>) c -> refresh.run());
        refresh.run();
    }

    Parent root() {
        return root;
    }

    private void show(ProblemIndex problems, ObservableList<ScenarioProblem> loadProblems) {
        list.getItems().setAll(loadProblems);
        list.getItems().addAll(problems.all());
        long errors = problems.errors().size() + loadProblems.size();
        long warnings = problems.all().size() - problems.errors().size();
        root.setText(errors == 0 && warnings == 0 ? "No problems"
                : errors + (errors == 1 ? " error" : " errors") + ", " + warnings + (warnings == 1 ? " warning" : " warnings"));
        if (!loadProblems.isEmpty()) {
            root.setExpanded(true);
        }
    }
}
