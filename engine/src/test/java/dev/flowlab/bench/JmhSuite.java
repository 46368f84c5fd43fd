package dev.flowlab.bench;

import java.util.Collection;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The hot paths' micro-benchmarks (JMH): the balancers' pick and free, the Maglev table's lookup
 * and build, Netty's decoding of a request head, the DNS tier's answer, the event bus with and
 * without a listener. A regression shows here before the end-to-end benches. Timing claims live
 * here, not in tests: it runs only under the bench profile, one fork per benchmark:
 * <pre>./mvnw -B -Pbench -pl engine test -Dtest=JmhSuite</pre>
 * {@code -Djmh.include=REGEX} runs a subset (e.g. {@code Maglev}); the table it prints goes into BENCHMARKS.md.
 */
class JmhSuite {
    @Test
    void hotPaths() throws RunnerException {
        Assumptions.assumeTrue(Boolean.getBoolean("bench"), "benchmark: run with -Pbench (the profile sets -Dbench=true)");
        Options options = new OptionsBuilder()
                .include(System.getProperty("jmh.include", "dev\\.flowlab\\..*Jmh"))
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xmx512m")
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        StringBuilder out = new StringBuilder("| benchmark | params | score | ± (99.9%) | unit |\n|---|---|---|---|---|\n");
        for (RunResult r : results) {
            var p = r.getParams();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
            StringBuilder params = new StringBuilder();
            for (String k : p.getParamsKeys()) {
                params.append(params.length() == 0 ? "" : ", ").append(k).append('=').append(p.getParam(k));
            }
            var s = r.getPrimaryResult();
            out.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s |%n", name, params, s.getScore(), s.getScoreError(),
                    s.getScoreUnit()));
        }
        System.out.println(out);
    }
}
