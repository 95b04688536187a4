package io.pers.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.workflow.claim.ClaimActivities;
import io.pers.workflow.claim.ClaimTuning;
import io.pers.workflow.claim.ClaimWorkerConfig;
import io.pers.workflow.redemption.RedemptionTuning;
import io.pers.workflow.settlement.SettlementTuning;
import io.pers.workflow.webhook.WebhookTuning;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/** Each task queue's worker capacity comes from its workflows/*.yaml, as shipped. */
class WorkerSettingsTest {

    @Test
    void theShippedFilesSetEachQueuesWorker() throws Exception {
        WorkerOptions claims = bind("claim.yaml", "pers.workflows.claim", ClaimTuning.class)
                .worker()
                .options();
        assertThat(claims.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(16);
        assertThat(claims.getMaxConcurrentActivityTaskPollers()).isEqualTo(8);
        assertThat(claims.getMaxConcurrentWorkflowTaskExecutionSize()).isEqualTo(400);
        assertThat(claims.getMaxConcurrentActivityExecutionSize()).isEqualTo(200);
        assertThat(claims.getMaxConcurrentLocalActivityExecutionSize()).isEqualTo(200);

        WorkerOptions reversals = bind("claim.yaml", "pers.workflows.claim", ClaimTuning.class)
                .reversalWorker()
                .options();
        assertThat(reversals.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(2);
        assertThat(reversals.getMaxConcurrentActivityTaskPollers()).isEqualTo(2);

        WorkerOptions redemptions = bind("redemption.yaml", "pers.workflows.redemption", RedemptionTuning.class)
                .worker()
                .options();
        assertThat(redemptions.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(8);
        assertThat(redemptions.getMaxConcurrentLocalActivityExecutionSize()).isEqualTo(200);

        WorkerOptions settlement = bind("settlement.yaml", "pers.workflows.settlement", SettlementTuning.class)
                .worker()
                .options();
        assertThat(settlement.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(4);
        assertThat(settlement.getMaxConcurrentActivityExecutionSize()).isEqualTo(50);

        WorkerOptions webhooks = bind("webhook.yaml", "pers.workflows.webhook", WebhookTuning.class)
                .worker()
                .options();
        assertThat(webhooks.getMaxConcurrentActivityTaskPollers()).isEqualTo(32);
        assertThat(webhooks.getMaxConcurrentActivityExecutionSize()).isEqualTo(64);
    }

    @Test
    void aSettingLeftOutKeepsTheSdkDefault() {
        WorkerOptions defaults = WorkerOptions.newBuilder().validateAndBuildWithDefaults();
        WorkerOptions some = new WorkerSettings(3, null, null, null, 7).options();

        assertThat(some.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(3);
        assertThat(some.getMaxConcurrentLocalActivityExecutionSize()).isEqualTo(7);
        WorkerOptions built = WorkerOptions.newBuilder(some).validateAndBuildWithDefaults();
        assertThat(built.getMaxConcurrentActivityTaskPollers())
                .isEqualTo(defaults.getMaxConcurrentActivityTaskPollers());
        assertThat(built.getMaxConcurrentActivityExecutionSize())
                .isEqualTo(defaults.getMaxConcurrentActivityExecutionSize());
    }

    @Test
    void theClaimWorkerIsCreatedWithItsQueuesSettings() throws Exception {
        ClaimTuning tuning = bind("claim.yaml", "pers.workflows.claim", ClaimTuning.class);
        ClaimActivities activities = (ClaimActivities) Proxy.newProxyInstance(
                ClaimActivities.class.getClassLoader(), new Class<?>[] {ClaimActivities.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            ClaimWorkerConfig.register(env.getWorkerFactory(), activities, tuning);

            WorkerOptions applied =
                    env.getWorkerFactory().getWorker(TaskQueues.CLAIMS).getWorkerOptions();
            assertThat(applied.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(16);
            assertThat(applied.getMaxConcurrentWorkflowTaskExecutionSize()).isEqualTo(400);
            assertThat(applied.getMaxConcurrentLocalActivityExecutionSize()).isEqualTo(200);
        }
    }

    private static <T> T bind(String file, String prefix, Class<T> type) throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader()
                .load(file, new FileSystemResource(Path.of("workflows", file)))
                .forEach(env.getPropertySources()::addLast);
        return new Binder(ConfigurationPropertySources.get(env))
                .bind(prefix, type)
                .get();
    }
}
