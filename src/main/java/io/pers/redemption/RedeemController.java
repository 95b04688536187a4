package io.pers.redemption;

import com.fasterxml.jackson.annotation.JsonFormat;
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
import io.pers.ledger.Transactions;
import io.pers.ledger.Transactions.Transaction;
import io.pers.redemption.Redeems.Filter;
import io.pers.redemption.Redeems.Redeem;
import io.pers.redemption.Redeems.Status;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Redeems: taking a redemption, and the history of redeems. */
@RestController
class RedeemController {

    record RedeemBody(
            @NotNull UUID redemptionId,
            UUID businessId,
            @Size(min = 1, max = 320) String userIdentifier,
            @Pattern(regexp = "[A-Z]{2}") String countryCode) {}

    /** A redeem; its detail adds the ledger entries it made (cost, rewards, and their reversals). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RedeemView(
            UUID id,
            Status status,
            String failureCode,
            String failureReason,
            UUID redemptionId,
            UUID userId,
            UUID businessId,
            UUID costTokenId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger costAmount,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger listCostAmount,
            int discountBps,
            String statusTierName,
            String callerRole,
            String workflowId,
            OffsetDateTime createdAt,
            OffsetDateTime decidedAt,
            List<Transaction> transactions) {}

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "decidedAt", "decided_at");

    private final RedeemIntake intake;
    private final Redeems redeems;
    private final Transactions transactions;

    RedeemController(RedeemIntake intake, Redeems redeems, Transactions transactions) {
        this.intake = intake;
        this.redeems = redeems;
        this.transactions = transactions;
    }

    /**
     * 201 with the completed redeem, 422 with the stable code of why it failed (its cost refunded
     * and supply released), or 202 while the workflow is still deciding. The Idempotency-Key
     * names the redeem: the same key answers with the same redeem.
     */
    @Operation(
            operationId = "redeem",
            summary = "Redeem a redemption",
            description = "Takes a redemption for the caller (a user, a business at which it is redeemed, or for a user"
                    + " by an admin or system): its cost is burned, its rewards minted, its supply taken, in a "
                    + "workflow. Answers 201 with the completed redeem, 202 while the workflow is still deciding "
                    + "(poll `GET /v2/redemption-redeems/{id}`), or 422 with the code of why it failed (its cost "
                    + "refunded, its supply released; the problem's `redeemId` names it). The `Idempotency-Key` "
                    + "names the redeem: the same key answers with the same redeem.")
    @Fails({
        ErrorCode.REDEMPTION_INACTIVE,
        ErrorCode.OUT_OF_STOCK,
        ErrorCode.MAX_PER_USER,
        ErrorCode.STATUS_TOO_LOW,
        ErrorCode.COUNTRY_RESTRICTED,
        ErrorCode.INSUFFICIENT_BALANCE,
        ErrorCode.TOKEN_INACTIVE,
        ErrorCode.REDEMPTION_FAILED,
        ErrorCode.NOT_A_BUSINESS_MEMBER
    })
    @PostMapping("/v2/redemptions/redeems")
    @ApiResponse(responseCode = "201", description = "Completed: the redeem")
    @ApiResponse(responseCode = "202", description = "Still deciding: the redeem, PENDING")
    @Allow({Role.USER, Role.BUSINESS, Role.SYSTEM, Role.ADMIN})
    ResponseEntity<RedeemView> redeem(
            @Valid @RequestBody RedeemBody body,
            @RequestHeader(name = IdempotencyHeaders.KEY, required = false) @Size(min = 1, max = 255)
                    String idempotencyKey,
            HttpServletResponse response) {
        RedeemIntake.Submission submitted = intake.submit(
                new RedeemIntake.Request(
                        body.redemptionId(), body.businessId(), body.userIdentifier(), body.countryCode()),
                CurrentCaller.get(),
                idempotencyKey);
        if (submitted.replayed()) {
            IdempotencyHeaders.markReplayed(response);
        }
        Redeem redeem = submitted.redeem();
        if (redeem.status() == Status.FAILED) {
            throw new PersException(ErrorCode.valueOf(redeem.failureCode()), redeem.failureReason())
                    .with("redeemId", redeem.id());
        }
        HttpStatus status = redeem.status() == Status.COMPLETED ? HttpStatus.CREATED : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status).body(view(redeem));
    }

    /** The signed-in user's redeems. */
    @Operation(
            operationId = "listMyRedeems",
            summary = "List my redeems",
            description = "The signed-in user's redeems, newest first; paged.")
    @GetMapping("/v2/redemptions/me/history")
    @Allow(Role.USER)
    Page<RedeemView> history(
            @RequestParam(required = false) UUID redemptionId,
            @RequestParam(required = false) Status status,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        return summaries(redeems.list(
                new Filter(redemptionId, CurrentCaller.get().subjectId(), null, status),
                PageQuery.of(page, size, sort, SORTABLE)));
    }

    /** Every redeem of the tenant; a business sees those made at it. */
    @Operation(
            operationId = "listRedeems",
            summary = "List redeems",
            description = "Every redeem of the tenant, filterable by user, business, redemption and status; paged. A "
                    + "business sees those made at it (asking for another business's is 403).")
    @GetMapping("/v2/redemption-redeems")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    Page<RedeemView> list(
            @RequestParam(required = false) UUID redemptionId,
            @RequestParam(required = false) UUID userId,
            @RequestParam(required = false) UUID businessId,
            @RequestParam(required = false) Status status,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        Principal caller = CurrentCaller.get();
        if (caller.role() == Role.BUSINESS && businessId != null && !businessId.equals(caller.businessId())) {
            throw new PersException(ErrorCode.FORBIDDEN, "A business sees the redeems made at it");
        }
        return summaries(redeems.list(
                new Filter(
                        redemptionId,
                        userId,
                        caller.role() == Role.BUSINESS ? caller.businessId() : businessId,
                        status),
                PageQuery.of(page, size, sort, SORTABLE)));
    }

    @Operation(
            operationId = "getRedeem",
            summary = "Get a redeem",
            description = "One redeem with the ledger entries it made (cost, rewards and any reversal). Users and "
                    + "businesses see only their own (another's answers 404).")
    @GetMapping("/v2/redemption-redeems/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.USER, Role.BUSINESS})
    RedeemView get(@PathVariable UUID id) {
        Redeem redeem = redeems.find(id);
        if (!CurrentCaller.get().mayRead(redeem.userId(), redeem.businessId())) {
            throw PersException.notFound("Redeem");
        }
        return view(redeem);
    }

    private RedeemView view(Redeem redeem) {
        return summary(
                redeem,
                redeems.entries(redeem.id(), null).stream()
                        .map(transactions::find)
                        .toList());
    }

    private static Page<RedeemView> summaries(Page<Redeem> page) {
        return new Page<>(
                page.items().stream().map(r -> summary(r, null)).toList(), page.page(), page.size(), page.total());
    }

    private static RedeemView summary(Redeem r, List<Transaction> made) {
        return new RedeemView(
                r.id(),
                r.status(),
                r.failureCode(),
                r.failureReason(),
                r.redemptionId(),
                r.userId(),
                r.businessId(),
                r.costTokenId(),
                r.costAmount(),
                r.listCostAmount(),
                r.discountBps(),
                r.statusTierName(),
                r.callerRole(),
                r.workflowId(),
                r.createdAt(),
                r.decidedAt(),
                made);
    }
}
