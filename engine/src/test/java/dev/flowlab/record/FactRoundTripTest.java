package dev.flowlab.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.Fact;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of {@link Fact} survives the recording's JSON: written, read back, equal (a new kind is covered by itself). */
class FactRoundTripTest {

    @Test
    void everyKindOfFact_readsBackEqual_withItsKindNamed() throws Exception {
        Class<?>[] kinds = Fact.class.getPermittedSubclasses();
        assertThat(kinds).hasSizeGreaterThan(40);
        for (Class<?> kind : kinds) {
            Fact fact = (Fact) sample(kind);
            Chunk.Event event = new Chunk.Event(5, "note", "n", null, "t-1", 200, 7, fact);
            String json = RecordingFormat.MAPPER.writeValueAsString(event);
            assertThat(json).as(kind.getSimpleName()).contains("\"kind\":\"" + kind.getSimpleName() + "\"");
            Chunk.Event back = RecordingFormat.MAPPER.readValue(json, Chunk.Event.class);
            assertThat(back).as(kind.getSimpleName() + ": " + json).isEqualTo(event);
        }
    }

    @Test
    void anEventWithoutAFact_orWithAKindThisVersionDoesNotKnow_readsWithoutOne() throws Exception {
        Chunk.Event bare = RecordingFormat.MAPPER.readValue("{\"t\":3,\"e\":\"node_started\",\"n\":\"a\"}", Chunk.Event.class);
        assertThat(bare).isEqualTo(new Chunk.Event(3, "node_started", "a", null, null, 0, 0, null));
        Chunk.Event future = RecordingFormat.MAPPER.readValue(
                "{\"t\":3,\"e\":\"node_started\",\"f\":{\"kind\":\"SomethingNew\",\"x\":1}}", Chunk.Event.class);
        assertThat(future.fact()).isNull();
    }

    /** An instance of a record with a value of each component's type (nested records, enums, lists and maps too). */
    private static Object sample(Class<?> type) throws Exception {
        RecordComponent[] parts = type.getRecordComponents();
        Class<?>[] types = new Class<?>[parts.length];
        Object[] values = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
            values[i] = value(parts[i].getType(), parts[i].getGenericType(), i);
        }
        Constructor<?> c = type.getDeclaredConstructor(types);
        c.setAccessible(true);
        return c.newInstance(values);
    }

    private static Object value(Class<?> type, Type generic, int i) throws Exception {
        if (type == String.class) {
            return "v" + i;
        } else if (type == int.class || type == Integer.class) {
            return 3 + i;
        } else if (type == long.class || type == Long.class) {
            return 1_000_000_007L + i;
        } else if (type == double.class || type == Double.class) {
            return 0.25 + i;
        } else if (type == boolean.class || type == Boolean.class) {
            return true;
        } else if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[constants.length - 1];
        } else if (type == List.class) {
            Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
            Class<?> raw = (Class<?>) element;
            return List.of(value(raw, raw, i), value(raw, raw, i + 1));
        } else if (type == Map.class) {
            return Map.of("k" + i, "v" + i);
        } else if (type.isRecord()) {
            return sample(type);
        }
        throw new AssertionError("no sample for " + type + " (add one)");
    }
}
