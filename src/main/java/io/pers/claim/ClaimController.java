package io.pers.claim;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.IdempotencyHeaders;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.claim.Claims.Claim;
import io.pers.claim.Claims.Filter;
import io.pers.claim.Claims.HistoryEntry;
import io.pers.claim.Claims.Status;
import io.pers.crypto.Secrets;
import io.pers.ledger.Transactions;
import io.pers.ledger.Transactions.Transaction;
import io.pers.workflow.WorkflowHistories;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ClaimController {

    record ClaimBody(
            UUID campaignId,
            UUID triggerSourceId,
            @Min(1) Integer multiplier,
            UUID businessId,
            @DecimalMin("-90") @DecimalMax("90") Double latitude,
            @DecimalMin("-180") @DecimalMax("180") Double longitude,
            @Size(min = 1, max = 320) String userIdentifier,
            @Pattern(regexp = "[A-Z]{2}") String countryCode,
            @Size(max = 50) Map<String, Object> conditionsData) {}

    /**
     * A claim with its status history, the ledger entries it made (its mint, and any reversal),
     * and what refunds of its order took back. {@code mappingId} and {@code mappingVersion}: the
     * trigger mapping version that decided a connector's claim.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClaimView(
            UUID id,
            Status status,
            String rejectionCode,
            String failureReason,
            UUID campaignId,
            UUID triggerSourceId,
            UUID userId,
            UUID businessId,
            String callerRole,
            int multiplier,
            String workflowId,
            OffsetDateTime createdAt,
            OffsetDateTime decidedAt,
            String externalRef,
            UUID mappingId,
            Integer mappingVersion,
            List<HistoryEntry> history,
            List<Transaction> transactions,
            List<ClaimReversals.Line> reversals) {}

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "decidedAt", "decided_at");

    private final ClaimIntake intake;
    private final Claims claims;
    private final ClaimReversals reversals;
    private final Transactions transactions;
    private final WorkflowHistories histories;

    ClaimController(
            ClaimIntake intake,
            Claims claims,
            ClaimReversals reversals,
            Transactions transactions,
            WorkflowHistories histories) {
        this.intake = intake;
        this.claims = claims;
        this.reversals = reversals;
        this.transactions = transactions;
        this.histories = histories;
    }

    /**
     * 201 with the minted claim, 422 with the eligibility code, or 202 while still undecided.
     * The Idempotency-Key names the claim: the same key answers with the same claim.
     */
    @Operation(
            operationId = "claimCampaign",
            summary = "Claim a campaign's reward",
            description = "Claims a campaign for a user: the user themself, a business awarding one of its customers "
                    + "(`userIdentifier`), or an admin or system. The campaign trigger's rules decide (caller kind,"
                    + " window, limits per user and day, cooldown, location, country, segments, conditions with "
                    + "`conditionsData`), then the token units are minted (times `multiplier`, at most the "
                    + "trigger's `maxMultiplier`) and settled on chain. Answers 201 with the minted claim, 202 "
                    + "while still deciding (poll `GET /v2/campaigns/claims/{id}`), or 422 with the eligibility "
                    + "code (the problem's `claimId` names the rejected claim). The `Idempotency-Key` names the "
                    + "claim: the same key answers with the same claim.")
    @Fails({
        ErrorCode.CAMPAIGN_INACTIVE,
        ErrorCode.OUTSIDE_WINDOW,
        ErrorCode.CALLER_NOT_ALLOWED,
        ErrorCode.COUNTRY_RESTRICTED,
        ErrorCode.TOO_FAR,
        ErrorCode.MISSING_USER_INFO,
        ErrorCode.CONDITION_FALSE,
        ErrorCode.NOT_IN_SEGMENT,
        ErrorCode.BUSINESS_NOT_ENGAGED,
        ErrorCode.MAX_PER_USER,
        ErrorCode.MAX_PER_DAY,
        ErrorCode.COOLDOWN,
        ErrorCode.BUSINESS_CAP,
        ErrorCode.BUDGET_EXHAUSTED,
        ErrorCode.EVENT_TIME_OUT_OF_RANGE,
        ErrorCode.TOKEN_INACTIVE,
        ErrorCode.BALANCE_OVERFLOW
    })
    @PostMapping("/v2/campaigns/claims")
    @ApiResponse(responseCode = "201", description = "Decided: the claim, minted")
    @ApiResponse(responseCode = "202", description = "Still deciding: the claim, PENDING")
    @Allow({Role.USER, Role.BUSINESS, Role.SYSTEM, Role.ADMIN})
    ResponseEntity<ClaimView> claim(
            @Valid @RequestBody ClaimBody body,
            @RequestHeader(name = IdempotencyHeaders.KEY, required = false) @Size(min = 1, max = 255)
                    String idempotencyKey,
            HttpServletResponse response) {
        ClaimIntake.Request request = new ClaimIntake.Request(
                body.campaignId(),
                body.triggerSourceId(),
                body.multiplier() == null ? 1 : body.multiplier(),
                body.businessId(),
                body.latitude(),
                body.longitude(),
                body.userIdentifier(),
                body.countryCode(),
                body.conditionsData());
        Principal caller = CurrentCaller.get();
        ClaimIntake.Submission submitted = intake.submit(
                request,
                caller,
                idempotencyKey == null ? null : caller.callerKey() + "|" + idempotencyKey,
                Secrets.sha256(request.toString()));
        if (submitted.replayed()) {
            IdempotencyHeaders.markReplayed(response);
        }
        Claim claim = submitted.claim();
        if (claim.status() == Status.REJECTED) {
            throw new PersException(
                            ErrorCode.valueOf(claim.rejectionCode()), "Claim rejected: " + claim.rejectionCode())
                    .with("claimId", claim.id());
        }
        HttpStatus status = claim.status().decided() ? HttpStatus.CREATED : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status).body(view(claim));
    }

    @Operation(
            operationId = "listClaims",
            summary = "List claims",
            description = "The tenant's claims, filterable by campaign, user, business and status; paged.")
    @GetMapping("/v2/campaigns/claims")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Page<ClaimView> list(
            @RequestParam(required = false) UUID campaignId,
            @RequestParam(required = false) UUID userId,
            @RequestParam(required = false) UUID businessId,
            @RequestParam(required = false) Status status,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        return summaries(claims.list(
                new Filter(campaignId, userId, businessId, status), PageQuery.of(page, size, sort, SORTABLE)));
    }

    @Operation(
            operationId = "listMyClaims",
            summary = "List my claims",
            description = "The signed-in user's (or business's) claims, filterable by campaign and status; paged.")
    @GetMapping("/v2/campaigns/claims/me")
    @Allow({Role.USER, Role.BUSINESS})
    Page<ClaimView> mine(
            @RequestParam(required = false) UUID campaignId,
            @RequestParam(required = false) Status status,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        Principal caller = CurrentCaller.get();
        Filter filter = caller.role() == Role.USER
                ? new Filter(campaignId, caller.subjectId(), null, status)
                : new Filter(campaignId, null, caller.businessId(), status);
        return summaries(claims.list(filter, PageQuery.of(page, size, sort, SORTABLE)));
    }

    @Operation(
            operationId = "getClaim",
            summary = "Get a claim",
            description = "One claim with its status history, the ledger entries it made (its mint, any reversal) and "
                    + "what refunds of its order took back. Users and businesses see only their own (another's "
                    + "answers 404).")
    @GetMapping("/v2/campaigns/claims/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.USER, Role.BUSINESS})
    ClaimView get(@PathVariable UUID id) {
        Claim claim = claims.find(id);
        if (!CurrentCaller.get().mayRead(claim.userId(), claim.businessId())) {
            throw PersException.notFound("Claim");
        }
        return view(claim);
    }

    /** The claim's status beside its workflow's: Temporal's state and its history, event by event. */
    record ClaimWorkflowView(UUID claimId, Status claimStatus, WorkflowHistories.Execution workflow) {}

    @GetMapping("/v2/campaigns/claims/{id}/workflow")
    @Allow(Role.ADMIN)
    @Operation(
            operationId = "getClaimWorkflow",
            summary = "The claim's workflow: state and history",
            description = "Temporal's describe and history of the claim's workflow: its status (RUNNING,"
                    + " COMPLETED, FAILED, ...) and every history event summarised (id, time, type, the"
                    + " activity it concerns, the attempt, the failure message); at most 1000 events"
                    + " (`truncated` says when there are more). 404 NOT_FOUND when the claim is not the"
                    + " tenant's or Temporal no longer keeps the workflow (past the namespace's retention);"
                    + " 503 SERVICE_UNAVAILABLE when Temporal does not answer.")
    ClaimWorkflowView workflow(@PathVariable UUID id) {
        Claim claim = claims.find(id);
        WorkflowHistories.Execution execution =
                histories.find(claim.workflowId()).orElseThrow(() -> PersException.notFound("Workflow"));
        return new ClaimWorkflowView(claim.id(), claim.status(), execution);
    }

    private ClaimView view(Claim claim) {
        List<ClaimReversals.Line> refunds = reversals.linesOfClaim(claim.id());
        List<Transaction> made = Stream.concat(
                        claims.mints(claim.id()).stream()
                                .flatMap(m -> Stream.concat(
                                        Stream.of(transactions.find(m.entryId())),
                                        transactions.reversalOf(m.entryId()).stream())),
                        refunds.stream()
                                .filter(l -> l.transactionId() != null)
                                .map(l -> transactions.find(l.transactionId())))
                .toList();
        return summary(claim, claims.history(claim.id()), made, refunds);
    }

    private static Page<ClaimView> summaries(Page<Claim> page) {
        return new Page<>(
                page.items().stream().map(c -> summary(c, null, null, null)).toList(),
                page.page(),
                page.size(),
                page.total());
    }

    private static ClaimView summary(
            Claim c, List<HistoryEntry> history, List<Transaction> made, List<ClaimReversals.Line> refunds) {
        return new ClaimView(
                c.id(),
                c.status(),
                c.rejectionCode(),
                c.failureReason(),
                c.campaignId(),
                c.triggerSourceId(),
                c.userId(),
                c.businessId(),
                c.callerRole(),
                c.multiplier(),
                c.workflowId(),
                c.createdAt(),
                c.decidedAt(),
                c.externalRef(),
                c.mappingId(),
                c.mappingVersion(),
                history,
                made,
                refunds);
    }
}
