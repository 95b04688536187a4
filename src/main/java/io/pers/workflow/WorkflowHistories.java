package io.pers.workflow;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * A workflow's state and history as operators read them, through Temporal's describe and history
 * calls (which the embedded test server answers too; it has no list or visibility API). Callers
 * name workflow ids they read from their tenant's own rows, never ids a client sent.
 */
@Component
public class WorkflowHistories {

    /** At most this many events are summarised; {@link Execution#truncated()} says when more exist. */
    static final int MAX_EVENTS = 1_000;

    private static final long DEADLINE_SECONDS = 5;
    private static final String LOCAL_ACTIVITY_MARKER = "LocalActivity";

    /** One workflow run: {@code status} as Temporal names it without its prefix (RUNNING, COMPLETED, FAILED, …). */
    public record Execution(
            String workflowId,
            String runId,
            String workflowType,
            String status,
            Instant startTime,
            Instant closeTime,
            String taskQueue,
            long historyLength,
            boolean truncated,
            List<Event> events) {}

    /**
     * One history event: {@code activity} names the activity an activity event or a local
     * activity's marker is about; {@code attempt} is set on a started activity; {@code failure}
     * is the failure's message where the event carries one (on a started activity: the previous
     * attempt's).
     */
    public record Event(long id, Instant time, String type, String activity, Integer attempt, String failure) {}

    private final WorkflowClient client;

    WorkflowHistories(WorkflowClient client) {
        this.client = client;
    }

    /** The workflow's latest run, or empty when Temporal does not know it (never started, or past retention). */
    public Optional<Execution> find(String workflowId) {
        try {
            return describe(workflowId);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw new PersException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "Temporal did not answer: " + e.getStatus().getCode());
        }
    }

    private Optional<Execution> describe(String workflowId) {
        String namespace = client.getOptions().getNamespace();
        WorkflowExecutionInfo info = stub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(namespace)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build())
                .getWorkflowExecutionInfo();
        List<HistoryEvent> events = history(namespace, info.getExecution());
        return Optional.of(new Execution(
                workflowId,
                info.getExecution().getRunId(),
                info.getType().getName(),
                info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
                instant(info.getStartTime()),
                info.hasCloseTime() && info.getCloseTime().getSeconds() > 0 ? instant(info.getCloseTime()) : null,
                info.getTaskQueue(),
                info.getHistoryLength(),
                events.size() > MAX_EVENTS,
                summarise(
                        events.size() > MAX_EVENTS ? events.subList(0, MAX_EVENTS) : events,
                        client.getOptions().getDataConverter())));
    }

    private List<HistoryEvent> history(String namespace, WorkflowExecution execution) {
        List<HistoryEvent> events = new ArrayList<>();
        ByteString page = ByteString.EMPTY;
        do {
            GetWorkflowExecutionHistoryResponse response = stub().getWorkflowExecutionHistory(
                            GetWorkflowExecutionHistoryRequest.newBuilder()
                                    .setNamespace(namespace)
                                    .setExecution(execution)
                                    .setNextPageToken(page)
                                    .build());
            events.addAll(response.getHistory().getEventsList());
            page = response.getNextPageToken();
        } while (!page.isEmpty() && events.size() <= MAX_EVENTS);
        return events;
    }

    static List<Event> summarise(List<HistoryEvent> events, DataConverter converter) {
        Map<Long, String> scheduled = new HashMap<>();
        List<Event> summary = new ArrayList<>(events.size());
        for (HistoryEvent e : events) {
            String activity = null;
            Integer attempt = null;
            Failure failure = null;
            switch (e.getEventType()) {
                case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
                    activity = e.getActivityTaskScheduledEventAttributes()
                            .getActivityType()
                            .getName();
                    scheduled.put(e.getEventId(), activity);
                }
                case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
                    activity = scheduled.get(
                            e.getActivityTaskStartedEventAttributes().getScheduledEventId());
                    attempt = e.getActivityTaskStartedEventAttributes().getAttempt();
                    failure = e.getActivityTaskStartedEventAttributes().getLastFailure();
                }
                case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
                    activity = scheduled.get(
                            e.getActivityTaskCompletedEventAttributes().getScheduledEventId());
                case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
                    activity = scheduled.get(
                            e.getActivityTaskFailedEventAttributes().getScheduledEventId());
                    failure = e.getActivityTaskFailedEventAttributes().getFailure();
                }
                case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> {
                    activity = scheduled.get(
                            e.getActivityTaskTimedOutEventAttributes().getScheduledEventId());
                    failure = e.getActivityTaskTimedOutEventAttributes().getFailure();
                }
                case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
                    activity = scheduled.get(
                            e.getActivityTaskCanceledEventAttributes().getScheduledEventId());
                case EVENT_TYPE_MARKER_RECORDED -> {
                    var marker = e.getMarkerRecordedEventAttributes();
                    if (LOCAL_ACTIVITY_MARKER.equals(marker.getMarkerName())) {
                        activity = text(marker.getDetailsMap().get("type"), converter);
                    }
                    failure = marker.getFailure();
                }
                case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED ->
                    failure = e.getWorkflowExecutionFailedEventAttributes().getFailure();
                case EVENT_TYPE_WORKFLOW_TASK_FAILED ->
                    failure = e.getWorkflowTaskFailedEventAttributes().getFailure();
                default -> {}
            }
            summary.add(new Event(
                    e.getEventId(),
                    instant(e.getEventTime()),
                    e.getEventType().name().replace("EVENT_TYPE_", ""),
                    activity,
                    attempt,
                    failure == null || failure.getMessage().isEmpty() ? null : failure.getMessage()));
        }
        return summary;
    }

    private static String text(Payloads payloads, DataConverter converter) {
        if (payloads == null) {
            return null;
        }
        return converter.fromPayloads(0, Optional.of(payloads), String.class, String.class);
    }

    private WorkflowServiceBlockingStub stub() {
        return client.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
