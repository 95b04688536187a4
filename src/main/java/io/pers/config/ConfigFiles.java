package io.pers.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The routes, workflows and connectors PERS runs with. The jar carries the repository's
 * {@code routes/}, {@code workflows/} and {@code connectors/} as its defaults (on the classpath under
 * {@code pers/}); one folder, {@code pers.config-dir}, adds to them and overrides them by file name:
 * {@code <dir>/routes/ingest-webhook.yaml} replaces the packaged one of that name, a new name adds a
 * route; a connector is overridden or added as a whole folder ({@code <dir>/connectors/<name>/}).
 * Nothing is read from the working folder, so the jar starts from anywhere.
 */
@Component
public final class ConfigFiles {

    public static final String PROPERTY = "pers.config-dir";
    static final String PACKAGED = "pers/";
    public static final String ROUTES = "routes";
    public static final String WORKFLOWS = "workflows";
    public static final String CONNECTORS = "connectors";

    private final Path folder;
    private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();

    /** {@code folder}: blank for the packaged defaults alone. */
    public ConfigFiles(@Value("${" + PROPERTY + ":}") String folder) {
        if (folder == null || folder.isBlank()) {
            this.folder = null;
            return;
        }
        this.folder = Path.of(folder).toAbsolutePath().normalize();
        if (!Files.isDirectory(this.folder)) {
            throw new IllegalStateException(
                    PROPERTY + "=" + folder + " is not a folder (" + this.folder + "): it should hold routes/,"
                            + " workflows/ and/or connectors/ to add to or override the packaged ones");
        }
    }

    /** The {@code *.yaml} files of {@code routes} or {@code workflows} by file name, the folder's winning. */
    public Map<String, Resource> yamlFiles(String kind) {
        Map<String, Resource> files = new TreeMap<>();
        for (Resource packaged : find("classpath*:" + PACKAGED + kind + "/*.yaml")) {
            files.put(packaged.getFilename(), packaged);
        }
        if (folder != null && Files.isDirectory(folder.resolve(kind))) {
            for (Resource own : find("file:" + folder.resolve(kind) + "/*.yaml")) {
                files.put(own.getFilename(), own);
            }
        }
        return files;
    }

    /** Each connector's {@code connector.yaml} by its folder's name, a folder of the config folder's winning. */
    public Map<String, Resource> connectors() {
        Map<String, Resource> descriptors = new TreeMap<>();
        for (Resource packaged : find("classpath*:" + PACKAGED + CONNECTORS + "/*/connector.yaml")) {
            descriptors.put(folderName(packaged), packaged);
        }
        if (folder != null && Files.isDirectory(folder.resolve(CONNECTORS))) {
            for (Resource own : find("file:" + folder.resolve(CONNECTORS) + "/*/connector.yaml")) {
                descriptors.put(folderName(own), own);
            }
        }
        return descriptors;
    }

    /** A file directly in {@code connectors/} (the canonical trigger's schema), the folder's winning. */
    public Resource connectorsFile(String name) {
        if (folder != null) {
            Path own = folder.resolve(CONNECTORS).resolve(name);
            if (Files.isRegularFile(own)) {
                return new FileSystemResource(own);
            }
        }
        Resource[] packaged = find("classpath*:" + PACKAGED + CONNECTORS + "/" + name);
        if (packaged.length == 0) {
            throw new IllegalStateException("No " + CONNECTORS + "/" + name + " in the jar or in " + PROPERTY);
        }
        return packaged[0];
    }

    /** Where a resource is, in the form Camel's and Spring's loaders take ({@code classpath:}, {@code file:}). */
    public static String location(Resource resource) {
        try {
            if (resource.isFile()) {
                return "file:" + resource.getFile().getAbsolutePath();
            }
            String url = resource.getURL().toString();
            int packaged = url.lastIndexOf("!/" + PACKAGED);
            if (packaged >= 0) {
                return "classpath:" + url.substring(packaged + 2);
            }
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Resource[] find(String pattern) {
        try {
            return resolver.getResources(pattern);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + pattern, e);
        }
    }

    private static String folderName(Resource descriptor) {
        try {
            String url = descriptor.getURL().toString();
            String parent = url.substring(0, url.lastIndexOf('/'));
            return parent.substring(parent.lastIndexOf('/') + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
