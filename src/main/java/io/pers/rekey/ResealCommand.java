package io.pers.rekey;

import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Master key rotation as a command: {@code --pers.secrets.reseal=true} re-seals every secret at
 * rest under {@code pers.secrets.current-key-id} ({@link Resealing}), prints how many values moved
 * per table and how many are left under another key (0 once done), then exits: 0 when none are
 * left, 1 otherwise. Safe to run again and beside running instances. Without the property the app
 * runs as usual.
 */
@Component
class ResealCommand implements ApplicationRunner {

    private final Resealing resealing;
    private final ApplicationContext context;
    private final boolean reseal;
    private final int batch;

    ResealCommand(
            Resealing resealing,
            ApplicationContext context,
            @Value("${pers.secrets.reseal:false}") boolean reseal,
            @Value("${pers.secrets.reseal-batch:200}") int batch) {
        this.resealing = resealing;
        this.context = context;
        this.reseal = reseal;
        this.batch = batch;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!reseal) {
            return;
        }
        Map<String, Integer> moved = resealing.resealAll(batch);
        Map<String, Integer> left = resealing.pending();
        moved.forEach((column, n) -> System.out.printf("re-sealed %-40s %d%n", column, n));
        int remaining = left.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("values under another key: %d%n", remaining);
        System.exit(SpringApplication.exit(context, (ExitCodeGenerator) () -> remaining == 0 ? 0 : 1));
    }
}
