package io.pers.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.web3j.crypto.Hash;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A compiled contract as {@code contracts/compile.mjs} committed it under {@code contracts/} on the
 * classpath: creation bytecode, and the custom errors of its ABI so a revert can be named.
 */
public record ContractArtifact(String name, String bytecode, Map<String, String> errorsBySelector) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static ContractArtifact load(String name) {
        String resource = "contracts/" + name + ".json";
        try (InputStream in = ContractArtifact.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No contract artifact " + resource + " on the classpath");
            }
            JsonNode artifact = JSON.readTree(in);
            Map<String, String> errors = new HashMap<>();
            for (JsonNode item : artifact.path("abi")) {
                if (item.path("type").asString().equals("error")) {
                    String signature = item.path("name").asString() + "(" + types(item.path("inputs")) + ")";
                    errors.put(
                            Hash.sha3String(signature).substring(0, 10),
                            item.path("name").asString());
                }
            }
            return new ContractArtifact(name, artifact.path("bytecode").asString(), Map.copyOf(errors));
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /** The custom error a revert's data starts with, when this ABI declares it. */
    public Optional<String> errorName(String revertData) {
        if (revertData == null || revertData.length() < 10) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                errorsBySelector.get(revertData.substring(0, 10).toLowerCase()));
    }

    private static String types(JsonNode inputs) {
        return inputs.valueStream().map(input -> input.path("type").asString()).collect(Collectors.joining(","));
    }
}
