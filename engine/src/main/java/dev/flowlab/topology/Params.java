package dev.flowlab.topology;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the {@link Param} descriptions of configuration records: the effective values (defaults
 * filled in), and range checks. One generic mechanism instead of a getter per field.
 */
public final class Params {
    /**
     * Each record type's components, read once: {@code getRecordComponents()} makes new objects
     * whose annotations are parsed again on every call, and a check visits every server of every
     * upstream of every node (that parsing was most of the time a large scenario took to read).
     */
    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return type.getRecordComponents();
        }
    };
    private static final ClassValue<Param[]> PARAMS = new ClassValue<>() {
        @Override
        protected Param[] computeValue(Class<?> type) {
            return Arrays.stream(COMPONENTS.get(type)).map(rc -> rc.getAnnotation(Param.class)).toArray(Param[]::new);
        }
    };
    private static final ClassValue<String[]> JSON_NAMES = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            return Arrays.stream(COMPONENTS.get(type)).map(Params::jsonName).toArray(String[]::new);
        }
    };

    private Params() {
    }

    /** A description of one field, for the editor and for messages. */
    public record Field(String name, Class<?> type, Param param, Object value) {
        public boolean isSet() {
            return value != null;
        }
    }

    public static List<Field> fields(Record config) {
        List<Field> out = new ArrayList<>();
        RecordComponent[] rcs = COMPONENTS.get(config.getClass());
        Param[] params = PARAMS.get(config.getClass());
        String[] names = JSON_NAMES.get(config.getClass());
        for (int i = 0; i < rcs.length; i++) {
            out.add(new Field(names[i], rcs[i].getType(), params[i], read(rcs[i], config)));
        }
        return out;
    }

    /** A copy with every unset field that has a default set to it; nested records and lists of records too. */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R withDefaults(R config) {
        RecordComponent[] rcs = COMPONENTS.get(config.getClass());
        Param[] params = PARAMS.get(config.getClass());
        Object[] args = new Object[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            RecordComponent rc = rcs[i];
            Object v = read(rc, config);
            Param p = params[i];
            if (v == null && rc.getType().isRecord()) {
                v = withDefaults(emptyRecord((Class<? extends Record>) rc.getType()));
            } else if (v instanceof Record r) {
                v = withDefaults(r);
            } else if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Record) {
                v = list.stream().map(e -> e instanceof Record r ? withDefaults(r) : e).toList();
            } else if (v == null && p != null && !p.def().isEmpty()) {
                v = parseValue(rc.getType(), p.def());
            }
            args[i] = v;
        }
        return (R) construct((Class<R>) config.getClass(), args);
    }

    /** Problems with set values: out of range, not one of the allowed words. Paths are relative, dotted. */
    public static List<String> check(Record config, String path) {
        List<String> problems = new ArrayList<>();
        RecordComponent[] rcs = COMPONENTS.get(config.getClass());
        Param[] params = PARAMS.get(config.getClass());
        String[] names = JSON_NAMES.get(config.getClass());
        for (int c = 0; c < rcs.length; c++) {
            Object v = read(rcs[c], config);
            String where = path.isEmpty() ? names[c] : path + "." + names[c];
            Param p = params[c];
            if (v instanceof Record r) {
                problems.addAll(check(r, where));
                continue;
            }
            if (v instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof Record r) {
                        problems.addAll(check(r, where + "[" + i + "]"));
                    }
                }
                continue;
            }
            if (v == null || p == null) {
                continue;
            }
            double num = Double.NaN;
            if (v instanceof Number n) {
                num = n.doubleValue();
            } else if (v instanceof Duration d) {
                num = d.toNanos() / 1e9;
                if (d.isNegative()) {
                    problems.add(where + ": must not be negative");
                    continue;
                }
            }
            if (!Double.isNaN(num) && (num < p.min() || num > p.max()) && !(v instanceof Duration)) {
                problems.add(where + ": " + v + " is out of range " + range(p) + (p.unit().isEmpty() ? "" : " " + p.unit()));
            }
            if (v instanceof String s && p.oneOf().length > 0 && !Arrays.asList(p.oneOf()).contains(s)) {
                problems.add(where + ": '" + s + "' is not one of " + String.join(", ", p.oneOf()));
            }
        }
        return problems;
    }

    private static String range(Param p) {
        String lo = Double.isInfinite(p.min()) ? "" : fmt(p.min());
        String hi = Double.isInfinite(p.max()) ? "" : fmt(p.max());
        return lo + ".." + hi;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    public static Object parseValue(Class<?> type, String text) {
        if (type == Integer.class || type == int.class) {
            return Integer.valueOf(text);
        }
        if (type == Long.class || type == long.class) {
            return Long.valueOf(text);
        }
        if (type == Double.class || type == double.class) {
            return Double.valueOf(text);
        }
        if (type == Boolean.class || type == boolean.class) {
            return Boolean.valueOf(text);
        }
        if (type == Duration.class) {
            return Durations.parse(text);
        }
        if (type == String.class) {
            return text;
        }
        throw new IllegalArgumentException("no default parsing for " + type.getName());
    }

    /** The field's name in scenario files (its {@code @JsonProperty} name, else the component's). */
    public static String jsonName(RecordComponent rc) {
        // @JsonProperty cannot target a record component: on a component it lands on the accessor.
        com.fasterxml.jackson.annotation.JsonProperty jp =
                rc.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
        return jp != null && !jp.value().isEmpty() ? jp.value() : rc.getName();
    }

    private static Object read(RecordComponent rc, Record r) {
        try {
            return rc.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + rc.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }

    private static <R extends Record> R emptyRecord(Class<R> type) {
        return construct(type, new Object[COMPONENTS.get(type).length]);
    }

    private static <R extends Record> R construct(Class<R> type, Object[] args) {
        try {
            Class<?>[] types = Arrays.stream(COMPONENTS.get(type)).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<R> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }
}
