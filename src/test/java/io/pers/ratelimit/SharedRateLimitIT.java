package io.pers.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.pers.api.CurrentCaller;
import io.pers.api.Principal;
import io.pers.api.Problems;
import io.pers.api.Role;
import io.pers.support.ApiTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Two instances of PERS (here: two rate-limit filters, each built as an instance builds its own,
 * on the one database) allow an API key its limit once between them, not once each.
 */
class SharedRateLimitIT extends ApiTest {

    @Autowired
    JdbcClient db;

    @Autowired
    Problems problems;

    @Autowired
    MeterRegistry meters;

    @Test
    void twoInstancesShareOneBucketPerKey() throws Exception {
        UUID apiKey = UUID.randomUUID();
        RateLimitProperties limits = new RateLimitProperties();
        limits.getOverrides().put(apiKey.toString(), new RateLimitProperties.Limit(6, 0.01));
        List<RateLimitFilter> instances = List.of(
                new RateLimitFilter(limits, problems, meters, new SharedBuckets(db)),
                new RateLimitFilter(limits, problems, meters, new SharedBuckets(db)));

        int passed = 0;
        int refused = 0;
        CurrentCaller.set(new Principal(Role.SYSTEM, UUID.randomUUID(), apiKey, null, apiKey));
        try {
            for (int i = 0; i < 12; i++) {
                MockHttpServletResponse response = new MockHttpServletResponse();
                instances
                        .get(i % 2)
                        .doFilter(new MockHttpServletRequest("GET", "/v2/campaigns"), response, new MockFilterChain());
                if (response.getStatus() == 429) {
                    refused++;
                    assertThat(Long.parseLong(response.getHeader("Retry-After")))
                            .isBetween(1L, 100L);
                } else {
                    passed++;
                }
            }
        } finally {
            CurrentCaller.clear();
        }
        assertThat(passed).as("the key's burst, across both instances").isEqualTo(6);
        assertThat(refused).isEqualTo(6);
    }
}
