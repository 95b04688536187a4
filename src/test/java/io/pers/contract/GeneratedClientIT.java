package io.pers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.client.ApiClient;
import io.pers.client.ApiException;
import io.pers.client.api.AuthenticationApi;
import io.pers.client.api.CampaignsApi;
import io.pers.client.api.IngestApi;
import io.pers.client.api.LedgerApi;
import io.pers.client.api.TenantsApi;
import io.pers.client.api.UsersApi;
import io.pers.client.model.AuthTokenRequest;
import io.pers.client.model.Balance;
import io.pers.client.model.Campaign;
import io.pers.client.model.CampaignBody;
import io.pers.client.model.CampaignPartsTokenUnitBody;
import io.pers.client.model.ConnectorConnectionBody;
import io.pers.client.model.CreateTenant;
import io.pers.client.model.CreateToken;
import io.pers.client.model.CreatedTenant;
import io.pers.client.model.IngestNewConnection;
import io.pers.client.model.Token;
import io.pers.client.model.Trigger;
import io.pers.client.model.TriggerBody;
import io.pers.client.model.TriggerMappingMappingBody;
import io.pers.client.model.User;
import io.pers.support.ApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The contract is usable: a client generated from docs/openapi.json (by the build; ApiContractIT
 * holds the document equal to the served one) takes an integrator from nothing to a rewarded Shopify
 * order. Only the order itself is sent by hand, as Shopify sends it: signed, to the ingest URL.
 */
class GeneratedClientIT extends ApiTest {

    private static final String SHOPIFY_SECRET = "shpss_generated-client-test-secret";

    @Test
    void aGeneratedClientTakesAnIntegratorFromNothingToARewardedOrder() throws Exception {
        String platformToken = signIn(client(null, null), PLATFORM_EMAIL, PLATFORM_PASSWORD);
        String adminEmail = "admin-" + UUID.randomUUID() + "@client.test";
        CreatedTenant created = new TenantsApi(client(platformToken, null))
                .createTenant(
                        new CreateTenant()
                                .name("Generated client")
                                .adminEmail(adminEmail)
                                .adminPassword(TENANT_ADMIN_PASSWORD),
                        key());
        String projectKey = created.getTenant().getProjectKeyTest();
        String adminToken = signIn(client(null, projectKey), adminEmail, TENANT_ADMIN_PASSWORD);
        ApiClient admin = client(adminToken, null);

        Token token = new LedgerApi(admin)
                .createToken(
                        new CreateToken()
                                .type(CreateToken.TypeEnum.CREDIT)
                                .name("Shop points")
                                .symbol("SHOP")
                                .decimals(0),
                        key());
        CampaignsApi campaigns = new CampaignsApi(admin);
        Trigger trigger = campaigns.createCampaignTrigger(
                new TriggerBody()
                        .name("Paid orders")
                        .triggerType(TriggerBody.TriggerTypeEnum.CLAIM_BY_SYSTEM)
                        .maxMultiplier(1000),
                key());
        Campaign campaign = campaigns.createCampaign(
                new CampaignBody().name("1 point per unit").isActive(true).triggerId(trigger.getId()), key());
        campaigns.addCampaignTokenUnit(
                campaign.getId(),
                new CampaignPartsTokenUnitBody().tokenId(token.getId()).amount("1"),
                key());
        IngestApi ingest = new IngestApi(admin);
        IngestNewConnection connection = ingest.createConnection(
                new ConnectorConnectionBody().connector("shopify").signingSecret(SHOPIFY_SECRET), key());
        ingest.createTriggerMapping(
                new TriggerMappingMappingBody()
                        .source("shopify")
                        .eventType("com.shopify.order.paid")
                        .multiplier("int(double(event.data.total_price))")
                        .campaignId(campaign.getId()),
                key());

        String customer = "buyer-" + UUID.randomUUID() + "@client.test";
        assertThat(deliverPaidOrder(connection.getIngestUrl(), customer, 25)).isEqualTo(202);

        UsersApi users = new UsersApi(admin);
        LedgerApi ledger = new LedgerApi(admin);
        Instant deadline = Instant.now().plusSeconds(60);
        String balance = null;
        while (!"25".equals(balance) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200); // the order is matched and claimed after the 202, through Kafka and a workflow
            Optional<User> user = users.listUsers(null, null, null, customer).getItems().stream()
                    .findFirst();
            if (user.isPresent()) {
                List<Balance> balances = ledger.listUserBalances(user.get().getId(), token.getId());
                balance = balances.isEmpty() ? null : balances.get(0).getAmount();
            }
        }
        assertThat(balance)
                .as("the buyer's balance after a paid order of 25.00")
                .isEqualTo("25");
    }

    private ApiClient client(String bearer, String projectKey) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        client.setRequestInterceptor(request -> {
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            if (projectKey != null) {
                request.header("x-project-key", projectKey);
            }
        });
        return client;
    }

    private static String signIn(ApiClient client, String email, String password) throws ApiException {
        return new AuthenticationApi(client)
                .signIn(new AuthTokenRequest()
                        .grantType(AuthTokenRequest.GrantTypeEnum.PASSWORD)
                        .email(email)
                        .password(password))
                .getAccessToken();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    /** A paid order as Shopify delivers it: its sample, another order id and buyer, signed. */
    private static int deliverPaidOrder(String ingestUrl, String customer, long totalPrice) throws Exception {
        byte[] body = Files.readString(Path.of("connectors/shopify/samples/orders-paid-single-item.json"))
                .replace("\"id\": 5324830114101,", "\"id\": " + System.nanoTime() + ",")
                .replace("\"total_price\": \"25.00\"", "\"total_price\": \"" + totalPrice + ".00\"")
                .replace("ana.silva@example.com", customer)
                .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SHOPIFY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", "orders/paid")
                .header("X-Shopify-Shop-Domain", "generated-client.myshopify.com")
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Hmac-Sha256", Base64.getEncoder().encodeToString(mac.doFinal(body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
