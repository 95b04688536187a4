package io.pers.stack;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Temporal: a cluster at {@code pers.temporal.target}. Unset, the developer's embedded stack stands
 * in (Temporal's Java test server, {@code io.pers.dev}); the packaged jar has none, and production
 * mode never uses it ({@link StackMode}).
 */
@Configuration(proxyBeanMethods = false)
class TemporalStackConfig {

    record TemporalTarget(String address, EmbeddedService embedded) implements AutoCloseable {
        @Override
        public void close() {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    TemporalTarget temporalTarget(
            @Value("${pers.temporal.target:}") String target, Environment env, ObjectProvider<EmbeddedStack> stack) {
        if (!target.isBlank()) {
            return new TemporalTarget(target, null);
        }
        EmbeddedService embedded =
                StackMode.standIn(env, stack, StackMode.TEMPORAL_TARGET).temporal();
        return new TemporalTarget(embedded.address(), embedded);
    }

    /** A cluster with its TLS, mTLS and API key as configured (TemporalConnection); the test server in the clear. */
    @Bean(destroyMethod = "shutdown")
    WorkflowServiceStubs workflowServiceStubs(TemporalTarget target, TemporalConnection connection) {
        return WorkflowServiceStubs.newServiceStubs(
                target.embedded() == null
                        ? connection.options(target.address())
                        : WorkflowServiceStubsOptions.newBuilder()
                                .setTarget(target.address())
                                .build());
    }

    @Bean
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalConnection connection) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(connection.namespace())
                        .build());
    }

    /** Every worker shares the factory's interceptors (e.g. workflow.StepLatencyInterceptor). */
    @Bean
    WorkerFactory workerFactory(WorkflowClient client, List<WorkerInterceptor> interceptors) {
        return WorkerFactory.newInstance(
                client,
                WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(interceptors.toArray(WorkerInterceptor[]::new))
                        .build());
    }

    /** Starts the workers once every capability has registered its workflows, stops them first on shutdown. */
    @Bean
    SmartLifecycle temporalWorkers(WorkerFactory factory) {
        return new SmartLifecycle() {
            @Override
            public void start() {
                factory.start();
            }

            @Override
            public void stop() {
                factory.shutdown();
                factory.awaitTermination(10, TimeUnit.SECONDS);
            }

            @Override
            public boolean isRunning() {
                return factory.isStarted() && !factory.isShutdown();
            }
        };
    }

    @Bean
    HealthIndicator temporal(WorkflowServiceStubs stubs, TemporalTarget target, TemporalConnection connection) {
        return () -> {
            try {
                var info = stubs.blockingStub()
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
                return Health.up()
                        .withDetail("target", target.address())
                        .withDetail("namespace", connection.namespace())
                        .withDetail("tls", target.embedded() == null && connection.tlsOn())
                        .withDetail("embedded", target.embedded() != null)
                        .withDetail("serverVersion", info.getServerVersion())
                        .build();
            } catch (RuntimeException e) {
                return Health.down()
                        .withDetail("target", target.address())
                        .withException(e)
                        .build();
            }
        };
    }
}
