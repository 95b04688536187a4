package io.pers.purchase;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.purchase.PurchasableTokens.PurchasableToken;
import io.pers.purchase.Purchases.Purchase;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user buys tokens: the price is fixed from the catalogue, the PaymentIntent created at Stripe,
 * and the purchase recorded as PENDING_PAYMENT. Tokens are minted only when Stripe's webhook says
 * the payment succeeded ({@link PaymentEvents}), never on the front end's word.
 */
@Component
class TopUps {

    /** The purchase and what the front end confirms the payment with. */
    record TopUp(Purchase purchase, String clientSecret) {}

    private final PurchasableTokens catalogue;
    private final Purchases purchases;
    private final Stripe stripe;

    TopUps(PurchasableTokens catalogue, Purchases purchases, Stripe stripe) {
        this.catalogue = catalogue;
        this.purchases = purchases;
        this.stripe = stripe;
    }

    @Transactional
    TopUp buy(UUID purchaseId, UUID userId, UUID tokenId, long quantity) {
        PurchasableToken entry = catalogue
                .ofToken(tokenId)
                .filter(PurchasableToken::active)
                .orElseThrow(
                        () -> new PersException(ErrorCode.NOT_PURCHASABLE, "Token " + tokenId + " is not on sale"));
        if (quantity < entry.minQuantity() || quantity > entry.maxQuantity()) {
            throw new PersException(
                            ErrorCode.QUANTITY_OUT_OF_RANGE,
                            "quantity must be between " + entry.minQuantity() + " and " + entry.maxQuantity())
                    .with("minQuantity", entry.minQuantity())
                    .with("maxQuantity", entry.maxQuantity());
        }
        long amount = entry.unitPrice() * quantity; // the catalogue keeps max x price within a charge
        Stripe.PaymentIntent intent = stripe.createPaymentIntent(purchaseId, amount, entry.currency());
        purchases.insert(purchaseId, userId, entry, quantity, amount, intent.id());
        return new TopUp(purchases.find(purchaseId), intent.clientSecret());
    }
}
