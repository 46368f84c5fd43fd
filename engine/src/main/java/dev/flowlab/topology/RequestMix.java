package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Relative weights of the request kinds a browser sends: the page, its static assets, API calls. */
@JsonPropertyOrder({"page", "static", "api"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestMix(
        @Param(def = "1", min = 0, max = 1000, doc = "Weight of page requests (GET /)") Integer page,
        @JsonProperty("static") @Param(def = "3", min = 0, max = 1000, doc = "Weight of static assets (GET /static/...)") Integer staticAssets,
        @Param(def = "6", min = 0, max = 1000, doc = "Weight of API calls (search, item detail)") Integer api) {
}
