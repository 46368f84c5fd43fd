package dev.flowlab.app.animate;

import dev.flowlab.event.EventType;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The event log: filters (node, kind, severity), a search field, and the rows, newest last. The
 * node filter lists the model's {@link EventLogModel#nodeChoices()}, which follow the topology.
 */
public final class EventLogView extends VBox {
    private final TableView<EventLogModel.Row> table = new TableView<>();

    public EventLogView(EventLogModel model) {
        setId("event-log");
        getStyleClass().add("event-log");
        ComboBox<String> node = new ComboBox<>(model.nodeChoices());
        node.setId("event-filter-node");
        node.valueProperty().bindBidirectional(model.nodeProperty());
        ComboBox<EventType> kind = new ComboBox<>();
        kind.getItems().add(null);
        kind.getItems().addAll(EventType.values());
        kind.setId("event-filter-kind");
        kind.setPromptText("any kind");
        kind.valueProperty().bindBidirectional(model.kindProperty());
        ComboBox<EventLogModel.Severity> severity = new ComboBox<>();
        severity.getItems().setAll(EventLogModel.Severity.values());
        severity.setId("event-filter-severity");
        severity.valueProperty().bindBidirectional(model.minimumSeverityProperty());
        TextField search = new TextField();
        search.setId("event-search");
        search.setPromptText("search");
        search.textProperty().bindBidirectional(model.searchProperty());
        HBox.setHgrow(search, Priority.ALWAYS);
        HBox filters = new HBox(6, node, kind, severity, search);
        filters.getStyleClass().add("event-filters");

        TableColumn<EventLogModel.Row, String> t = new TableColumn<>("t (ms)");
        t.setCellValueFactory(c -> new ReadOnlyStringWrapper(Long.toString(c.getValue().tMillis())));
        t.setPrefWidth(70);
        TableColumn<EventLogModel.Row, String> sev = new TableColumn<>("severity");
        sev.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().severity().name().toLowerCase(java.util.Locale.ROOT)));
        sev.setPrefWidth(60);
        TableColumn<EventLogModel.Row, String> type = new TableColumn<>("event");
        type.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().event().type().id()));
        type.setPrefWidth(120);
        TableColumn<EventLogModel.Row, String> at = new TableColumn<>("node");
        at.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().event().node()));
        at.setPrefWidth(80);
        TableColumn<EventLogModel.Row, Object> detail = new TableColumn<>("detail");
        detail.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().text()));
        detail.setPrefWidth(420);
        TableColumn<EventLogModel.Row, String> why = new TableColumn<>("why");
        why.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().why()));
        why.setPrefWidth(420);
        table.getColumns().addAll(List.of(t, sev, type, at, detail, why));
        table.setItems(model.shown());
        table.setId("event-table");
        table.setPlaceholder(new javafx.scene.control.Label("no events yet"));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(filters, table);
    }

    public TableView<EventLogModel.Row> table() {
        return table;
    }
}
