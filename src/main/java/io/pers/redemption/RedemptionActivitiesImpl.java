package io.pers.redemption;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.campaign.CountryRestrictions;
import io.pers.crypto.Secrets;
import io.pers.event.DomainEvents;
import io.pers.ledger.Ledger;
import io.pers.ledger.Ledger.Actor;
import io.pers.ledger.Ledger.Kind;
import io.pers.ledger.Ledger.Posting;
import io.pers.ledger.Ledger.Reason;
import io.pers.ledger.Wallets;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import io.pers.redemption.Redeems.EntryRole;
import io.pers.redemption.Redeems.Redeem;
import io.pers.redemption.Redeems.Status;
import io.pers.redemption.Redemptions.Redemption;
import io.pers.redemption.Redemptions.RewardUnit;
import io.pers.tenant.TenantContext;
import io.pers.workflow.redemption.RedeemRef;
import io.pers.workflow.redemption.RedemptionActivities;
import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The redeem's steps against the database, each in one transaction holding the redeem's row.
 * Ledger entry ids are derived from the redeem id, so the ledger itself refuses a second cost or
 * mint; supply is held by a flag on the redeem, so it is taken and given back once.
 */
@Component
class RedemptionActivitiesImpl implements RedemptionActivities {

    private static final Actor COMPENSATION = new Actor("SYSTEM", "redemption-compensation");

    private final Redeems redeems;
    private final Redemptions redemptions;
    private final StatusTiers tiers;
    private final Ledger ledger;
    private final Wallets wallets;
    private final DomainEvents events;
    private final JdbcClient db;
    private final TransactionTemplate tx;
    /** Runs a reversal that may be refused alone (rolled back to a savepoint). */
    private final TransactionTemplate savepoints;

