package io.pers.workflow.claim;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Lets operators find claims in Temporal by tenant, campaign and status. The attributes are
 * registered at start; a server that refuses (no operator rights) leaves them off, and claims
 * run without them, since a start with unknown attributes would fail.
 */
@Component
public class ClaimSearchAttributes {

    static final SearchAttributeKey<String> TENANT = SearchAttributeKey.forKeyword("PersTenantId");
    static final SearchAttributeKey<String> CAMPAIGN = SearchAttributeKey.forKeyword("PersCampaignId");
    static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("PersClaimStatus");

    private static final Logger log = LoggerFactory.getLogger(ClaimSearchAttributes.class);

    private final boolean enabled;

    ClaimSearchAttributes(WorkflowServiceStubs stubs, @Value("${pers.temporal.namespace:default}") String namespace) {
        this.enabled = register(stubs, namespace);
    }

    /** The attributes a new claim workflow starts with, or none when the server has not got them. */
    public SearchAttributes forNewClaim(UUID tenantId, UUID campaignId) {
        if (!enabled) {
            return SearchAttributes.EMPTY;
        }
        return SearchAttributes.newBuilder()
                .set(TENANT, tenantId.toString())
                .set(CAMPAIGN, campaignId.toString())
                .set(STATUS, "PENDING")
                .build();
    }

    private static boolean register(WorkflowServiceStubs stubs, String namespace) {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel())
                .validateAndBuildWithDefaults());
        try {
            operator.blockingStub()
                    .addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                            .setNamespace(namespace)
                            .putAllSearchAttributes(Map.of(
                                    TENANT.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
                                    CAMPAIGN.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
                                    STATUS.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD))
                            .build());
            return true;
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.ALREADY_EXISTS) {
                return true;
            }
            log.warn(
                    "Claim search attributes are off: the Temporal server refused to register them ({})",
                    e.getStatus());
            return false;
        } finally {
            operator.shutdown();
        }
    }
}
