package io.pers.ledger;

import io.pers.api.Allow;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.ledger.Tokens.Supply;
import io.pers.ledger.Tokens.Token;
import io.pers.ledger.Tokens.Type;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TokenController {

    record CreateToken(
            @NotNull Type type,
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Pattern(regexp = "[A-Z0-9]{1,11}") String symbol,
            @NotNull @Min(0) @Max(36) Integer decimals,
            ExpiryPolicy expiry) {}

    /** {@code expiry} left out keeps the policy; {@code {"type":"NONE"}} removes it. */
    record UpdateToken(@Size(min = 1, max = 100) String name, Boolean active, ExpiryPolicy expiry) {}

    private final Tokens tokens;

    TokenController(Tokens tokens) {
        this.tokens = tokens;
    }

    @Operation(
            operationId = "createToken",
            summary = "Create a token",
            description = "Creates a token of the tenant: `CREDIT` (fungible points, ERC-20 when settled), `REWARD` or "
                    + "`STATUS` (ERC-1155; status tokens are earned, never transferred). `symbol` is 1-11 of "
                    + "A-Z0-9; amounts of the token are integers in base units with `decimals` places. An `expiry` "
                    + "policy makes earned points expire.")
    @Fails({ErrorCode.INVALID_EXPIRY_POLICY})
    @PostMapping("/v2/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Token create(@Valid @RequestBody CreateToken body) {
        return tokens.create(body.type(), body.name(), body.symbol(), body.decimals(), body.expiry());
    }

    @Operation(
            operationId = "listTokens",
            summary = "List tokens",
            description = "The tenant's tokens, optionally only `active` ones or those of one `type`. Open to any "
                    + "caller of the tenant.")
    @GetMapping("/v2/tokens")
    @Allow(Role.PUBLIC)
    List<Token> list(@RequestParam(required = false) Boolean active, @RequestParam(required = false) Type type) {
        return tokens.list(active, type);
    }

    @Operation(
            operationId = "getToken",
            summary = "Get a token",
            description = "One token of the tenant. Open to any caller of the tenant.")
    @GetMapping("/v2/tokens/{id}")
    @Allow(Role.PUBLIC)
    Token get(@PathVariable UUID id) {
        return tokens.find(id);
    }

    @Operation(
            operationId = "updateToken",
            summary = "Update a token",
            description = "Renames, activates or deactivates a token (an inactive token is neither minted nor "
                    + "transferred), or changes its expiry policy (`{\"type\":\"NONE\"}` removes it; left out, it "
                    + "stays). Fields left out keep their value.")
    @Fails({ErrorCode.INVALID_EXPIRY_POLICY})
    @PatchMapping("/v2/tokens/{id}")
    @Allow(Role.ADMIN)
    Token update(@PathVariable UUID id, @Valid @RequestBody UpdateToken body) {
        return tokens.update(id, body.name(), body.active(), body.expiry());
    }

    @Operation(
            operationId = "getTokenSupply",
            summary = "Get a token's supply",
            description = "What is outstanding of the token: minted less burned, in base units, from the ledger.")
    @GetMapping("/v2/tokens/{id}/supply")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Supply supply(@PathVariable UUID id) {
        return tokens.supply(id);
    }
}
