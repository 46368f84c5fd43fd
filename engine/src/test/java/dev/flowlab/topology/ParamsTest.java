package dev.flowlab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamsTest {
    @Test
    void fieldNamesAndProblemPathsAreTheFilesNames_evenWhereJavaNamesDiffer() {
        RequestMix mix = new RequestMix(1, -1, 6);
        assertThat(Params.fields(mix)).extracting(Params.Field::name).containsExactly("page", "static", "api");
        assertThat(Params.check(mix, "traffic.mix")).containsExactly("traffic.mix.static: -1 is out of range 0..1000");
        HaGroup group = new HaGroup("g", null, null, null, null, List.of(), null);
        assertThat(Params.fields(group)).extracting(Params.Field::name).contains("virtual_router_id", "advert_int");
    }

    @Test
    void withDefaults_fillsUnsetFields_andNestedRecords_keepsSetOnes() {
        TomcatConfig eff = Params.withDefaults(TomcatConfig.EMPTY.withMaxThreads(2));
        assertThat(eff.maxThreads()).isEqualTo(2);
        assertThat(eff.acceptCount()).isEqualTo(100);
        assertThat(eff.maxConnections()).isEqualTo(8192);
        assertThat(eff.connectionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(eff.effectiveKeepAliveTimeout()).as("keepAliveTimeout unset means connectionTimeout").isEqualTo(Duration.ofSeconds(60));
        assertThat(eff.serviceTime().distribution()).isEqualTo("fixed");
    }
}
