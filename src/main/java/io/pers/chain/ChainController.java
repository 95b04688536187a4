package io.pers.chain;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.user.Users;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Chains (platform-wide), the tenant's contracts and token bindings, and wallet addresses. */
@RestController
class ChainController {

    private static final String RPC_URL = "https?://\\S+";

    record FeePolicyBody(
            @NotNull @Min(10) @Max(1000) Integer bumpPercent,
            @Positive Long maxFeeGwei) {}

    record ChainBody(
            @NotNull @Positive Long id,
            @NotBlank @Size(max = 100) String name,

            @NotBlank @Size(max = 500) @Pattern(regexp = RPC_URL)
            String rpcUrl,

            @NotNull @Min(1) @Max(1000) Integer confirmations,
            @NotNull Boolean testnet,
            @NotNull @Valid FeePolicyBody feePolicy) {}

    record ChainPatch(
            @Size(min = 1, max = 100) String name,
            @Size(max = 500) @Pattern(regexp = RPC_URL) String rpcUrl,
            @Min(1) @Max(1000) Integer confirmations,
            @Valid FeePolicyBody feePolicy) {}

    record ContractBody(
            @NotNull @Positive Long chainId,
            @NotNull UUID tokenId,
            @Size(max = 42) String address,

            @Schema(
                    description = "MINTED (default): every ledger movement settles on chain as it happens; ANCHORED"
                            + " (CREDIT tokens): one Merkle root per settlement window, holders withdraw with a proof")
            ChainContracts.Mode mode) {}

    record BindingBody(@NotNull UUID tokenId) {}

    record AddressBody(@NotNull @Size(max = 42) String address) {}

    private final Chains chains;
    private final ChainStatuses statuses;
    private final ChainContracts contracts;
    private final Custody custody;
    private final Users users;
    private final Reconciliation reconciliation;
    private final ParkedEvents parked;
    private final ChainFollower follower;
    private final AnchorWindows anchorWindows;
    private final Entitlements entitlements;

    ChainController(
            Chains chains,
            ChainStatuses statuses,
            ChainContracts contracts,
            Custody custody,
            Users users,
            Reconciliation reconciliation,
            ParkedEvents parked,
            ChainFollower follower,
            AnchorWindows anchorWindows,
            Entitlements entitlements) {
        this.anchorWindows = anchorWindows;
        this.entitlements = entitlements;
        this.chains = chains;
        this.statuses = statuses;
        this.contracts = contracts;
        this.custody = custody;
        this.users = users;
        this.reconciliation = reconciliation;
        this.parked = parked;
        this.follower = follower;
    }

