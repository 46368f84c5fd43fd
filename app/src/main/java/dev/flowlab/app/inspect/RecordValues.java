package dev.flowlab.app.inspect;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/** Reads and replaces one (possibly nested) component of an immutable config record. */
final class RecordValues {
    private RecordValues() {
    }

    static Object get(Record record, List<String> path) {
        Object current = record;
        for (String name : path) {
            if (!(current instanceof Record r)) {
                return null;
            }
            current = read(r, component(r.getClass(), name));
        }
        return current;
    }

    /** A copy of {@code record} with the component at {@code path} set to {@code value}; absent nested records are created empty. */
    @SuppressWarnings("unchecked")
    static <R extends Record> R with(R record, List<String> path, Object value) {
        RecordComponent[] rcs = record.getClass().getRecordComponents();
        Object[] args = new Object[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            args[i] = read(record, rcs[i]);
            if (rcs[i].getName().equals(path.get(0))) {
                if (path.size() == 1) {
                    args[i] = value;
                } else {
                    Record nested = args[i] instanceof Record r ? r : empty((Class<? extends Record>) rcs[i].getType());
                    Record updated = with(nested, path.subList(1, path.size()), value);
                    args[i] = isEmpty(updated) ? null : updated;
                }
            }
        }
        return construct((Class<R>) record.getClass(), args);
    }

    static boolean isEmpty(Record r) {
        return Arrays.stream(r.getClass().getRecordComponents()).allMatch(rc -> read(r, rc) == null);
    }

    static RecordComponent component(Class<?> type, String name) {
        for (RecordComponent rc : type.getRecordComponents()) {
            if (rc.getName().equals(name)) {
                return rc;
            }
        }
        throw new IllegalArgumentException(type.getSimpleName() + " has no component " + name);
    }

    static Object read(Record r, RecordComponent rc) {
        try {
            rc.getAccessor().setAccessible(true);
            return rc.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + rc.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }

    static <R extends Record> R empty(Class<R> type) {
        return construct(type, new Object[type.getRecordComponents().length]);
    }

    private static <R extends Record> R construct(Class<R> type, Object[] args) {
        try {
            Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<R> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalArgumentException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }
}
