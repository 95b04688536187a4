package io.pers.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Which properties a start needs, by mode and by whether an embedded stack is there to stand in. */
class StackModeTest {

    private static final List<String> TARGETS = List.of(
            "spring.datasource.url",
            "spring.datasource.username",
            "pers.temporal.target",
            "pers.kafka.bootstrap-servers");

    @Test
    void productionNeedsEveryServiceAndTheMasterKeyEvenWithAnEmbeddedStackThere() {
        MockEnvironment env = new MockEnvironment().withProperty("pers.mode", "production");
        assertThat(names(StackMode.missing(env, true)))
                .containsExactlyElementsOf(concat(TARGETS, "pers.secrets.master-key"));
        assertThat(names(StackMode.missing(env, false)))
                .containsExactlyElementsOf(concat(TARGETS, "pers.secrets.master-key"));
    }

    @Test
    void productionIsSatisfiedByEveryPropertySet() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("pers.mode", "PRODUCTION")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/pers")
                .withProperty("spring.datasource.username", "pers_app")
                .withProperty("pers.temporal.target", "temporal:7233")
                .withProperty("pers.kafka.bootstrap-servers", "kafka:9092")
                .withProperty("pers.secrets.master-key", "a2V5");
        assertThat(StackMode.missing(env, false)).isEmpty();
    }

    @Test
    void masterKeysByIdStandForTheSingleMasterKey() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("pers.mode", "production")
                .withProperty("pers.secrets.master-keys.k2026", "a2V5")
                .withProperty("pers.secrets.current-key-id", "k2026");
        assertThat(names(StackMode.missing(env, false))).containsExactlyElementsOf(TARGETS);
    }

    @Test
    void withoutAnEmbeddedStackEveryTargetIsNeededOutsideProductionToo() {
        assertThat(names(StackMode.missing(new MockEnvironment(), false))).containsExactlyElementsOf(TARGETS);
    }

    @Test
    void theDeveloperStackStandsInForWhatIsUnsetButAGivenDatabaseNeedsItsUser() {
        assertThat(StackMode.missing(new MockEnvironment(), true)).isEmpty();
        MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/pers");
        assertThat(names(StackMode.missing(env, true))).containsExactly("spring.datasource.username");
    }

    @Test
    void theFailureNamesEachPropertyAndItsEnvironmentVariable() {
        var analysis = new MissingConfigurationFailureAnalyzer()
                .analyze(new MissingConfigurationException(
                        StackMode.missing(new MockEnvironment().withProperty("pers.mode", "production"), true), true));
        assertThat(analysis.getDescription())
                .contains("pers.mode=production")
                .contains("pers.kafka.bootstrap-servers (PERS_KAFKA_BOOTSTRAP_SERVERS)")
                .contains("spring.datasource.url (SPRING_DATASOURCE_URL)")
                .contains("pers.secrets.master-key (PERS_SECRETS_MASTER_KEY)");
        assertThat(analysis.getAction()).contains("Running in production");
    }

    private static List<String> names(List<StackMode.Requirement> requirements) {
        return requirements.stream().map(StackMode.Requirement::property).toList();
    }

    private static List<String> concat(List<String> first, String last) {
        return java.util.stream.Stream.concat(first.stream(), java.util.stream.Stream.of(last))
                .toList();
    }
}
