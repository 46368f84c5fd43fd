package dev.flowlab.app.animate;

import dev.flowlab.visit.Browser;
import dev.flowlab.visit.Visit;
import java.util.List;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

/**
 * "Search the shop": the box a learner types a keyword into while the lab runs. Enter makes one
 * real browser visit from the client node ({@link Browser}: DNS lookup, the search page, its
 * assets), off the FX thread, and hands the traced visit to {@code shown} on the FX thread. The
 * browser lives as long as the run, so its resolver keeps the DNS answer for the TTL as a real one does.
 */
public final class ShopSearch {
    /** What the box suggests: words the demo shop's catalogue has. */
    public static final List<String> SUGGESTED = List.of("phone", "green tea", "laptop", "sneakers", "camera");

    private final TextField field = new TextField();
    private final MenuButton suggestions = new MenuButton("Try");
    private final Label state = new Label();
    private final HBox box;
    private final ReadOnlyBooleanWrapper searching = new ReadOnlyBooleanWrapper(this, "searching");
    private final Consumer<Visit> shown;
    private final Consumer<String> failed;
    private Browser browser;
    private LiveSession session;

    public ShopSearch(Consumer<Visit> shown, Consumer<String> failed) {
        this.shown = shown;
        this.failed = failed;
        field.setId("shop-search");
        field.setPromptText("Search the shop");
        field.setPrefColumnCount(14);
        field.setTooltip(new Tooltip("Type a keyword and press Enter: one real browser visit from the client node "
                + "(DNS lookup, GET /search?q=..., then the page's CSS, JS and images), traced hop by hop with the why of each"));
        field.setOnAction(e -> search(field.getText()));
        suggestions.setId("shop-search-suggestions");
        for (String s : SUGGESTED) {
            MenuItem item = new MenuItem(s);
            item.setOnAction(e -> {
                field.setText(s);
                search(s);
            });
            suggestions.getItems().add(item);
        }
        state.setId("shop-search-state");
        state.getStyleClass().add("status-text");
        box = new HBox(4, field, suggestions, state);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setId("shop-search-box");
        setSession(null);
    }

    public HBox node() {
        return box;
    }

    public TextField field() {
        return field;
    }

    public ReadOnlyBooleanProperty searchingProperty() {
        return searching.getReadOnlyProperty();
    }

    /** FX thread: the running lab's session (null: stopped; the box is disabled). */
    public void setSession(LiveSession s) {
        if (s != session) {
            browser = null;
        }
        session = s;
        boolean off = s == null;
        field.setDisable(off);
        suggestions.setDisable(off);
        state.setText(off ? "start the lab to search" : "");
    }

    /** FX thread: searches for the keyword unless a search is already under way. */
    public void search(String keyword) {
        LiveSession s = session;
        if (s == null || searching.get()) {
            return;
        }
        if (keyword == null || keyword.isBlank()) {
            state.setText("type a keyword");
            return;
        }
        if (browser == null) {
            try {
                browser = Browser.forLab(s.lab());
            } catch (IllegalArgumentException e) {
                state.setText(e.getMessage());
                failed.accept(e.getMessage());
                return;
            }
        }
        Browser b = browser;
        searching.set(true);
        state.setText("searching…");
        b.searchAsync(keyword).whenComplete((visit, error) -> Platform.runLater(() -> {
            searching.set(false);
            if (session != s) {
                return; // the lab stopped meanwhile
            }
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                String why = "search failed: " + cause.getMessage();
                state.setText(why);
                failed.accept(why);
                return;
            }
            state.setText(visit.page().status() == 0 ? "no answer" : visit.fetches().size() + " requests traced");
            shown.accept(visit);
        }));
    }
}
