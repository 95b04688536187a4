package io.pers.claim;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.business.Businesses;
import io.pers.campaign.CampaignCatalog;
import io.pers.campaign.ClaimTerms;
import io.pers.claim.Claims.Claim;
import io.pers.claim.Claims.NewClaim;
import io.pers.crypto.Secrets;
import io.pers.tenant.TenantContext;
import io.pers.user.Users;
import io.pers.workflow.TaskQueues;
import io.pers.workflow.claim.ClaimRef;
import io.pers.workflow.claim.ClaimSearchAttributes;
import io.pers.workflow.claim.ClaimTuning;
import io.pers.workflow.claim.ClaimWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Takes a claim from any caller: records it as PENDING under a workflow id derived from (tenant,
 * campaign, idempotency source), starts its ClaimWorkflow, and waits for the decision. A second
 * request with the same idempotency source finds the same claim and gets the same answer.
 */
@Component
public class ClaimIntake {

    /** A claim request, already checked for shape by the API. */
    public record Request(
            UUID campaignId,
            UUID triggerSourceId,
            int multiplier,
            UUID businessId,
            Double latitude,
            Double longitude,
            String userIdentifier,
            String countryCode,
            Map<String, Object> conditionsData) {}

    /**
     * Where a connector's claim comes from: the order it was earned on (so a refund finds it), that
     * order's total (what a partial refund is measured against) and when the event happened (what
     * date windows judge), the trigger mapping version that decided the claim, and the ingest event
     * it was made for (whose outcome its rejection becomes). Each may be null.
     */
    public record Origin(
            String externalRef,
            BigDecimal basis,
            Instant occurredAt,
            UUID mappingId,
            Integer mappingVersion,
            UUID ingestEventId) {

        static final Origin NONE = new Origin(null, null, null, null, null, null);
    }

    /** A claim as its request left it, and whether an earlier request under the same source made it. */
    public record Submission(Claim claim, boolean replayed) {}

    private final Claims claims;
    private final CampaignCatalog catalog;
    private final Users users;
    private final Businesses businesses;
    private final ClaimDecisions decisions;
    private final WorkflowClient workflows;
    private final ClaimTuning tuning;
    private final ClaimSearchAttributes searchAttributes;

    ClaimIntake(
            Claims claims,
            CampaignCatalog catalog,
            Users users,
            Businesses businesses,
            ClaimDecisions decisions,
            WorkflowClient workflows,
            ClaimTuning tuning,
            ClaimSearchAttributes searchAttributes) {
        this.claims = claims;
        this.catalog = catalog;
        this.users = users;
        this.businesses = businesses;
        this.decisions = decisions;
        this.workflows = workflows;
        this.tuning = tuning;
        this.searchAttributes = searchAttributes;
    }

    /**
     * @param idempotencySource the Idempotency-Key, an ingest event id, or null for a one-off claim
     * @param requestHash what was asked under that source, to refuse its reuse for another request
     * @return the claim once decided (or still PENDING if the decision takes longer than configured)
     */
    public Submission submit(Request request, Principal caller, String idempotencySource, byte[] requestHash) {
        Submission entered = enter(
                request,
                caller.role(),
                caller.subjectId().toString(),
                () -> claimant(request, caller),
                caller,
                idempotencySource,
                requestHash,
                Origin.NONE);
        if (entered.claim().status().decided()) {
            return entered;
        }
        awaitDecision(entered.claim().id());
        return new Submission(claims.find(entered.claim().id()), entered.replayed());
    }

    /**
     * A claim by a system on a user's behalf (a connector's trigger), returned as soon as its
     * workflow start is acknowledged: the decision follows without the caller waiting for it.
     *
     * @param callerId who claims, e.g. {@code connector:shopify}
     * @param userId the user credited
     */
    public Claim startBySystem(
            Request request,
            String callerId,
            UUID userId,
            Origin origin,
            String idempotencySource,
            byte[] requestHash) {
        return enter(request, Role.SYSTEM, callerId, () -> userId, null, idempotencySource, requestHash, origin)
                .claim();
    }

    /** Whether the tenant has a claim under this idempotency source (an ingest event and mapping). */
    public boolean claimed(String idempotencySource) {
        return claims.find(claimId(idempotencySource), false).isPresent();
    }

    /** The id of the tenant's claim under this idempotency source, made or to be made. */
    public UUID claimId(String idempotencySource) {
        return claimId(TenantContext.requireTenantId(), sourceHash(idempotencySource));
    }

    private static String sourceHash(String idempotencySource) {
        return HexFormat.of().formatHex(Secrets.sha256(idempotencySource)).substring(0, 40);
    }

    /**
     * The claim id comes from the source alone: the same key sent for another campaign finds this
     * claim and is refused as a reuse, instead of making a second claim.
     */
    private static UUID claimId(UUID tenant, String sourceHash) {
        return Secrets.derivedId("claim-" + tenant + "-" + sourceHash);
    }

