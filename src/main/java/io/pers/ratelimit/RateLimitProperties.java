package io.pers.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code pers.rate-limit}: token buckets per API key and per project key, held in memory by each
 * instance (N instances allow N times the rate).
 */
@ConfigurationProperties("pers.rate-limit")
public class RateLimitProperties {

    /** A bucket of {@code capacity} requests (the burst), refilled at {@code refillPerSecond}. */
    public record Limit(long capacity, double refillPerSecond) {}

    private boolean enabled = true;
    private Limit apiKey = new Limit(120, 20);
    private Limit projectKey = new Limit(60, 10);
    /** Per-key limits, by API key id or project key; looked up on every request. */
    private final Map<String, Limit> overrides = new ConcurrentHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Limit getApiKey() {
        return apiKey;
    }

    public void setApiKey(Limit apiKey) {
        this.apiKey = apiKey;
    }

    public Limit getProjectKey() {
        return projectKey;
    }

    public void setProjectKey(Limit projectKey) {
        this.projectKey = projectKey;
    }

    public Map<String, Limit> getOverrides() {
        return overrides;
    }
}
