package dev.flowlab.topology;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one configuration field: its real default (as text, in the file's own syntax, e.g.
 * "200" or "60s"; empty when there is none), unit, allowed range, and a sentence for tooltips.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Param {
    String def() default "";

    String unit() default "";

    double min() default Double.NEGATIVE_INFINITY;

    double max() default Double.POSITIVE_INFINITY;

    /** Allowed values for a string field (empty: any). */
    String[] oneOf() default {};

    /** What the field means, and where the real software calls it the same. */
    String doc() default "";

    /**
     * What the value names, for an editor to offer the existing ones: {@link #NODE} (a node id of
     * the scenario), {@link #UPSTREAM} (an upstream block of the same node). Empty: free text.
     */
    String[] refersTo() default {};

    String NODE = "node";
    String UPSTREAM = "upstream";
}
