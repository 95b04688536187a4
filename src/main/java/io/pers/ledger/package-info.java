@Capability(
        name = "Ledger",
        description =
                "Tokens, transactions (mints, transfers, burns) and their reversals, balances, and the verification of the double-entry ledger's seals.")
package io.pers.ledger;

import io.pers.api.Capability;
