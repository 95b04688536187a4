package io.pers.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.config.ConfigFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The canonical trigger's JSON Schema (connectors/canonical-trigger.schema.json), as the mapping step applies it. */
class IngestMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final IngestMapping mapping = new IngestMapping(new SimpleMeterRegistry(), new ConfigFiles(""));

    @Test
    void aCompleteEventPasses() throws Exception {
        mapping.validate(valid());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "time      | \"yesterday at noon\"",
                "source    | \"   \"",
                "id        | \"\"",
                "type      | 42",
                "data      | \"not an object\"",
                "subject   | 42",
                "tenant    | \"not-a-uuid\"",
                "specversion | \"0.3\""
            })
    void aBrokenFieldIsRefusedByName(String field, String value) throws Exception {
        ObjectNode event = valid();
        event.set(field, JSON.readTree(value));

        assertThatThrownBy(() -> mapping.validate(event)).isInstanceOfSatisfying(PersException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_EVENT);
            assertThat(e.getMessage()).startsWith(field + ": ");
        });
    }

    @Test
    void aMissingRequiredFieldIsNamed() throws Exception {
        ObjectNode event = valid();
        event.remove("source");

        assertThatThrownBy(() -> mapping.validate(event))
                .isInstanceOfSatisfying(
                        PersException.class, e -> assertThat(e.getMessage()).startsWith("source: "));
    }

    private static ObjectNode valid() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"specversion":"1.0","id":"e-1","source":"https://crm.example","type":"com.example.visit",
                 "subject":"a@example.com","time":"2026-11-20T14:03:27+00:00","data":{"n":1},
                 "tenant":"5f0c3c1e-8a51-4c3e-9d56-0f3a4c1b2e77","connector":"pers-webhook"}""");
    }
}
