package io.pers.ledger;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.ledger.Ledger.Actor;
import io.pers.ledger.Ledger.Kind;
import io.pers.ledger.Ledger.Posting;
import io.pers.ledger.Ledger.Reason;
import io.pers.ledger.Transactions.Transaction;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import java.math.BigInteger;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns a transaction request from the API into a journal entry, by the caller's role: admins
 * and systems mint, burn and move tokens between any wallets; users and businesses transfer
 * from their own wallet only.
 */
@Component
public class TransactionRequests {

    record Request(
            Kind type, UUID tokenId, BigInteger amount, Owner sender, Owner recipient, String reference, String memo) {}

    private final Ledger ledger;
    private final Wallets wallets;

    TransactionRequests(Ledger ledger, Wallets wallets) {
        this.ledger = ledger;
        this.wallets = wallets;
    }

    Transaction submit(Request request, Principal caller) {
        Amounts.requirePositive(request.amount());
        boolean operator = caller.role() == Role.ADMIN || caller.role() == Role.SYSTEM;
        Owner sender =
                switch (request.type()) {
                    case MINT -> requireAbsent(request.sender(), "sender", "a mint draws on the issuance account");
                    case BURN, TRANSFER ->
                        operator ? require(request.sender(), "sender") : own(caller, request.sender());
                    case REVERSAL ->
                        throw new PersException(ErrorCode.VALIDATION_FAILED, "Use POST /v2/transactions/{id}/reversal");
                };
        Owner recipient = request.type() == Kind.BURN
                ? requireAbsent(request.recipient(), "recipient", "a burn returns to the issuance account")
                : require(request.recipient(), "recipient");
        if (!operator && request.type() != Kind.TRANSFER) {
            throw new PersException(
                    ErrorCode.FORBIDDEN,
                    "Only admins and systems may " + request.type().name().toLowerCase());
        }
        if (sender != null && sender.equals(recipient)) {
            // Such an entry would post +amount and -amount to one wallet: balanced, yet meaningless.
            throw new PersException(ErrorCode.VALIDATION_FAILED, "sender and recipient must differ");
        }
        UUID from = sender == null ? wallets.issuance() : wallets.walletOf(sender);
        UUID to = recipient == null ? wallets.issuance() : wallets.walletOf(recipient);
        Reason reason = request.type() == Kind.TRANSFER ? Reason.TRANSFER : Reason.ADMIN_ADJUSTMENT;
        return ledger.post(new Posting(
                UUID.randomUUID(),
                request.type(),
                request.tokenId(),
                from,
                to,
                request.amount(),
                reason,
                request.reference(),
                actor(caller),
                null,
                request.memo()));
    }

    Transaction reverse(UUID id, String memo, Principal caller) {
        return ledger.reverse(id, UUID.randomUUID(), actor(caller), memo);
    }

    /** The wallet owner a USER or BUSINESS caller acts as; FORBIDDEN for other roles. */
    public static Owner self(Principal caller) {
        return switch (caller.role()) {
            case USER -> new Owner(OwnerType.USER, caller.subjectId());
            case BUSINESS -> new Owner(OwnerType.BUSINESS, caller.businessId());
            default -> throw new PersException(ErrorCode.FORBIDDEN, "Only users and businesses have an own wallet");
        };
    }

    private static Owner own(Principal caller, Owner sent) {
        Owner self = self(caller);
        if (sent != null && !sent.equals(self)) {
            throw new PersException(ErrorCode.FORBIDDEN, "You may only send from your own wallet");
        }
        return self;
    }

    private static Owner require(Owner owner, String field) {
        if (owner == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, field + " is required");
        }
        if (owner.type() != OwnerType.USER && owner.type() != OwnerType.BUSINESS) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, field + ".type must be USER or BUSINESS");
        }
        return owner;
    }

    private static Owner requireAbsent(Owner owner, String field, String why) {
        if (owner != null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, field + " must be absent: " + why);
        }
        return null;
    }

    private static Actor actor(Principal caller) {
        return new Actor(caller.role().name(), caller.subjectId().toString());
    }
}
