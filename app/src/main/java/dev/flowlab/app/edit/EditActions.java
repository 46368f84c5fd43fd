package dev.flowlab.app.edit;

import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import java.util.List;
import java.util.Map;

/** The Edit menu's commands on the document and the selection; toolkit-free, so tested without a display. */
public final class EditActions {
    private final ScenarioDocument document;
    private final Selection selection;
    private final ScenarioClipboard clipboard = new ScenarioClipboard();

    public EditActions(ScenarioDocument document, Selection selection) {
        this.document = document;
        this.selection = selection;
    }

    public ScenarioDocument document() {
        return document;
    }

    public Selection selection() {
        return selection;
    }

    public boolean undo() {
        return document.undo();
    }

    public boolean redo() {
        return document.redo();
    }

    public boolean deleteSelection() {
        if (selection.isEmpty()) {
            return false;
        }
        boolean changed = document.execute(Edits.delete(selection.nodeList(), List.copyOf(selection.links())));
        selection.clear();
        return changed;
    }

    public void copy() {
        if (!selection.nodes().isEmpty()) {
            clipboard.copy(document.scenario(), selection.nodeList());
        }
    }

    public void cut() {
        if (!selection.nodes().isEmpty()) {
            copy();
            deleteSelection();
        }
    }

    public boolean canPaste() {
        return !clipboard.isEmpty();
    }

    /** Pastes and selects the copies. */
    public void paste() {
        List<String> pasted = clipboard.pasteInto(document);
        if (!pasted.isEmpty()) {
            selection.selectNodes(pasted, false);
        }
    }

    public void duplicate() {
        copy();
        paste();
    }

    public void selectAll() {
        selection.selectNodes(document.scenario().nodes().stream().map(NodeSpec::id).toList(), false);
    }

    /** Aligns the selected nodes on the first selected one; positions and sizes come from the canvas. */
    public boolean align(Edits.Alignment how, Map<String, Position> positions, Map<String, double[]> sizes) {
        if (selection.nodes().size() < 2) {
            return false;
        }
        return document.execute(Edits.align(selection.nodeList(), positions, sizes, how));
    }
}
