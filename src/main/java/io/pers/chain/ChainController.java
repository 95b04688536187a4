package io.pers.chain;

import io.pers.api.Allow;
import io.pers.api.Role;
import io.pers.user.Users;
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
            @Size(max = 42) String address) {}

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

    ChainController(
            Chains chains,
            ChainStatuses statuses,
            ChainContracts contracts,
            Custody custody,
            Users users,
            Reconciliation reconciliation,
            ParkedEvents parked,
            ChainFollower follower) {
        this.chains = chains;
        this.statuses = statuses;
        this.contracts = contracts;
        this.custody = custody;
        this.users = users;
        this.reconciliation = reconciliation;
        this.parked = parked;
        this.follower = follower;
    }

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

    @PatchMapping("/v2/chains/{id}")
    @Allow(Role.PLATFORM)
    Chains.Chain update(@PathVariable long id, @Valid @RequestBody ChainPatch body) {
        return chains.update(id, body.name(), body.rpcUrl(), body.confirmations(), fees(body.feePolicy()))
                .shown();
    }

    @GetMapping("/v2/chains")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.PLATFORM})
    List<Chains.Chain> list() {
        return chains.list().stream().map(Chains.Chain::shown).toList();
    }

    @GetMapping("/v2/chains/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.PLATFORM})
    Chains.Chain get(@PathVariable long id) {
        return chains.find(id).shown();
    }

    @GetMapping("/v2/chains/{id}/status")
    @Allow({Role.ADMIN, Role.SYSTEM})
    ChainStatuses.Status status(@PathVariable long id) {
        return statuses.status(id);
    }

    /** Every wallet's on-chain balance against its settled ledger balance; lists the differences. */
    @GetMapping("/v2/chains/{id}/reconciliation")
    @Allow(Role.ADMIN)
    Reconciliation.Report reconciliation(@PathVariable long id) {
        return reconciliation.report(id);
    }

    /** The follower's events on the chain it could not apply, waiting for an operator. */
    @GetMapping("/v2/chains/{id}/parked-events")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<ParkedEvents.ParkedEvent> parkedEvents(@PathVariable long id) {
        chains.find(id);
        return parked.open(id);
    }

    /** Applies a parked event again once its cause is fixed; answers it resolved, or parked with why not. */
    @PostMapping("/v2/chains/{id}/parked-events/{eventId}/retry")
    @Allow(Role.ADMIN)
    ParkedEvents.ParkedEvent retryParked(@PathVariable long id, @PathVariable UUID eventId) {
        return follower.retry(id, eventId);
    }

    @PostMapping("/v2/contracts")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    ChainContracts.Contract create(@Valid @RequestBody ContractBody body) {
        return contracts.create(body.chainId(), body.tokenId(), body.address());
    }

    @PostMapping("/v2/contracts/{id}/tokens")
    @Allow(Role.ADMIN)
    ChainContracts.Contract bind(@PathVariable UUID id, @Valid @RequestBody BindingBody body) {
        return contracts.bind(id, body.tokenId());
    }

    @GetMapping("/v2/contracts")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<ChainContracts.Contract> contracts() {
        return contracts.list();
    }

    @GetMapping("/v2/contracts/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    ChainContracts.Contract contract(@PathVariable UUID id) {
        return contracts.find(id);
    }

    /** The user's address: the custodial one (made on first ask) unless they registered their own. */
    @GetMapping("/v2/users/{id}/address")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Custody.WalletAddress address(@PathVariable UUID id) {
        users.find(id);
        custody.addressOf(Custody.OwnerType.USER, id);
        return custody.find(Custody.OwnerType.USER, id).orElseThrow();
    }

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
