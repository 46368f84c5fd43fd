package dev.flowlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.topology.RequestMix;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrowserMixTest {

    private static List<BrowserMix.Request> draw(BrowserMix mix, int n) {
        List<BrowserMix.Request> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(mix.next());
        }
        return out;
    }

    @Test
    void sameSeed_sameSequence_otherSeed_otherSequence() {
        assertThat(draw(new BrowserMix(null, 7), 200)).isEqualTo(draw(new BrowserMix(null, 7), 200));
        assertThat(draw(new BrowserMix(null, 7), 200)).isNotEqualTo(draw(new BrowserMix(null, 8), 200));
    }

    @Test
    void defaultWeights_givePageStaticApiInOneToThreeToSix() {
        Map<BrowserMix.Kind, Integer> counts = new EnumMap<>(BrowserMix.Kind.class);
        for (BrowserMix.Request r : draw(new BrowserMix(null, 1), 20_000)) {
            counts.merge(r.kind(), 1, Integer::sum);
        }
        assertThat(counts.get(BrowserMix.Kind.PAGE)).isBetween(1600, 2400);
        assertThat(counts.get(BrowserMix.Kind.STATIC)).isBetween(5400, 6600);
        assertThat(counts.get(BrowserMix.Kind.API)).isBetween(11_400, 12_600);
    }

    @Test
    void staticAssetsRotate_apiCallsAlternateSearchAndItem() {
        List<BrowserMix.Request> requests = draw(new BrowserMix(new RequestMix(1, 1, 1), 3), 300);
        List<String> statics = requests.stream().filter(r -> r.kind() == BrowserMix.Kind.STATIC).map(BrowserMix.Request::path).toList();
        for (int i = 0; i < statics.size(); i++) {
            assertThat(statics.get(i)).isEqualTo(BrowserMix.STATIC_PATHS.get(i % 3));
        }
        List<String> api = requests.stream().filter(r -> r.kind() == BrowserMix.Kind.API).map(BrowserMix.Request::path).toList();
        assertThat(api).isNotEmpty();
        for (int i = 0; i < api.size(); i++) {
            assertThat(api.get(i)).matches(i % 2 == 0 ? "/api/search\\?q=[a-z]+" : "/api/item/\\d+");
        }
        assertThat(requests).filteredOn(r -> r.kind() == BrowserMix.Kind.PAGE).allMatch(r -> r.path().equals("/"));
    }

    @Test
    void onlyApiWeight_sendsOnlyApiCalls_allZero_isRejected() {
        assertThat(draw(new BrowserMix(new RequestMix(0, 0, 5), 1), 100)).allMatch(r -> r.kind() == BrowserMix.Kind.API);
        assertThatThrownBy(() -> new BrowserMix(new RequestMix(0, 0, 0), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
