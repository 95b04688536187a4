package io.pers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swagger.v3.core.util.Json31;
import org.junit.jupiter.api.Test;

/** Types sharing a simple name are published apart, never merged into one schema (issue 22). */
class SchemaNamesTest {

    static final class Reconciliation {
        record Report(int checked) {}
    }

    static final class Backfill {
        record Report(int replayed) {}
    }

    static final class ClaimController {
        record ClaimView(String id) {}
    }

    static final class Transactions {
        record Transaction(String id) {}
    }

    @Test
    void aNestedTypeIsNamedAfterItsEnclosingTypeWithoutStutter() {
        SchemaNames names = new SchemaNames();

        assertThat(name(names, Reconciliation.Report.class)).isEqualTo("ReconciliationReport");
        assertThat(name(names, Backfill.Report.class)).isEqualTo("BackfillReport");
        assertThat(name(names, ClaimController.ClaimView.class)).isEqualTo("ClaimView");
        assertThat(name(names, Transactions.Transaction.class)).isEqualTo("Transaction");
    }

    @Test
    void twoTypesThatWouldShareANameAreRefused() {
        SchemaNames names = new SchemaNames();
        name(names, Reconciliation.Report.class);

        assertThatThrownBy(() -> names.getNameOfClass(OtherReconciliation.Reconciliation.Report.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ReconciliationReport");
    }

    static final class OtherReconciliation {
        static final class Reconciliation {
            record Report(long checked) {}
        }
    }

    private static String name(SchemaNames names, Class<?> type) {
        return names.nameForType(Json31.mapper().constructType(type));
    }
}
