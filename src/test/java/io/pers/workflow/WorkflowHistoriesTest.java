package io.pers.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.ActivityTaskFailedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionFailedEventAttributes;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How history events are summarised for operators: activity names, attempts and failures. */
class WorkflowHistoriesTest {

    private static final DataConverter CONVERTER = GlobalDataConverter.get();

    @Test
    void namesTheActivityOfEveryActivityEventAndLocalActivityMarkerWithItsAttemptAndFailure() {
        List<WorkflowHistories.Event> events = WorkflowHistories.summarise(
                List.of(
                        event(5, EventType.EVENT_TYPE_MARKER_RECORDED)
                                .setMarkerRecordedEventAttributes(MarkerRecordedEventAttributes.newBuilder()
                                        .setMarkerName("LocalActivity")
                                        .putDetails(
                                                "type",
                                                CONVERTER.toPayloads("Mint").orElseThrow()))
                                .build(),
                        event(8, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                                .setActivityTaskScheduledEventAttributes(
                                        ActivityTaskScheduledEventAttributes.newBuilder()
                                                .setActivityType(ActivityType.newBuilder()
                                                        .setName("Settle")))
                                .build(),
                        event(9, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
                                .setActivityTaskStartedEventAttributes(ActivityTaskStartedEventAttributes.newBuilder()
                                        .setScheduledEventId(8)
                                        .setAttempt(3)
                                        .setLastFailure(failure("nonce too low")))
                                .build(),
                        event(10, EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)
                                .setActivityTaskFailedEventAttributes(ActivityTaskFailedEventAttributes.newBuilder()
                                        .setScheduledEventId(8)
                                        .setFailure(failure("batch refused")))
                                .build(),
                        event(11, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED)
                                .setWorkflowExecutionFailedEventAttributes(
                                        WorkflowExecutionFailedEventAttributes.newBuilder()
                                                .setFailure(failure("gave up")))
                                .build()),
                CONVERTER);

        assertThat(events)
                .extracting(
                        WorkflowHistories.Event::id,
                        WorkflowHistories.Event::type,
                        WorkflowHistories.Event::activity,
                        WorkflowHistories.Event::attempt,
                        WorkflowHistories.Event::failure)
                .containsExactly(
                        tuple(5L, "MARKER_RECORDED", "Mint", null, null),
                        tuple(8L, "ACTIVITY_TASK_SCHEDULED", "Settle", null, null),
                        tuple(9L, "ACTIVITY_TASK_STARTED", "Settle", 3, "nonce too low"),
                        tuple(10L, "ACTIVITY_TASK_FAILED", "Settle", null, "batch refused"),
                        tuple(11L, "WORKFLOW_EXECUTION_FAILED", null, null, "gave up"));
        assertThat(events.get(0).time()).isEqualTo(Instant.ofEpochSecond(1_700_000_005L, 500));
    }

    private static HistoryEvent.Builder event(long id, EventType type) {
        return HistoryEvent.newBuilder()
                .setEventId(id)
                .setEventType(type)
                .setEventTime(
                        Timestamp.newBuilder().setSeconds(1_700_000_000L + id).setNanos(500));
    }

    private static Failure failure(String message) {
        return Failure.newBuilder().setMessage(message).build();
    }
}
