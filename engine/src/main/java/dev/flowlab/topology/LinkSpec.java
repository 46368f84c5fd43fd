package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A directed link: {@code from} opens connections to {@code to} (client side to server side). */
@JsonPropertyOrder({"from", "to", "label"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkSpec(String from, String to, String label) {
    public static LinkSpec of(String from, String to) {
        return new LinkSpec(from, to, null);
    }
}
