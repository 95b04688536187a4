package io.pers.chain;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.web3j.abi.FunctionEncoder;
import org.web3j.utils.Numeric;

/**
 * What a holder of an anchored token may withdraw: their entitlement under the newest anchored root,
 * its proof, and what the contract says they withdrew. Anyone can check the proof with the contract's
 * {@code verifyEntitlement} without trusting PERS; {@code withdrawCall} is the transaction's data,
 * which the holder (or anyone paying gas for them: the tokens go to the holder) sends to the contract.
 */
@Component
class Entitlements {

    public record Entitlement(
            @Schema(description = "The anchored token") UUID tokenId,

            @Schema(description = "The chain the contract is on")
            long chainId,

            @Schema(description = "The token contract (proxy) that takes the withdrawal")
            String contract,

            @Schema(description = "The holder's address, the leaf's account")
            String account,

            @Schema(description = "Cumulative entitlement proven by the root: ledger balance plus all withdrawn")
            @JsonFormat(shape = JsonFormat.Shape.STRING)
            BigInteger cumulative,

            @Schema(description = "What the contract has minted to the account by withdrawals (read from the chain)")
            @JsonFormat(shape = JsonFormat.Shape.STRING)
            BigInteger withdrawn,

            @Schema(description = "cumulative - withdrawn, never below 0: what a withdrawal now mints")
            @JsonFormat(shape = JsonFormat.Shape.STRING)
            BigInteger withdrawable,

            AnchorWindows.AnchorWindow window,

            @Schema(description = "Sibling hashes from the leaf up, 0x hex")
            List<String> proof,

            @Schema(description = "Calldata of withdraw(account, cumulative, root, proof) for the contract, 0x hex")
            String withdrawCall) {}

    private final ChainContracts contracts;
    private final Custody custody;
    private final AnchorWindows windows;
    private final Chains chains;
    private final ChainNodes nodes;

    Entitlements(ChainContracts contracts, Custody custody, AnchorWindows windows, Chains chains, ChainNodes nodes) {
        this.contracts = contracts;
        this.custody = custody;
        this.windows = windows;
        this.chains = chains;
        this.nodes = nodes;
    }

    Entitlement of(UUID userId, UUID tokenId) {
        ChainContracts.Target target =
                contracts.target(tokenId).orElseThrow(() -> PersException.notFound("Contract of the token"));
        ChainContracts.Contract contract = contracts.find(target.contractId());
        if (contract.mode() != ChainContracts.Mode.ANCHORED) {
            throw new PersException(
                    ErrorCode.NOT_ANCHORED, "The token settles by minting: its holders' tokens are on chain already");
        }
        String account = custody.find(Custody.OwnerType.USER, userId)
                .map(Custody.WalletAddress::address)
                .orElseThrow(() -> PersException.notFound("Entitlement"));
        AnchorWindows.Proof proof = windows.proof(contract.id(), account);
        BigInteger withdrawn =
                new CreditToken(nodes.client(chains.find(contract.chainId())), contract.address()).withdrawnOf(account);
        String call = FunctionEncoder.encode(CreditToken.withdrawCall(
                account,
                proof.cumulative(),
                proof.window().rootBytes(),
                proof.proof().stream().map(Numeric::hexStringToByteArray).toList()));
        return new Entitlement(
                tokenId,
                contract.chainId(),
                contract.address(),
                account,
                proof.cumulative(),
                withdrawn,
                proof.cumulative().subtract(withdrawn).max(BigInteger.ZERO),
                proof.window(),
                proof.proof(),
                call);
    }
}
