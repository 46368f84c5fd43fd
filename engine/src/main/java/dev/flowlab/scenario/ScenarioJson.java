package dev.flowlab.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.flowlab.topology.Durations;
import java.io.IOException;
import java.time.Duration;

/** The one Jackson configuration scenario files are read and written with. */
final class ScenarioJson {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Well below Jackson's own limits: a scenario never needs more, and a file that goes
            // past them is refused with the limit named (ScenarioReader) before it costs anything.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(ScenarioLimits.MAX_NESTING_DEPTH)
                    .maxStringLength(ScenarioLimits.MAX_STRING_LENGTH)
                    .maxNameLength(ScenarioLimits.MAX_NAME_LENGTH)
                    .maxNumberLength(ScenarioLimits.MAX_NUMBER_LENGTH)
                    .maxDocumentLength(ScenarioLimits.MAX_FILE_BYTES)
                    .build())
            .build();

    static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A node may leave out "config": its kind alone says which (empty) config it gets.
            .disable(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Strict typing: "200" is not a number, 1.5 is not a whole number, 5 is not a string.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .addModule(scenarioModule())
            .build();

    private ScenarioJson() {
    }

    /** 2-space indentation, {@code "key": value}, one array element per line, "\n" line ends on every OS. */
    static DefaultPrettyPrinter canonicalPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = new Separators(Separators.DEFAULT_ROOT_VALUE_SEPARATOR,
                ':', Separators.Spacing.AFTER,
                ',', Separators.Spacing.NONE, "",
                ',', Separators.Spacing.NONE, "");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    private static SimpleModule scenarioModule() {
        SimpleModule m = new SimpleModule("flowlab-scenario");
        m.addSerializer(Duration.class, new DurationSerializer());
        m.addDeserializer(Duration.class, new DurationDeserializer());
        m.addSerializer(Double.class, new WholeNumberFriendlyDoubleSerializer());
        m.addSerializer(double.class, new WholeNumberFriendlyDoubleSerializer());
        return m;
    }

    /** Durations as nginx writes them ("60s", "200ms"), never ISO-8601 ("PT1M"). */
    static final class DurationSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(Durations.format(value));
        }
    }

    static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            }
            String text = p.getText();
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }

    /** Writes 200.0 as 200 and 120.0 as 120, so positions and rates stay as people type them. */
    static final class WholeNumberFriendlyDoubleSerializer extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            double d = value;
            if (d == Math.rint(d) && Math.abs(d) < 1e15 && !(d == 0 && 1 / d < 0)) {
                gen.writeNumber((long) d);
            } else {
                gen.writeNumber(d);
            }
        }
    }
}