    /** Records the claim (or finds it under its idempotency source) and starts its workflow. */
    private Submission enter(
            Request request,
            Role role,
            String callerId,
            Supplier<UUID> claimant,
            Principal caller,
            String idempotencySource,
            byte[] requestHash,
            Origin origin) {
        UUID tenant = TenantContext.requireTenantId();
        CampaignCatalog.Source source = request.triggerSourceId() == null
                ? null
                : catalog.source(request.triggerSourceId())
                        .filter(CampaignCatalog.Source::active)
                        .orElseThrow(() -> PersException.notFound("Trigger source"));
        UUID campaignId = source != null ? source.campaignId() : request.campaignId();
        if (campaignId == null
                || (request.campaignId() != null && !request.campaignId().equals(campaignId))) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED,
                    "Send campaignId or a triggerSourceId bound to a campaign (not two different campaigns)");
        }
        ClaimTerms terms = catalog.claimTerms(campaignId).orElseThrow(() -> PersException.notFound("Campaign"));
        terms.multiplierRefusal(request.multiplier()).ifPresent(refusal -> {
            throw new PersException(ErrorCode.VALIDATION_FAILED, refusal);
        });
        String sourceHash =
                sourceHash(idempotencySource == null ? UUID.randomUUID().toString() : idempotencySource);
        String workflowId = "claim-" + tenant + "-" + campaignId + "-" + sourceHash;
        UUID claimId = claimId(tenant, sourceHash);
        UUID businessId = caller == null
                ? (request.businessId() != null ? request.businessId() : source == null ? null : source.businessId())
                : business(request, caller, source);
        if (businessId != null) {
            businesses.find(businessId);
        }
        NewClaim claim = new NewClaim(
                claimId,
                workflowId,
                campaignId,
                request.triggerSourceId(),
                claimant.get(),
                businessId,
                role.name(),
                callerId,
                request.multiplier(),
                request.latitude(),
                request.longitude(),
                request.countryCode(),
                request.conditionsData() == null ? Map.of() : request.conditionsData(),
                requestHash,
                origin);
        boolean replayed = !claims.insert(claim);
        if (replayed) {
            Claim earlier = claims.find(claimId);
            if (!Secrets.equal(earlier.requestHash(), requestHash)) {
                throw new PersException(
                        ErrorCode.IDEMPOTENCY_KEY_REUSED, "This idempotency key was used for another claim");
            }
            if (earlier.status().decided()) {
                return new Submission(earlier, true);
            }
        }
        start(new ClaimRef(tenant, claimId), workflowId, campaignId);
        return new Submission(claims.find(claimId), replayed);
    }

    /** Starts the claim's workflow; false when it is running already (the workflow id makes a second start a no-op). */
    boolean start(ClaimRef ref, String workflowId, UUID campaignId) {
        ClaimWorkflow workflow = workflows.newWorkflowStub(
                ClaimWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(workflowId)
                        .setTaskQueue(TaskQueues.CLAIMS)
                        .setDisableEagerExecution(false)
                        .setTypedSearchAttributes(searchAttributes.forNewClaim(ref.tenantId(), campaignId))
                        .build());
        try {
            WorkflowClient.start(workflow::decide, ref);
            return true;
        } catch (WorkflowExecutionAlreadyStarted alreadyRunning) {
            return false; // a duplicate request, or the sweeper: the running workflow decides
        }
    }

    private void awaitDecision(UUID claimId) {
        try {
            decisions.await(claimId, tuning.decisionWait(), () -> claims.find(claimId)
                    .status()
                    .decided());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Users claim for themselves; businesses, systems and admins name the user. */
    private UUID claimant(Request request, Principal caller) {
        if (caller.role() == Role.USER) {
            if (request.userIdentifier() != null) {
                throw new PersException(
                        ErrorCode.VALIDATION_FAILED, "A user claims for themselves: omit userIdentifier");
            }
            return caller.subjectId();
        }
        if (request.userIdentifier() == null) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED, "userIdentifier (email, externalId or id) is required");
        }
        return users.findByIdentifier(request.userIdentifier())
                .orElseThrow(() -> PersException.notFound("User"))
                .id();
    }

    /** A business claims as itself; otherwise the named business, or the trigger source's. */
    private static UUID business(Request request, Principal caller, CampaignCatalog.Source source) {
        if (caller.role() == Role.BUSINESS) {
            if (request.businessId() != null && !request.businessId().equals(caller.businessId())) {
                throw new PersException(ErrorCode.FORBIDDEN, "A business claims as itself");
            }
            return caller.businessId();
        }
        return request.businessId() != null ? request.businessId() : source == null ? null : source.businessId();
    }
}