    @Operation(
            operationId = "registerChain",
            summary = "Register a chain",
            description = "Adds an EVM chain PERS may settle on (platform-wide): its chain `id`, `rpcUrl` (checked: it "
                    + "must answer with that chain id), the confirmations a transaction needs, and the fee policy "
                    + "for stuck transactions.")
    @Fails({ErrorCode.CHAIN_UNREACHABLE})
    @PostMapping("/v2/chains")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.PLATFORM)
    Chains.Chain register(@Valid @RequestBody ChainBody body) {
        return chains.register(new Chains.Chain(
                        body.id(),
                        body.name(),
                        body.rpcUrl(),
                        body.confirmations(),
                        body.testnet(),
                        fees(body.feePolicy()),
                        false,
                        null))
                .shown();
    }

    @Operation(
            operationId = "updateChain",
            summary = "Update a chain",
            description = "Changes a chain's name, RPC URL (checked again), confirmations or fee policy; fields left "
                    + "out keep their value.")
    @Fails({ErrorCode.CHAIN_UNREACHABLE})
    @PatchMapping("/v2/chains/{id}")
    @Allow(Role.PLATFORM)
    Chains.Chain update(@PathVariable long id, @Valid @RequestBody ChainPatch body) {
        return chains.update(id, body.name(), body.rpcUrl(), body.confirmations(), fees(body.feePolicy()))
                .shown();
    }

    @Operation(operationId = "listChains", summary = "List chains", description = "The chains PERS may settle on.")
    @GetMapping("/v2/chains")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.PLATFORM})
    List<Chains.Chain> list() {
        return chains.list().stream().map(Chains.Chain::shown).toList();
    }

    @Operation(operationId = "getChain", summary = "Get a chain", description = "One chain.")
    @GetMapping("/v2/chains/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.PLATFORM})
    Chains.Chain get(@PathVariable long id) {
        return chains.find(id).shown();
    }

    @Operation(
            operationId = "getChainStatus",
            summary = "Get the tenant's settlement status on a chain",
            description = "The tenant's settlement on the chain: the head block and how far the follower lags,"
                    + " the settlement queue's depth, the settler address and its balance (wei), and the parked"
                    + " events.")
    @GetMapping("/v2/chains/{id}/status")
    @Allow({Role.ADMIN, Role.SYSTEM})
    ChainStatuses.Status status(@PathVariable long id) {
        return statuses.status(id);
    }

    /** Every wallet's on-chain balance against its settled ledger balance; lists the differences. */
    @Operation(
            operationId = "reconcileChain",
            summary = "Reconcile on-chain and ledger balances",
            description = "Compares every wallet's on-chain balance with its settled ledger balance, per token contract"
                    + " on the chain, and lists the differences (none when they agree).")
    @GetMapping("/v2/chains/{id}/reconciliation")
    @Allow(Role.ADMIN)
    Reconciliation.Report reconciliation(@PathVariable long id) {
        return reconciliation.report(id);
    }

    /** The follower's events on the chain it could not apply, waiting for an operator. */
    @Operation(
            operationId = "listParkedChainEvents",
            summary = "List parked chain events",
            description = "Events of the tenant's contracts the chain follower saw on the chain but the ledger"
                    + " refused (each with its reason, led by the refusal's code), waiting for an operator.")
    @GetMapping("/v2/chains/{id}/parked-events")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<ParkedEvents.ParkedEvent> parkedEvents(@PathVariable long id) {
        chains.find(id);
        return parked.open(id);
    }

    /** Applies a parked event again once its cause is fixed; answers it resolved, or parked with why not. */
    @Operation(
            operationId = "retryParkedChainEvent",
            summary = "Apply a parked chain event again",
            description = "Applies a parked event again once its cause is fixed; answers it resolved, or still parked "
                    + "with why.")
    @PostMapping("/v2/chains/{id}/parked-events/{eventId}/retry")
    @Allow(Role.ADMIN)
    ParkedEvents.ParkedEvent retryParked(@PathVariable long id, @PathVariable UUID eventId) {
        return follower.retry(id, eventId);
    }

    @Operation(
            operationId = "createContract",
            summary = "Add a token contract",
            description = "Binds a token to a contract on a chain: the `address` of one already deployed (checked: code"
                    + " at the address, the tenant's settler holding `MINTER_ROLE` and funds for gas, the token "
                    + "type fitting the standard), or, without an address, one PERS deploys. `mode` ANCHORED (CREDIT"
                    + " tokens) settles by one Merkle root per window instead of a mint per movement; it is fixed"
                    + " with the binding.")
    @Fails({
        ErrorCode.NO_CONTRACT_AT_ADDRESS,
        ErrorCode.SETTLER_NOT_MINTER,
        ErrorCode.SETTLER_NOT_FUNDED,
        ErrorCode.TOKEN_STANDARD_MISMATCH,
        ErrorCode.CHAIN_UNREACHABLE,
        ErrorCode.TOKEN_ALREADY_ISSUED,
        ErrorCode.INVALID_ADDRESS
    })
    @PostMapping("/v2/contracts")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    ChainContracts.Contract create(@Valid @RequestBody ContractBody body) {
        return contracts.create(
                body.chainId(),
                body.tokenId(),
                body.address(),
                body.mode() == null ? ChainContracts.Mode.MINTED : body.mode());
    }

    @Operation(
            operationId = "bindContractToken",
            summary = "Bind another token to a contract",
            description = "Settles another token of the tenant through this ERC-1155 contract. A token with outstanding"
                    + " supply must be bound before it is issued.")
    @Fails({ErrorCode.TOKEN_ALREADY_ISSUED, ErrorCode.TOKEN_STANDARD_MISMATCH})
    @PostMapping("/v2/contracts/{id}/tokens")
    @Allow(Role.ADMIN)
    ChainContracts.Contract bind(@PathVariable UUID id, @Valid @RequestBody BindingBody body) {
        return contracts.bind(id, body.tokenId());
    }

    @Operation(
            operationId = "listContracts",
            summary = "List token contracts",
            description = "The tenant's contracts and the tokens bound to each.")
    @GetMapping("/v2/contracts")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<ChainContracts.Contract> contracts() {
        return contracts.list();
    }

    @Operation(
            operationId = "getContract",
            summary = "Get a token contract",
            description = "One contract and the tokens bound to it.")
    @GetMapping("/v2/contracts/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    ChainContracts.Contract contract(@PathVariable UUID id) {
        return contracts.find(id);
    }

    @Operation(
            operationId = "listContractAnchors",
            summary = "List a contract's anchored windows",
            description = "For a contract in ANCHORED mode: each settlement window's Merkle root, the ledger seal head"
                    + " anchored with it, and the transaction that anchored it (null while on its way); newest first.")
    @GetMapping("/v2/contracts/{id}/anchors")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<AnchorWindows.AnchorWindow> anchors(
            @PathVariable UUID id, @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return anchorWindows.list(contracts.find(id).id(), limit);
    }

    @Operation(
            operationId = "getUserEntitlement",
            summary = "Get a user's withdrawal proof",
            description = "For a token settled in ANCHORED mode: the user's cumulative entitlement under the newest"
                    + " anchored root, its Merkle proof, what they withdrew on chain, and the withdraw call to send"
                    + " to the contract (by the user, or by anyone paying gas for them: the tokens go to the user).")
    @Fails({ErrorCode.NOT_ANCHORED, ErrorCode.CHAIN_UNREACHABLE})
    @GetMapping("/v2/users/{id}/entitlements/{tokenId}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Entitlements.Entitlement entitlement(@PathVariable UUID id, @PathVariable UUID tokenId) {
        users.find(id);
        return entitlements.of(id, tokenId);
    }

    @Operation(
            operationId = "getMyEntitlement",
            summary = "Get my withdrawal proof",
            description = "The signed-in user's entitlement of an anchored token, with its proof and the withdraw"
                    + " call to send to the contract.")
    @Fails({ErrorCode.NOT_ANCHORED, ErrorCode.CHAIN_UNREACHABLE})
    @GetMapping("/v2/users/me/entitlements/{tokenId}")
    @Allow(Role.USER)
    Entitlements.Entitlement myEntitlement(@PathVariable UUID tokenId) {
        return entitlements.of(CurrentCaller.get().subjectId(), tokenId);
    }

    /** The user's address: the custodial one (made on first ask) unless they registered their own. */
    @Operation(
            operationId = "getUserAddress",
            summary = "Get a user's wallet address",
            description = "The address the user's tokens settle to: the custodial one PERS holds (made on first ask) "
                    + "unless they registered their own.")
    @GetMapping("/v2/users/{id}/address")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Custody.WalletAddress address(@PathVariable UUID id) {
        users.find(id);
        custody.addressOf(Custody.OwnerType.USER, id);
        return custody.find(Custody.OwnerType.USER, id).orElseThrow();
    }

    @Operation(
            operationId = "registerUserAddress",
            summary = "Register a user's own wallet address",
            description = "Settles the user's tokens to their own EVM address from now on (a 20-byte 0x hex address, "
                    + "not the zero address, not another owner's).")
    @Fails({ErrorCode.INVALID_ADDRESS, ErrorCode.ADDRESS_IN_USE})
    @PutMapping("/v2/users/{id}/address")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Custody.WalletAddress registerAddress(@PathVariable UUID id, @Valid @RequestBody AddressBody body) {
        users.find(id);
        return custody.registerOwn(Custody.OwnerType.USER, id, body.address());
    }

    private static Chains.FeePolicy fees(FeePolicyBody body) {
        return body == null ? null : new Chains.FeePolicy(body.bumpPercent(), body.maxFeeGwei());
    }
}
