package io.pers.claim;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.campaign.CampaignCatalog;
import io.pers.campaign.ClaimTerms;
import io.pers.claim.Claims.Claim;
import io.pers.claim.Claims.MintedUnit;
import io.pers.claim.Claims.Status;
import io.pers.crypto.Secrets;
import io.pers.ledger.Ledger;
import io.pers.ledger.Ledger.Actor;
import io.pers.ledger.Ledger.Kind;
import io.pers.ledger.Ledger.Posting;
import io.pers.ledger.Ledger.Reason;
import io.pers.ledger.Transactions;
import io.pers.ledger.Wallets;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import io.pers.tenant.TenantContext;
import io.pers.user.Users;
import io.pers.workflow.claim.ClaimActivities;
import io.pers.workflow.claim.ClaimRef;
import io.pers.workflow.claim.MintOutcome;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The claim's steps against the database. Every step first reads the claim's recorded status,
 * so a step retried after a crash finds its own effect and returns the same answer; ledger
 * entry ids are derived from the claim id, so the ledger itself refuses a second mint.
 */
@Component
class ClaimActivitiesImpl implements ClaimActivities {

    private final Claims claims;
    private final Eligibility eligibility;
    private final CampaignCatalog catalog;
    private final Users users;
    private final Ledger ledger;
    private final Transactions transactions;
    private final Wallets wallets;
    private final SettlementPort settlement;
    private final SettlementPort.SettledClaims settledClaims;
    private final ClaimDecisions decisions;
    private final JdbcClient db;
    private final TransactionTemplate tx;
    /** Runs a step inside the claim's transaction that may fail alone (rolled back to a savepoint). */
    private final TransactionTemplate savepoints;
    /** Why a failed claim's tokens stayed with their holder. */
    static final String REVERSAL_BLOCKED = "REVERSAL_BLOCKED: the minted tokens were already spent";

    ClaimActivitiesImpl(
            Claims claims,
            Eligibility eligibility,
            CampaignCatalog catalog,
            Users users,
            Ledger ledger,
            Transactions transactions,
            Wallets wallets,
            SettlementPort settlement,
            SettlementPort.SettledClaims settledClaims,
            ClaimDecisions decisions,
            JdbcClient db,
            TransactionTemplate tx) {
        this.claims = claims;
        this.eligibility = eligibility;
        this.catalog = catalog;
        this.users = users;
        this.ledger = ledger;
        this.transactions = transactions;
        this.wallets = wallets;
        this.settlement = settlement;
        this.settledClaims = settledClaims;
        this.decisions = decisions;
        this.db = db;
        this.tx = tx;
        this.savepoints = new TransactionTemplate(tx.getTransactionManager());
        this.savepoints.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public String checkEligibility(ClaimRef ref, long decidedAtMillis) {
        return TenantContext.callAs(ref.tenantId(), () -> {
            Claim claim = claims.find(ref.claimId());
            if (claim.status().decided()) {
                return claim.rejectionCode();
            }
            return eligibility
                    .judge(claim, terms(claim), users.find(claim.userId()), Instant.ofEpochMilli(decidedAtMillis))
                    .map(ErrorCode::name)
                    .orElse(null);
        });
    }

    @Override
    public MintOutcome mint(ClaimRef ref, long decidedAtMillis) {
        try {
            return mintOnce(ref, Instant.ofEpochMilli(decidedAtMillis));
        } catch (BudgetExhausted e) {
            return MintOutcome.rejected(ErrorCode.BUDGET_EXHAUSTED.name());
        }
    }

    private MintOutcome mintOnce(ClaimRef ref, Instant decidedAt) {
        return inTransaction(ref, () -> {
            Claim claim = claims.find(ref.claimId(), true).orElseThrow();
            if (claim.status() != Status.PENDING) {
                // Settled already (a re-driven workflow): its settle step finds that and goes on.
                return claim.status().minted()
                        ? MintOutcome.minted(
                                claim.status() == Status.PENDING_SETTLEMENT || claim.status() == Status.SETTLED)
                        : MintOutcome.rejected(claim.rejectionCode());
            }
            lock("claim-user:" + claim.campaignId() + ":" + claim.userId());
            if (claim.businessId() != null) {
                lock("claim-business:" + claim.campaignId() + ":" + claim.businessId());
            }
            ClaimTerms terms = terms(claim);
            var rejection = eligibility.judgeCounts(claim, terms, claim.judgedAt(decidedAt));
            if (rejection.isPresent()) {
                return MintOutcome.rejected(rejection.get().name());
            }
            UUID issuance = wallets.issuance();
            UUID recipient = wallets.walletOf(new Owner(OwnerType.USER, claim.userId()));
            boolean settles = false;
            List<Map<String, Object>> minted = new ArrayList<>();
            for (ClaimTerms.TokenUnit unit : terms.tokenUnits()) {
                BigInteger amount = unit.amount().multiply(BigInteger.valueOf(claim.multiplier()));
                UUID entry = Secrets.derivedId("claim-mint:" + claim.id() + ":" + unit.id());
                ledger.post(new Posting(
                        entry,
                        Kind.MINT,
                        unit.tokenId(),
                        issuance,
                        recipient,
                        amount,
                        Reason.CLAIM,
                        claim.id().toString(),
                        new Actor(claim.callerRole(), claim.callerId()),
                        null,
                        null));
                claims.recordMint(claim.id(), new MintedUnit(entry, unit.id(), amount));
                minted.add(Map.of("transactionId", entry, "tokenId", unit.tokenId(), "amount", amount.toString()));
                settles |= settlement.queue(
                        claim.id(),
                        new SettlementPort.Mint(entry, unit.tokenId(), claim.userId(), amount, terms.testnet()));
            }
            Status status = settles ? Status.PENDING_SETTLEMENT : Status.COMPLETED;
            claims.transition(claim.id(), status, null, null, decidedAt);
            // "Points earned", in the mint's own transaction: partners hear it before settlement.
            claims.recordEvent(claim.id(), "claim.minted", claimEvent(claim, status, "mints", minted));
            // Budget last: its row is the one every claim of the campaign updates, so its lock is
            // held only from here to the commit (an exhausted budget rolls the mints back).
            for (ClaimTerms.TokenUnit unit : terms.tokenUnits()) {
                if (!catalog.takeBudget(unit.id(), unit.amount().multiply(BigInteger.valueOf(claim.multiplier())))) {
                    throw new BudgetExhausted();
                }
            }
            decisions.decided(claim.id());
            return MintOutcome.minted(settles);
        });
    }

    @Override
    public void reject(ClaimRef ref, String code, long decidedAtMillis) {
        inTransaction(ref, () -> {
            Claim claim = claims.find(ref.claimId(), true).orElseThrow();
            if (claim.status() == Status.PENDING) {
                claims.transition(claim.id(), Status.REJECTED, code, null, Instant.ofEpochMilli(decidedAtMillis));
                claims.recordRejected(claim, code);
            }
            decisions.decided(claim.id());
            return null;
        });
    }

    @Override
    public void settle(ClaimRef ref) {
        List<SettlementPort.Mint> mints = TenantContext.callAs(ref.tenantId(), () -> {
            Claim claim = claims.find(ref.claimId());
            boolean testnet = terms(claim).testnet();
            return claims.mints(claim.id()).stream()
                    .map(m -> new SettlementPort.Mint(
                            m.entryId(), transactions.find(m.entryId()).tokenId(), claim.userId(), m.amount(), testnet))
                    .toList();
        });
        if (settlement.settle(ref.tenantId(), ref.claimId(), mints)) {
            inTransaction(ref, () -> {
                settledClaims.settled(ref.claimId());
                return null;
            });
        }
    }

    @Override
    public void notifyCompleted(ClaimRef ref) {
        inTransaction(ref, () -> {
            Claim claim = claims.find(ref.claimId());
            claims.recordCompleted(
                    claim.id(),
                    claimEvent(
                            claim,
                            claim.status(),
                            "transactions",
                            claims.mints(claim.id()).stream()
                                    .map(MintedUnit::entryId)
                                    .toList()));
            return null;
        });
    }

    /** The claim as partners see it in claim.minted and claim.completed, with what each adds. */
    private static Map<String, Object> claimEvent(Claim claim, Status status, String name, Object value) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("claimId", claim.id());
        payload.put("campaignId", claim.campaignId());
        payload.put("userId", claim.userId());
        if (claim.businessId() != null) {
            payload.put("businessId", claim.businessId()); // routes it to the business's webhooks too
        }
        payload.put("status", status.name());
        payload.put(name, value);
        return payload;
    }

