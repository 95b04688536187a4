package io.pers.api;

import org.springframework.http.HttpStatus;

/** Stable error codes: clients branch on {@code code}, never on the human-readable text. */
public enum ErrorCode {
    VALIDATION_FAILED(Category.VALIDATION, "Request is invalid"),
    MALFORMED_JSON(Category.VALIDATION, "Request body is not valid JSON"),
    UNKNOWN_FIELD(Category.VALIDATION, "Request body has a field this endpoint does not accept"),
    INVALID_AMOUNT(Category.VALIDATION, "Amount must be a positive integer in base units, at most 2^256-1"),
    INVALID_EXPRESSION(Category.VALIDATION, "Expression is not valid CEL of the expected type"),
    INVALID_EVENT(Category.VALIDATION, "Delivery does not map to a valid canonical trigger (CloudEvents 1.0)"),
    UNSUPPORTED_MEDIA_TYPE(Category.VALIDATION, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type is not supported"),
    PAYLOAD_TOO_LARGE(Category.VALIDATION, HttpStatus.CONTENT_TOO_LARGE, "Request body is too large"),
    METHOD_NOT_ALLOWED(Category.VALIDATION, HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    INVALID_ADDRESS(Category.VALIDATION, "Address is not a 20-byte 0x hex EVM address, or is the zero address"),
    INVALID_DATE_RANGE(Category.VALIDATION, "Date range is invalid: from after to, or longer than allowed"),
    INVALID_EXPIRY_POLICY(
            Category.VALIDATION,
            "Expiry policy is invalid: DAYS_AFTER_EARN needs days, END_OF_MONTH months, NONE none"),
    FILE_TYPE_NOT_ALLOWED(
            Category.VALIDATION, "File content type is not allowed, or the bytes are not of the declared type"),
    FILE_TOO_LARGE(Category.VALIDATION, HttpStatus.CONTENT_TOO_LARGE, "File is larger than allowed or declared"),
    WEBHOOK_TARGET_REFUSED(
            Category.VALIDATION, "Webhook URL resolves to an address deliveries may not reach (SSRF guard)"),
    OUTBOUND_TARGET_REFUSED(
            Category.VALIDATION, "URL resolves to an address PERS may not call for a tenant (SSRF guard)"),

    AUTHENTICATION_REQUIRED(Category.SECURITY, HttpStatus.UNAUTHORIZED, "Authentication is required"),
    INVALID_TOKEN(Category.SECURITY, HttpStatus.UNAUTHORIZED, "Access token is invalid"),
    TOKEN_EXPIRED(Category.SECURITY, HttpStatus.UNAUTHORIZED, "Access token has expired"),
    INVALID_CREDENTIALS(Category.SECURITY, HttpStatus.UNAUTHORIZED, "Credentials are invalid"),
    INVALID_API_KEY(Category.SECURITY, HttpStatus.UNAUTHORIZED, "API key is invalid, expired or revoked"),
    INVALID_PROJECT_KEY(Category.SECURITY, HttpStatus.UNAUTHORIZED, "Project key is unknown"),
    INVALID_REFRESH_TOKEN(Category.SECURITY, HttpStatus.UNAUTHORIZED, "Refresh token is invalid, used or expired"),
    IDENTITY_PROVIDER_NOT_CONFIGURED(Category.SECURITY, HttpStatus.UNAUTHORIZED, "Tenant has no identity provider"),
    INVALID_SIGNATURE(Category.SECURITY, HttpStatus.UNAUTHORIZED, "Connector signature is missing or does not verify"),
    // 400, not 401: the payment provider's convention; its webhook retries on any failure.
    PAYMENT_SIGNATURE_INVALID(
            Category.SECURITY,
            HttpStatus.BAD_REQUEST,
            "Stripe-Signature is missing, does not verify, or its timestamp is outside the tolerance"),
    FORBIDDEN(Category.SECURITY, HttpStatus.FORBIDDEN, "Caller's role may not do this"),
    TENANT_MISMATCH(Category.SECURITY, HttpStatus.FORBIDDEN, "Credential belongs to another tenant"),
    INVALID_URL_SIGNATURE(Category.SECURITY, HttpStatus.FORBIDDEN, "Signed URL is tampered with or has expired"),
    NOT_A_BUSINESS_MEMBER(Category.SECURITY, HttpStatus.FORBIDDEN, "User is not a member of that business"),
    ORIGIN_NOT_ALLOWED(Category.SECURITY, HttpStatus.FORBIDDEN, "Cross-origin request from an origin not configured"),
    LOCAL_TARGETS_NOT_ALLOWED(
            Category.SECURITY,
            HttpStatus.FORBIDDEN,
            "Local targets are for local development: test project key, and a PERS that allows them"),
    SIGN_IN_THROTTLED(
            Category.SECURITY,
            HttpStatus.TOO_MANY_REQUESTS,
            "Too many failed sign-ins for this account or address: retry after Retry-After seconds",
            true),
    RATE_LIMITED(
            Category.SECURITY,
            HttpStatus.TOO_MANY_REQUESTS,
            "Too many requests for this key: retry after Retry-After seconds",
            true),

    NOT_FOUND(Category.NOT_FOUND, "Resource not found"),

    ALREADY_EXISTS(Category.CONFLICT, "Resource already exists"),
    ADDRESS_IN_USE(Category.CONFLICT, "Address is another owner's wallet address in this tenant"),
    TOKEN_ALREADY_ISSUED(Category.CONFLICT, "Token has outstanding supply: bind it to a contract before issuing it"),
    IDEMPOTENCY_KEY_IN_USE(Category.CONFLICT, "A request with this Idempotency-Key is in progress", true),
    ALREADY_REVERSED(Category.CONFLICT, "Transaction has already been reversed"),
    CONFLICT_IN_USE(Category.CONFLICT, "Resource is in use and cannot be removed"),
    WEBHOOK_MESSAGE_PENDING(Category.CONFLICT, "Webhook message is still being delivered"),

    IDEMPOTENCY_KEY_REUSED(Category.DOMAIN_RULE, "Idempotency-Key was used with another request"),
    INSUFFICIENT_BALANCE(Category.DOMAIN_RULE, "Balance is insufficient"),
    BALANCE_OVERFLOW(Category.DOMAIN_RULE, "Balance would exceed 2^256-1"),
    TOKEN_INACTIVE(Category.DOMAIN_RULE, "Token is inactive"),
    TOKEN_NOT_TRANSFERABLE(Category.DOMAIN_RULE, "Status tokens are earned, not transferred"),
    MULTIPLE_CONTEXT_SELECTION_REQUIRED(Category.DOMAIN_RULE, "User belongs to several businesses: send businessId"),
    NOT_REVERSIBLE(Category.DOMAIN_RULE, "Transaction cannot be reversed"),

    // Claim eligibility: why a claim was rejected.
    CAMPAIGN_INACTIVE(Category.DOMAIN_RULE, "Campaign is not active"),
    OUTSIDE_WINDOW(Category.DOMAIN_RULE, "Campaign is not running at this time"),
    EVENT_TIME_OUT_OF_RANGE(
            Category.DOMAIN_RULE, "The event's time is too far ahead of the clock or older than the horizon"),
    CALLER_NOT_ALLOWED(Category.DOMAIN_RULE, "The campaign's trigger does not accept claims from this kind of caller"),
    COUNTRY_RESTRICTED(Category.DOMAIN_RULE, "Campaign is not available in this country"),
    TOO_FAR(Category.DOMAIN_RULE, "Claim is too far from the campaign's location"),
    MISSING_USER_INFO(Category.DOMAIN_RULE, "User profile lacks information the campaign requires"),
    CONDITION_FALSE(Category.DOMAIN_RULE, "A condition of the campaign's trigger does not hold"),
    NOT_IN_SEGMENT(Category.DOMAIN_RULE, "Campaign targets segments the user is not in"),
    BUSINESS_NOT_ENGAGED(Category.DOMAIN_RULE, "Business may not award this campaign"),
    MAX_PER_USER(Category.DOMAIN_RULE, "User has reached the campaign's claims per user"),
    MAX_PER_DAY(Category.DOMAIN_RULE, "User has reached the campaign's claims for today"),
    COOLDOWN(Category.DOMAIN_RULE, "User claimed too recently"),
    BUSINESS_CAP(Category.DOMAIN_RULE, "Business has reached its cap for this campaign"),
    BUDGET_EXHAUSTED(Category.DOMAIN_RULE, "Campaign budget is exhausted"),
    CHAIN_UNREACHABLE(Category.DOMAIN_RULE, "Chain's RPC URL does not answer, or answers with another chain id"),
    NO_CONTRACT_AT_ADDRESS(Category.DOMAIN_RULE, "No contract is deployed at that address on that chain"),
    SETTLER_NOT_MINTER(Category.DOMAIN_RULE, "The tenant's settlement key does not hold MINTER_ROLE on that contract"),
    SETTLER_NOT_FUNDED(Category.DOMAIN_RULE, "The tenant's settlement address has no funds for gas on that chain"),
    NOT_ANCHORED(Category.DOMAIN_RULE, "The token's contract settles by minting, not by anchored roots"),
    TOKEN_STANDARD_MISMATCH(
            Category.DOMAIN_RULE,
            "Token type does not fit the contract (CREDIT on ERC-20, REWARD and STATUS on ERC-1155)"),

    // Redemptions and conversions: why a redeem failed, why a conversion was refused.
    REDEMPTION_INACTIVE(Category.DOMAIN_RULE, "Redemption is not active"),
    OUT_OF_STOCK(Category.DOMAIN_RULE, "Redemption has no supply left"),
    STATUS_TOO_LOW(Category.DOMAIN_RULE, "User's status is below the redemption's minimum"),
    REDEMPTION_FAILED(Category.INTERNAL, "Redeem failed and was compensated", true),
    RATE_SUPERSEDED(Category.CONFLICT, "Conversion rate version is no longer in force"),

    // Purchases: why a top-up was refused.
    NOT_PURCHASABLE(Category.DOMAIN_RULE, "Token is not on sale"),
    QUANTITY_OUT_OF_RANGE(Category.DOMAIN_RULE, "Quantity is outside the purchasable token's minimum and maximum"),
    PAYMENTS_NOT_CONFIGURED(
            Category.INTERNAL, HttpStatus.SERVICE_UNAVAILABLE, "No payment provider is configured on this platform"),
    PAYMENT_PROVIDER_ERROR(
            Category.INTERNAL,
            HttpStatus.BAD_GATEWAY,
            "The payment provider refused the payment or did not answer",
            true),

    INTERNAL_ERROR(Category.INTERNAL, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", true),
    SERVICE_UNAVAILABLE(Category.INTERNAL, HttpStatus.SERVICE_UNAVAILABLE, "A dependency is unavailable", true);

    public enum Category {
        VALIDATION(HttpStatus.BAD_REQUEST),
        SECURITY(HttpStatus.UNAUTHORIZED),
        NOT_FOUND(HttpStatus.NOT_FOUND),
        CONFLICT(HttpStatus.CONFLICT),
        DOMAIN_RULE(HttpStatus.UNPROCESSABLE_CONTENT),
        INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR);

        final HttpStatus defaultStatus;

        Category(HttpStatus defaultStatus) {
            this.defaultStatus = defaultStatus;
        }
    }

    private final Category category;
    private final HttpStatus status;
    private final String title;
    private final boolean retryable;

    ErrorCode(Category category, HttpStatus status, String title, boolean retryable) {
        this.category = category;
        this.status = status;
        this.title = title;
        this.retryable = retryable;
    }

    ErrorCode(Category category, HttpStatus status, String title) {
        this(category, status, title, false);
    }

    ErrorCode(Category category, String title, boolean retryable) {
        this(category, category.defaultStatus, title, retryable);
    }

    ErrorCode(Category category, String title) {
        this(category, category.defaultStatus, title, false);
    }

    public Category category() {
        return category;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public boolean retryable() {
        return retryable;
    }
}
