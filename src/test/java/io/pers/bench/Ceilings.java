package io.pers.bench;

import io.pers.api.Allow;
import io.pers.api.Role;
import io.pers.stack.KafkaClients;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What each benchmarked operation would cost with PERS's own work taken out, on the same embedded
 * stack, behind the same HTTP entry (filters, API-key authentication), in the same run: the
 * denominators of the claims and ingest ratios. Only in the benchmark's application
 * ({@code pers.bench.ceilings=true}); never in the product.
 *
 * <ul>
 *   <li>{@code POST /v2/bench/noop-workflow}: a workflow of the claim's shape (eager start, three
 *       local activities: eligibility, mint, notify) whose steps do nothing, the request answered
 *       when its last step ran, as a claim's is when its decision commits.
 *   <li>{@code POST /v2/bench/noop-ingest}: the body sent to a Kafka topic with acks=all, answered
 *       202 once acknowledged, as a connector delivery is after its checks and its dedup row.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "pers.bench.ceilings", havingValue = "true")
class Ceilings {

    static final String TASK_QUEUE = "pers-bench-noop";
    static final String TOPIC = "pers.bench-noop";

    @WorkflowInterface
    public interface NoopWorkflow {
        @WorkflowMethod
        void run(String id);
    }

    @ActivityInterface
    public interface NoopSteps {
        void checkEligibility(String id);

        void mint(String id);

        void notifyCompleted(String id);
    }

    public static class NoopWorkflowImpl implements NoopWorkflow {
        private final NoopSteps local = Workflow.newLocalActivityStub(
                NoopSteps.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(10))
                        .build());

        @Override
        public void run(String id) {
            local.checkEligibility(id);
            local.mint(id);
            local.notifyCompleted(id);
        }
    }

    /** The steps; the last wakes the request waiting for it, as a claim's decision does. */
    static class Steps implements NoopSteps {
        final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

        @Override
        public void checkEligibility(String id) {}

        @Override
        public void mint(String id) {}

        @Override
        public void notifyCompleted(String id) {
            CompletableFuture<Void> waiter = waiting.remove(id);
            if (waiter != null) {
                waiter.complete(null);
            }
        }
    }

    @Bean
    Steps noopSteps() {
        return new Steps();
    }

    @Bean
    Worker noopWorker(WorkerFactory factory, Steps steps) {
        Worker worker = factory.newWorker(
                TASK_QUEUE,
                WorkerOptions.newBuilder()
                        .setMaxConcurrentWorkflowTaskPollers(16)
                        .setMaxConcurrentWorkflowTaskExecutionSize(400)
                        .setMaxConcurrentLocalActivityExecutionSize(200)
                        .build());
        worker.registerWorkflowImplementationTypes(
                WorkflowImplementationOptions.newBuilder().build(), NoopWorkflowImpl.class);
        worker.registerActivitiesImplementations(steps);
        return worker;
    }

    @Bean(destroyMethod = "close")
    KafkaProducer<String, byte[]> noopProducer(KafkaClients kafka) {
        kafka.createTopic(TOPIC);
        return new KafkaProducer<>(
                kafka.config(Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "pers-bench-noop")),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    // Found by component scanning on its own: it carries the condition too.
    @RestController
    @ConditionalOnProperty(name = "pers.bench.ceilings", havingValue = "true")
    static class NoopController {
        private final WorkflowClient workflows;
        private final Steps steps;
        private final KafkaProducer<String, byte[]> producer;

        NoopController(WorkflowClient workflows, Steps steps, KafkaProducer<String, byte[]> noopProducer) {
            this.workflows = workflows;
            this.steps = steps;
            this.producer = noopProducer;
        }

        @PostMapping("/v2/bench/noop-workflow")
        @Allow(Role.SYSTEM)
        ResponseEntity<Map<String, String>> workflow() throws Exception {
            String id = UUID.randomUUID().toString();
            CompletableFuture<Void> done = steps.waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
            NoopWorkflow workflow = workflows.newWorkflowStub(
                    NoopWorkflow.class,
                    WorkflowOptions.newBuilder()
                            .setWorkflowId("bench-noop-" + id)
                            .setTaskQueue(TASK_QUEUE)
                            .setDisableEagerExecution(false)
                            .build());
            WorkflowClient.start(workflow::run, id);
            done.get(10, TimeUnit.SECONDS);
            return ResponseEntity.status(201).body(Map.of("id", id));
        }

        @PostMapping("/v2/bench/noop-ingest")
        @Allow(Role.SYSTEM)
        ResponseEntity<Map<String, String>> ingest(@RequestBody String body) throws Exception {
            producer.send(new ProducerRecord<>(TOPIC, UUID.randomUUID().toString(), body.getBytes()))
                    .get(15, TimeUnit.SECONDS);
            return ResponseEntity.status(202).body(Map.of("status", "accepted"));
        }
    }
}
