package io.pers.ledger;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.ledger.Ledger.Kind;
import io.pers.ledger.LedgerSealer.Verification;
import io.pers.ledger.Transactions.Filter;
import io.pers.ledger.Transactions.ParticipantRole;
import io.pers.ledger.Transactions.Status;
import io.pers.ledger.Transactions.Transaction;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TransactionController {

    record Party(@NotNull OwnerType type, @NotNull UUID id) {
        Owner toOwner() {
            return new Owner(type, id);
        }
    }

    record TransactionBody(
            @NotNull Kind type,
            @NotNull UUID tokenId,
            @NotNull BigInteger amount,
            @Valid Party sender,
            @Valid Party recipient,
            @Size(max = 200) String reference,
            @Size(max = 500) String memo) {}

    record ReversalBody(@Size(max = 500) String memo) {}

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "e.created_at", "amount", "r.amount");

    private final TransactionRequests requests;
    private final Transactions transactions;
    private final Balances balances;
    private final LedgerSealer sealer;

    TransactionController(
            TransactionRequests requests, Transactions transactions, Balances balances, LedgerSealer sealer) {
        this.requests = requests;
        this.transactions = transactions;
        this.balances = balances;
        this.sealer = sealer;
    }

    @Operation(
            operationId = "createTransaction",
            summary = "Create a transaction",
            description = "Moves tokens in the double-entry ledger: `MINT` (admins and systems: to a `recipient`), "
                    + "`TRANSFER` (from a `sender`; users and businesses send their own), `BURN` (from a `sender`)."
                    + " `amount` is a positive integer in base units, at most 2^256-1. Status tokens are never "
                    + "transferred. A transfer that would take a balance below zero is refused with 422 "
                    + "`INSUFFICIENT_BALANCE`.")
    @Fails({
        ErrorCode.INVALID_AMOUNT,
        ErrorCode.INSUFFICIENT_BALANCE,
        ErrorCode.BALANCE_OVERFLOW,
        ErrorCode.TOKEN_INACTIVE,
        ErrorCode.TOKEN_NOT_TRANSFERABLE,
        ErrorCode.IDEMPOTENCY_KEY_IN_USE
    })
    @PostMapping("/v2/transactions")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow({Role.ADMIN, Role.SYSTEM, Role.USER, Role.BUSINESS})
    Transaction create(@Valid @RequestBody TransactionBody body) {
        return requests.submit(
                new TransactionRequests.Request(
                        body.type(),
                        body.tokenId(),
                        body.amount(),
                        owner(body.sender()),
                        owner(body.recipient()),
                        body.reference(),
                        body.memo()),
                CurrentCaller.get());
    }

    @Operation(
            operationId = "reverseTransaction",
            summary = "Reverse a transaction",
            description = "Posts a new entry that undoes the transaction (entries are append-only) and answers it, with"
                    + " an optional `memo`. A transaction is reversed at most once.")
    @Fails({ErrorCode.ALREADY_REVERSED, ErrorCode.NOT_REVERSIBLE, ErrorCode.INSUFFICIENT_BALANCE})
    @PostMapping("/v2/transactions/{id}/reversal")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Transaction reverse(@PathVariable UUID id, @Valid @RequestBody(required = false) ReversalBody body) {
        return requests.reverse(id, body == null ? null : body.memo(), CurrentCaller.get());
    }

    @Operation(
            operationId = "listTransactions",
            summary = "List transactions",
            description = "The tenant's transactions, filterable by token, type, party and reference; paged.")
    @GetMapping("/v2/transactions")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Page<Transaction> list(
            @RequestParam(required = false) Kind type,
            @RequestParam(required = false) Status status,
            @RequestParam(required = false) UUID tokenId,
            @RequestParam(required = false) OwnerType participantType,
            @RequestParam(required = false) UUID participantId,
            @RequestParam(required = false) ParticipantRole role,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        Owner participant = participantId == null
                ? null
                : new Owner(participantType == null ? OwnerType.USER : participantType, participantId);
        return transactions.list(
                new Filter(type, status, tokenId, participant, role, from, to),
                PageQuery.of(page, size, sort, SORTABLE));
    }

    @Operation(
            operationId = "listMyTransactions",
            summary = "List my transactions",
            description = "The signed-in user's (or business's) transactions, sent or received; paged.")
    @GetMapping("/v2/transactions/me")
    @Allow({Role.USER, Role.BUSINESS})
    Page<Transaction> mine(
            @RequestParam(required = false) Kind type,
            @RequestParam(required = false) Status status,
            @RequestParam(required = false) UUID tokenId,
            @RequestParam(required = false) ParticipantRole role,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        Owner self = TransactionRequests.self(CurrentCaller.get());
        return transactions.list(
                new Filter(type, status, tokenId, self, role, from, to), PageQuery.of(page, size, sort, SORTABLE));
    }

    @Operation(
            operationId = "getTransaction",
            summary = "Get a transaction",
            description = "One transaction; users and businesses see only those they sent or received (another answers "
                    + "404).")
    @GetMapping("/v2/transactions/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.USER, Role.BUSINESS})
    Transaction get(@PathVariable UUID id) {
        Transaction transaction = transactions.find(id);
        Principal caller = CurrentCaller.get();
        if (caller.role() == Role.USER || caller.role() == Role.BUSINESS) {
            Owner self = TransactionRequests.self(caller);
            if (!self.equals(transaction.sender()) && !self.equals(transaction.recipient())) {
                throw PersException.notFound("Transaction");
            }
        }
        return transaction;
    }

    @Operation(
            operationId = "listMyBalances",
            summary = "List my balances",
            description =
                    "The signed-in user's (or business's) balance per token (or of one `tokenId`), in base units.")
    @GetMapping("/v2/balances/me")
    @Allow({Role.USER, Role.BUSINESS})
    List<Balances.Balance> myBalances(@RequestParam(required = false) UUID tokenId) {
        return balances.of(TransactionRequests.self(CurrentCaller.get()), tokenId);
    }

    @Operation(
            operationId = "listUserBalances",
            summary = "List a user's balances",
            description = "A user's balance per token (or of one `tokenId`), in base units.")
    @GetMapping("/v2/balances/users/{userId}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<Balances.Balance> userBalances(@PathVariable UUID userId, @RequestParam(required = false) UUID tokenId) {
        return balances.of(new Owner(OwnerType.USER, userId), tokenId);
    }

    @Operation(
            operationId = "listBusinessBalances",
            summary = "List a business's balances",
            description = "A business's balance per token (or of one `tokenId`), in base units.")
    @GetMapping("/v2/balances/businesses/{businessId}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<Balances.Balance> businessBalances(
            @PathVariable UUID businessId, @RequestParam(required = false) UUID tokenId) {
        return balances.of(new Owner(OwnerType.BUSINESS, businessId), tokenId);
    }

    /** Recomputes the tenant's hash chain, entry balance and balance rows; {@code valid} says all hold. */
    @Operation(
            operationId = "verifyLedger",
            summary = "Verify the ledger",
            description = "Recomputes the tenant's ledger hash chain, that each entry's postings balance, and the "
                    + "balance rows from the postings; `valid` says all hold, and any break is named.")
    @GetMapping("/v2/ledger/verification")
    @Allow(Role.ADMIN)
    Verification verify() {
        return sealer.verify();
    }

    private static Owner owner(Party party) {
        return party == null ? null : party.toOwner();
    }
}
