package io.pers.purchase;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.api.Unauthenticated;
import io.pers.purchase.PurchasableTokens.PurchasableToken;
import io.pers.purchase.PurchasableTokens.Terms;
import io.pers.purchase.Purchases.Purchase;
import io.pers.purchase.Purchases.Status;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tokens on sale, top-ups through the payment provider, and the provider's webhook. */
@RestController
class PurchaseController {

    record TermsBody(
            UUID tokenId, String currency, Long unitPrice, Long minQuantity, Long maxQuantity, Boolean active) {
        Terms terms() {
            return new Terms(tokenId, currency, unitPrice, minQuantity, maxQuantity, active);
        }
    }

    record TopUpBody(@NotNull UUID tokenId, @NotNull @Min(1) Long quantity) {}

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at");

    private final PurchasableTokens catalogue;
    private final Purchases purchases;
    private final TopUps topUps;
    private final PaymentEvents paymentEvents;

    PurchaseController(PurchasableTokens catalogue, Purchases purchases, TopUps topUps, PaymentEvents paymentEvents) {
        this.catalogue = catalogue;
        this.purchases = purchases;
        this.topUps = topUps;
        this.paymentEvents = paymentEvents;
    }

    @Operation(
            operationId = "createPurchasableToken",
            summary = "Put a token on sale",
            description = "Makes a token purchasable through the payment provider: `currency`, `unitPrice` (in the "
                    + "currency's minor units), the `minQuantity` and `maxQuantity` of one purchase, and whether it"
                    + " is `active`.")
    @PostMapping("/v2/purchases/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    PurchasableToken create(@RequestBody TermsBody body) {
        return catalogue.create(body.terms());
    }

    /** What is on sale; an admin sees inactive entries too. */
    @Operation(
            operationId = "listPurchasableTokens",
            summary = "List tokens on sale",
            description = "What is on sale and at which price; an admin also sees inactive entries.")
    @GetMapping("/v2/purchases/tokens")
    @Allow(Role.PUBLIC)
    List<PurchasableToken> entries() {
        return catalogue.list(CurrentCaller.get().role() == Role.ADMIN);
    }

    @Operation(
            operationId = "getPurchasableToken",
            summary = "Get a token on sale",
            description = "One entry of the catalogue; an inactive one is visible to admins only.")
    @GetMapping("/v2/purchases/tokens/{id}")
    @Allow(Role.PUBLIC)
    PurchasableToken entry(@PathVariable UUID id) {
        PurchasableToken entry = catalogue.find(id);
        if (!entry.active() && CurrentCaller.get().role() != Role.ADMIN) {
            throw PersException.notFound("Purchasable token");
        }
        return entry;
    }

    @Operation(
            operationId = "updatePurchasableToken",
            summary = "Update a token on sale",
            description = "Changes an entry's price, limits or active flag; fields left out keep their value.")
    @PatchMapping("/v2/purchases/tokens/{id}")
    @Allow(Role.ADMIN)
    PurchasableToken update(@PathVariable UUID id, @RequestBody TermsBody body) {
        return catalogue.update(id, body.terms());
    }

    @Operation(
            operationId = "deletePurchasableToken",
            summary = "Take a token off sale",
            description = "Removes the entry; one with purchases is refused with 409 `CONFLICT_IN_USE` (deactivate it "
                    + "instead).")
    @Fails({ErrorCode.CONFLICT_IN_USE})
    @DeleteMapping("/v2/purchases/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void delete(@PathVariable UUID id) {
        catalogue.delete(id);
    }

    /**
     * Starts a top-up. The Idempotency-Key names the purchase: a retry gets the same purchase and
     * the same PaymentIntent (also at Stripe), never a second charge.
     */
    @Operation(
            operationId = "createPurchase",
            summary = "Start a top-up",
            description = "Starts buying `quantity` of a token on sale: answers the purchase with the payment "
                    + "provider's client secret to confirm the payment with. The tokens are minted when the "
                    + "provider reports the payment succeeded. `Idempotency-Key` is required here and names the "
                    + "purchase: a retry gets the same purchase and the same payment intent, never a second charge.")
    @Fails({
        ErrorCode.NOT_PURCHASABLE,
        ErrorCode.QUANTITY_OUT_OF_RANGE,
        ErrorCode.PAYMENTS_NOT_CONFIGURED,
        ErrorCode.PAYMENT_PROVIDER_ERROR
    })
    @PostMapping("/v2/purchases")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.USER)
    TopUps.TopUp buy(
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody TopUpBody body) {
        if (idempotencyKey == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "A top-up needs an Idempotency-Key");
        }
        Principal caller = CurrentCaller.get();
        UUID id = Purchases.idOf(caller.tenantId(), caller.callerKey(), idempotencyKey);
        return topUps.buy(id, caller.subjectId(), body.tokenId(), body.quantity());
    }

    /** A user sees its own purchases; admins and systems the tenant's. */
    @Operation(
            operationId = "listPurchases",
            summary = "List purchases",
            description = "Purchases, filterable by `userId` and `status`; paged. A user sees their own; admins and "
                    + "systems the tenant's.")
    @GetMapping("/v2/purchases")
    @Allow({Role.USER, Role.ADMIN, Role.SYSTEM})
    Page<Purchase> list(
            @RequestParam(required = false) UUID userId,
            @RequestParam(required = false) Status status,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        Principal caller = CurrentCaller.get();
        UUID user = caller.role() == Role.USER ? caller.subjectId() : userId;
        return purchases.list(user, status, PageQuery.of(page, size, sort, SORTABLE));
    }

    @Operation(
            operationId = "getPurchase",
            summary = "Get a purchase",
            description = "One purchase with its status; a user sees only their own (another's answers 404).")
    @GetMapping("/v2/purchases/{id}")
    @Allow({Role.USER, Role.ADMIN, Role.SYSTEM})
    Purchase get(@PathVariable UUID id) {
        Purchase purchase = purchases.find(id);
        Principal caller = CurrentCaller.get();
        if (caller.role() == Role.USER && !purchase.userId().equals(caller.subjectId())) {
            throw PersException.notFound("Purchase");
        }
        return purchase;
    }

    /** Stripe's webhook: its signature is the authentication. Any non-2xx makes Stripe deliver again. */
    @Operation(
            operationId = "receiveStripeEvent",
            summary = "Receive the payment provider's events",
            description = "Stripe's webhook. No PERS credential: the `Stripe-Signature` header (HMAC of the raw body, "
                    + "with a timestamp tolerance) is the authentication. A succeeded payment mints the purchase's "
                    + "tokens once; any answer other than 2xx makes Stripe deliver again.")
    @Fails({ErrorCode.PAYMENT_SIGNATURE_INVALID})
    @PostMapping("/v2/purchases/webhooks/stripe")
    @Unauthenticated
    PaymentEvents.Outcome stripe(
            @RequestHeader(name = "Stripe-Signature", required = false) String signature,
            @RequestBody(required = false) byte[] body) {
        return paymentEvents.receive(signature, body == null ? new byte[0] : body);
    }
}
