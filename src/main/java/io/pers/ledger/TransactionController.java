package io.pers.ledger;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
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

    @PostMapping("/v2/transactions/{id}/reversal")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Transaction reverse(@PathVariable UUID id, @Valid @RequestBody(required = false) ReversalBody body) {
        return requests.reverse(id, body == null ? null : body.memo(), CurrentCaller.get());
    }

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

    @GetMapping("/v2/balances/me")
    @Allow({Role.USER, Role.BUSINESS})
    List<Balances.Balance> myBalances(@RequestParam(required = false) UUID tokenId) {
        return balances.of(TransactionRequests.self(CurrentCaller.get()), tokenId);
    }

    @GetMapping("/v2/balances/users/{userId}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<Balances.Balance> userBalances(@PathVariable UUID userId, @RequestParam(required = false) UUID tokenId) {
        return balances.of(new Owner(OwnerType.USER, userId), tokenId);
    }

    @GetMapping("/v2/balances/businesses/{businessId}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<Balances.Balance> businessBalances(
            @PathVariable UUID businessId, @RequestParam(required = false) UUID tokenId) {
        return balances.of(new Owner(OwnerType.BUSINESS, businessId), tokenId);
    }

    /** Recomputes the tenant's hash chain, entry balance and balance rows; {@code valid} says all hold. */
    @GetMapping("/v2/ledger/verification")
    @Allow(Role.ADMIN)
    Verification verify() {
        return sealer.verify();
    }

    private static Owner owner(Party party) {
        return party == null ? null : party.toOwner();
    }
}