    @Override
    public void compensateMint(ClaimRef ref, String reason) {
        inTransaction(ref, () -> {
            Claim claim = claims.find(ref.claimId(), true).orElseThrow();
            if (claim.status() == Status.FAILED || claim.status() == Status.REJECTED) {
                return null;
            }
            boolean reversed = reverseMints(claim, reason);
            String failure = reversed ? reason : reason + "; " + REVERSAL_BLOCKED;
            claims.transition(claim.id(), Status.FAILED, null, failure, null);
            claims.recordEvent(
                    claim.id(), "claim.failed", Map.of("claimId", claim.id(), "reason", failure, "reversed", reversed));
            decisions.decided(claim.id());
            return null;
        });
    }

    /**
     * Reverses the claim's mints and gives their budget back, all or nothing. Balances never go
     * negative, so when the user has already spent the tokens the reversal is refused: the claim
     * still fails, its tokens stay with their holders, the budget stays taken, and the failure
     * says so for operators (policy documented in workflows/claim.yaml).
     */
    private boolean reverseMints(Claim claim, String reason) {
        try {
            return Boolean.TRUE.equals(savepoints.execute(status -> {
                for (MintedUnit minted : claims.mints(claim.id())) {
                    ledger.reverse(
                            minted.entryId(),
                            Secrets.derivedId("claim-reversal:" + minted.entryId()),
                            new Actor("SYSTEM", "claim-compensation"),
                            "Claim " + claim.id() + " failed: " + reason);
                    catalog.releaseBudget(minted.tokenUnitId(), minted.amount());
                }
                return true;
            }));
        } catch (PersException e) {
            if (e.code() != ErrorCode.INSUFFICIENT_BALANCE) {
                throw e;
            }
            return false;
        }
    }

    private ClaimTerms terms(Claim claim) {
        return catalog.claimTerms(claim.campaignId()).orElseThrow(() -> new IllegalStateException("Campaign is gone"));
    }

    /** Serialises, until commit, the claims that count against the same cap. */
    private void lock(String key) {
        db.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))")
                .param(key)
                .query(Object.class)
                .single();
    }

    /** Budget ran out between eligibility and mint: roll the mint back, record the rejection. */
    private static final class BudgetExhausted extends RuntimeException {
        BudgetExhausted() {
            super("BUDGET_EXHAUSTED", null, false, false);
        }
    }

    private <T> T inTransaction(ClaimRef ref, Supplier<T> work) {
        return TenantContext.callAs(ref.tenantId(), () -> tx.execute(status -> work.get()));
    }
}
