package io.pers.workflow.settlement;

import java.util.UUID;

/** The batcher of one contract (on its chain) of one tenant: a SettlementWorkflow's business key. */
public record Settler(UUID tenantId, UUID contractId) {

    public String workflowId() {
        return "settlement-" + contractId;
    }
}
