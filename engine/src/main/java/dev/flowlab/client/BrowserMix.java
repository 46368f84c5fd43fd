package dev.flowlab.client;

import dev.flowlab.topology.Params;
import dev.flowlab.topology.RequestMix;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a browser on the demo shop asks for, in the proportions of a {@link RequestMix}: the page,
 * its static assets (rotating), and API calls (alternating search and item detail). Deterministic
 * for a seed, so two runs send the same sequence. Not thread-safe: one client's loop owns it.
 */
public final class BrowserMix {
    public enum Kind { PAGE, STATIC, API }

    /** One request to send. */
    public record Request(Kind kind, String path) {
    }

    static final List<String> STATIC_PATHS = List.of("/static/css/shop.css", "/static/js/shop.js", "/static/img/logo.svg");
    static final List<String> SEARCH_WORDS = List.of("phone", "laptop", "shoes", "tea", "camera", "dress",
            "keyboard", "umbrella", "backpack", "watch");
    static final int ITEMS = 1000;

    private final int pageWeight;
    private final int staticWeight;
    private final int total;
    private final SplittableRandom random;
    private int staticIndex;
    private boolean searchNext = true;

    public BrowserMix(RequestMix mix, long seed) {
        RequestMix effective = Params.withDefaults(mix != null ? mix : new RequestMix(null, null, null));
        this.pageWeight = effective.page();
        this.staticWeight = effective.staticAssets();
        this.total = pageWeight + staticWeight + effective.api();
        if (total <= 0) {
            throw new IllegalArgumentException("traffic mix: the weights of page, static and api are all 0");
        }
        this.random = new SplittableRandom(seed);
    }

    public Request next() {
        int pick = random.nextInt(total);
        if (pick < pageWeight) {
            return new Request(Kind.PAGE, "/");
        }
        if (pick < pageWeight + staticWeight) {
            String path = STATIC_PATHS.get(staticIndex);
            staticIndex = (staticIndex + 1) % STATIC_PATHS.size();
            return new Request(Kind.STATIC, path);
        }
        boolean search = searchNext;
        searchNext = !searchNext;
        if (search) {
            return new Request(Kind.API, "/api/search?q=" + SEARCH_WORDS.get(random.nextInt(SEARCH_WORDS.size())));
        }
        return new Request(Kind.API, "/api/item/" + (1 + random.nextInt(ITEMS)));
    }
}
