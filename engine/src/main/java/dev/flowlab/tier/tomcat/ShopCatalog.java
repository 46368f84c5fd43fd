package dev.flowlab.tier.tomcat;

import dev.flowlab.net.http.JsonText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo shop's goods: a fixed, generated catalogue (the same on every node and every run),
 * so responses from different Tomcats can be compared and searches are repeatable.
 */
final class ShopCatalog {
    static final int SIZE = 1000;
    static final int MAX_RESULTS = 10;

    private static final String[] PRODUCTS = {"Phone", "Laptop", "Headphones", "Sneakers", "Green Tea", "Backpack",
        "Camera", "Watch", "Keyboard", "Jacket", "Desk Lamp", "Mug", "Tablet", "Speaker", "Umbrella", "Rice Cooker"};
    private static final String[] STYLES = {"Classic", "Pro", "Mini", "Ultra", "Eco", "Smart", "Retro", "Lite"};
    private static final String[] COLOURS = {"Black", "White", "Red", "Blue", "Green", "Silver", "Gold"};
    private static final String[] SHOPS = {"Lab Flagship Store", "Loopback Outlet", "Netty Goods", "Port 8080 Market"};

    record Item(int id, String title, String titleLower, long priceCents, int stock, String shop, String json) {
    }

    private static final Item[] ITEMS = build();

    private ShopCatalog() {
    }

    private static Item[] build() {
        Item[] items = new Item[SIZE];
        for (int id = 1; id <= SIZE; id++) {
            String product = PRODUCTS[(id - 1) % PRODUCTS.length];
            String style = STYLES[((id - 1) / PRODUCTS.length) % STYLES.length];
            String colour = COLOURS[(id * 7) % COLOURS.length];
            String title = style + " " + product + ", " + colour;
            long price = 990 + (id * 7919L) % 99_000;
            int stock = (id * 31) % 500;
            String shop = SHOPS[id % SHOPS.length];
            StringBuilder json = new StringBuilder(128).append("{\"id\":").append(id).append(",\"title\":");
            JsonText.appendQuoted(json, title).append(",\"price\":").append(price / 100).append('.')
                    .append(String.format(Locale.ROOT, "%02d", price % 100)).append(",\"currency\":\"CNY\"}");
            items[id - 1] = new Item(id, title, title.toLowerCase(Locale.ROOT), price, stock, shop, json.toString());
        }
        return items;
    }

    static Item item(int id) {
        return id >= 1 && id <= SIZE ? ITEMS[id - 1] : null;
    }

    /** Items whose title contains the query (case-insensitive), at most {@link #MAX_RESULTS}; {@code total} counts all. */
    static SearchResult search(String query) {
        String q = query.toLowerCase(Locale.ROOT).trim();
        List<Item> hits = new ArrayList<>(MAX_RESULTS);
        int total = 0;
        for (Item it : ITEMS) {
            if (it.titleLower.contains(q)) {
                total++;
                if (hits.size() < MAX_RESULTS) {
                    hits.add(it);
                }
            }
        }
        return new SearchResult(hits, total);
    }

    /** A few items chosen by the query's hash: what the shop suggests when nothing matches. */
    static List<Item> related(String query) {
        int h = Math.floorMod(query.toLowerCase(Locale.ROOT).trim().hashCode(), SIZE);
        return List.of(ITEMS[h], ITEMS[(h + 337) % SIZE], ITEMS[(h + 661) % SIZE]);
    }

    record SearchResult(List<Item> items, int total) {
    }
}
