package io.pers.bench;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's settlers as the settlement tables and the Temporal server see them, from outside PERS
 * (the owner role, scoped to the tenant; the server's API): whether one is still running, and what
 * each was doing when a proof failed.
 */
final class SettlerWorkflows {

    private final Map<String, String> settings;
    private final UUID tenant;

    SettlerWorkflows(Map<String, String> settings, UUID tenant) {
        this.settings = settings;
        this.tenant = tenant;
    }

    /** Whether any of the tenant's settlers is running (a settler ends when its queue is empty). */
    boolean anyRunning() throws SQLException {
        for (String contract : rows("select distinct contract_id from settlement_items")) {
            if (describe(contract).getWorkflowExecutionInfo().getStatus()
                    == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                return true;
            }
        }
        return false;
    }

    /** The settlement tables and each settler's status, pending work and history, for a failed proof. */
    void print() {
        try {
            rows("select contract_id, status, count(*) from settlement_items group by 1, 2")
                    .forEach(row -> System.out.println("  settlement_items " + row));
            rows("select id, status, run_id, updated_at from settlement_batches")
                    .forEach(row -> System.out.println("  settlement_batches " + row));
            rows("select count(*), min(created_at), max(created_at) from settlement_waiters")
                    .forEach(row -> System.out.println("  settlement_waiters " + row));
            for (String contract : rows("select distinct contract_id from settlement_items")) {
                DescribeWorkflowExecutionResponse described = describe(contract);
                WorkflowServiceStubs temporal = stubs();
                System.out.println("  settlement-" + contract + ": "
                        + described.getWorkflowExecutionInfo().getStatus() + ", pending activities "
                        + described.getPendingActivitiesList() + ", pending workflow task "
                        + described.getPendingWorkflowTask());
                temporal.blockingStub()
                        .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                                .setNamespace("default")
                                .setExecution(execution(contract))
                                .build())
                        .getHistory()
                        .getEventsList()
                        .forEach(event -> System.out.println("    " + event.getEventId() + " " + event.getEventType()
                                + " "
                                + Instant.ofEpochSecond(event.getEventTime().getSeconds())));
                temporal.shutdown();
            }
        } catch (SQLException | RuntimeException e) {
            System.out.println("  could not describe the settlers: " + e);
        }
    }

    private DescribeWorkflowExecutionResponse describe(String contract) {
        WorkflowServiceStubs temporal = stubs();
        try {
            return temporal.blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace("default")
                            .setExecution(execution(contract))
                            .build());
        } finally {
            temporal.shutdown();
        }
    }

    private WorkflowServiceStubs stubs() {
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(settings.get("pers.temporal.target"))
                .build());
    }

    private static WorkflowExecution execution(String contract) {
        return WorkflowExecution.newBuilder()
                .setWorkflowId("settlement-" + contract)
                .build();
    }

    /** Each row's columns joined by ", " (one column: the value itself). */
    private List<String> rows(String sql) throws SQLException {
        try (Connection owner = DriverManager.getConnection(
                settings.get("spring.datasource.url"), settings.get("spring.flyway.user"), "")) {
            owner.createStatement().execute("select set_config('pers.tenant_id', '" + tenant + "', false)");
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = owner.createStatement().executeQuery(sql)) {
                while (rs.next()) {
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        columns.add(String.valueOf(rs.getObject(i)));
                    }
                    rows.add(String.join(", ", columns));
                }
            }
            return rows;
        }
    }
}
