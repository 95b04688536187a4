package io.pers.tier;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.Role;
import io.pers.tier.Tiers.Details;
import io.pers.tier.Tiers.Tier;
import io.pers.tier.UserStatuses.Status;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tier ladder (admins change it; anyone of the tenant may read it) and users' status. */
@RestController
class TierController {

    /** Create and update share one shape; fields left out of an update keep their value. */
    record TierBody(
            @Size(min = 1, max = 100) String name,
            @Min(1) Integer rank,
            BigInteger threshold,
            @Min(0) @Max(10_000) Integer discountBps,
            @Size(min = 1, max = 20) List<@NotNull UUID> tokenIds) {
        Details toDetails() {
            return new Details(
                    name,
                    rank,
                    threshold,
                    discountBps,
                    tokenIds == null ? null : tokenIds.stream().distinct().toList());
        }
    }

    private final Tiers tiers;
    private final UserStatuses statuses;

    TierController(Tiers tiers, UserStatuses statuses) {
        this.tiers = tiers;
        this.statuses = statuses;
    }

    @PostMapping("/v2/status-tiers")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Tier create(@Valid @RequestBody TierBody body) {
        return tiers.create(body.toDetails());
    }

    @GetMapping("/v2/status-tiers")
    @Allow(Role.PUBLIC)
    List<Tier> list() {
        return tiers.list();
    }

    @GetMapping("/v2/status-tiers/{id}")
    @Allow(Role.PUBLIC)
    Tier get(@PathVariable UUID id) {
        return tiers.find(id);
    }

    @PatchMapping("/v2/status-tiers/{id}")
    @Allow(Role.ADMIN)
    Tier update(@PathVariable UUID id, @Valid @RequestBody TierBody body) {
        return tiers.update(id, body.toDetails());
    }

    @DeleteMapping("/v2/status-tiers/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void delete(@PathVariable UUID id) {
        tiers.delete(id);
    }

    @GetMapping("/v2/users/me/status")
    @Allow(Role.USER)
    Status mine() {
        return statuses.of(CurrentCaller.get().subjectId());
    }

    @GetMapping("/v2/users/{id}/status")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Status of(@PathVariable UUID id) {
        return statuses.of(id);
    }
}