    RedemptionActivitiesImpl(
            Redeems redeems,
            Redemptions redemptions,
            StatusTiers tiers,
            Ledger ledger,
            Wallets wallets,
            DomainEvents events,
            JdbcClient db,
            TransactionTemplate tx) {
        this.redeems = redeems;
        this.redemptions = redemptions;
        this.tiers = tiers;
        this.ledger = ledger;
        this.wallets = wallets;
        this.events = events;
        this.db = db;
        this.tx = tx;
        this.savepoints = new TransactionTemplate(tx.getTransactionManager());
        this.savepoints.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public void reserveSupply(RedeemRef ref) {
        step(ref, r -> {
            if (r.status() == Status.FAILED) {
                throw ApplicationFailure.newNonRetryableFailure(r.failureReason(), r.failureCode());
            }
            if (r.supplyReserved() || r.status() == Status.COMPLETED) {
                return;
            }
            Redemption redemption = redemptions.find(r.redemptionId(), false);
            if (!redemption.active()) {
                throw refusal(ErrorCode.REDEMPTION_INACTIVE, "Redemption " + redemption.id() + " is not active");
            }
            if (!CountryRestrictions.allowed(redemption.countryCodeRestrictions(), r.countryCode())) {
                throw refusal(ErrorCode.COUNTRY_RESTRICTED, "Not redeemable in country " + r.countryCode());
            }
            if (redemption.minStatusTierId() != null && !tiers.reaches(r.userId(), redemption.minStatusTierId())) {
                throw refusal(ErrorCode.STATUS_TOO_LOW, "The user's status is below the redemption's minimum");
            }
            // Serialises the user's redeems of this redemption until commit, so the count holds.
            db.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))")
                    .param("redeem-user:" + r.redemptionId() + ":" + r.userId())
                    .query(Object.class)
                    .single();
            if (redemption.maxPerUser() != null
                    && redeems.holding(r.redemptionId(), r.userId()) >= redemption.maxPerUser()) {
                throw refusal(
                        ErrorCode.MAX_PER_USER, "The user has redeemed this " + redemption.maxPerUser() + " times");
            }
            if (!redemptions.reserve(r.redemptionId())) {
                throw refusal(ErrorCode.OUT_OF_STOCK, "Redemption " + redemption.id() + " has no supply left");
            }
            redeems.supplyReserved(r.id(), true);
        });
    }

    @Override
    public void releaseSupply(RedeemRef ref) {
        step(ref, r -> {
            if (r.supplyReserved()) {
                redemptions.release(r.redemptionId());
                redeems.supplyReserved(r.id(), false);
            }
        });
    }

    @Override
    public void takeCost(RedeemRef ref) {
        step(ref, r -> {
            Redemption redemption = redemptions.find(r.redemptionId(), false);
            if (r.costAmount().signum() == 0) {
                return; // free: the user's tier takes the whole cost off
            }
            boolean toBusiness = r.businessId() != null && redemption.businessReceivesCredits();
            UUID entry = Secrets.derivedId("redeem-cost:" + r.id());
            ledger.post(new Posting(
                    entry,
                    toBusiness ? Kind.TRANSFER : Kind.BURN,
                    r.costTokenId(),
                    wallets.walletOf(new Owner(OwnerType.USER, r.userId())),
                    toBusiness ? wallets.walletOf(new Owner(OwnerType.BUSINESS, r.businessId())) : wallets.issuance(),
                    r.costAmount(),
                    Reason.REDEEM,
                    r.id().toString(),
                    new Actor(r.callerRole(), r.callerId()),
                    null,
                    "Redeem of " + redemption.name()));
            redeems.recordEntry(r.id(), entry, EntryRole.COST);
        });
    }

    @Override
    public void refundCost(RedeemRef ref) {
        step(ref, r -> reverseAll(r, EntryRole.COST, "REFUND_BLOCKED: the partner business already spent the credits"));
    }

    @Override
    public void mintRewards(RedeemRef ref) {
        step(ref, r -> {
            if (r.status() == Status.COMPLETED) {
                return;
            }
            UUID recipient = wallets.walletOf(new Owner(OwnerType.USER, r.userId()));
            for (RewardUnit unit : redemptions.find(r.redemptionId(), false).tokens()) {
                UUID entry = Secrets.derivedId("redeem-reward:" + r.id() + ":" + unit.id());
                ledger.post(new Posting(
                        entry,
                        Kind.MINT,
                        unit.tokenId(),
                        wallets.issuance(),
                        recipient,
                        unit.amount(),
                        Reason.REDEEM,
                        r.id().toString(),
                        new Actor(r.callerRole(), r.callerId()),
                        null,
                        null));
                redeems.recordEntry(r.id(), entry, EntryRole.REWARD);
            }
            redeems.complete(r.id());
        });
    }

    @Override
    public void reverseRewards(RedeemRef ref) {
        step(ref, r -> reverseAll(r, EntryRole.REWARD, "REVERSAL_BLOCKED: the user already spent the rewards"));
    }

    @Override
    public void notifyCompleted(RedeemRef ref) {
        step(ref, r -> {
            Map<String, Object> payload = payload(r);
            payload.put("transactions", redeems.entries(r.id(), null));
            events.record("redemption.completed", r.id(), payload);
        });
    }

    @Override
    public void fail(RedeemRef ref, String code, String reason) {
        step(ref, r -> {
            if (r.status() == Status.FAILED) {
                return;
            }
            String stable =
                    Arrays.stream(ErrorCode.values()).anyMatch(c -> c.name().equals(code))
                            ? code
                            : ErrorCode.REDEMPTION_FAILED.name();
            redeems.fail(r.id(), stable, reason);
            Redeem failed = redeems.find(r.id());
            Map<String, Object> payload = payload(failed);
            payload.put("code", stable);
            payload.put("reason", failed.failureReason());
            events.record("redemption.failed", r.id(), payload);
        });
    }

    /**
     * Reverses the redeem's entries of one role. Balances never go negative: when the holder has
     * spent what the entry gave, the reversal is refused, and the redeem's reason says so for
     * operators instead of the compensation retrying forever.
     */
    private void reverseAll(Redeem r, EntryRole role, String blocked) {
        for (UUID entry : redeems.entries(r.id(), role)) {
            UUID reversal = Secrets.derivedId("redeem-reversal:" + entry);
            try {
                savepoints.executeWithoutResult(s -> {
                    ledger.reverse(entry, reversal, COMPENSATION, "Redeem " + r.id() + " failed");
                    redeems.recordEntry(r.id(), reversal, EntryRole.REFUND);
                });
            } catch (PersException e) {
                if (e.code() == ErrorCode.INSUFFICIENT_BALANCE) {
                    redeems.note(r.id(), blocked);
                } else if (e.code() != ErrorCode.ALREADY_REVERSED) {
                    throw e;
                }
            }
        }
    }

    private static Map<String, Object> payload(Redeem r) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("redeemId", r.id());
        payload.put("redemptionId", r.redemptionId());
        payload.put("userId", r.userId());
        if (r.businessId() != null) {
            payload.put("businessId", r.businessId()); // routes it to the business's webhooks too
        }
        payload.put("status", r.status().name());
        return payload;
    }

    /**
     * One transaction in the redeem's tenant, holding the redeem's row. A refusal by a domain
     * rule (insufficient balance, an inactive token) is final: it fails the step without retries,
     * with the stable code as the failure's type.
     */
    private void step(RedeemRef ref, Consumer<Redeem> work) {
        TenantContext.runAs(ref.tenantId(), () -> {
            try {
                tx.executeWithoutResult(
                        s -> work.accept(redeems.find(ref.redeemId(), true).orElseThrow()));
            } catch (PersException e) {
                if (e.code().category() == ErrorCode.Category.DOMAIN_RULE) {
                    throw refusal(e.code(), e.getMessage());
                }
                throw e;
            }
        });
    }

    private static ApplicationFailure refusal(ErrorCode code, String message) {
        return ApplicationFailure.newNonRetryableFailure(message, code.name());
    }
}
