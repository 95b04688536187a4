@Capability(
        name = "Chains and contracts",
        description =
                "EVM chains a tenant settles on, token contracts bound to tokens, wallet addresses, settlement status, reconciliation of on-chain and ledger balances, and chain events parked for review.")
package io.pers.chain;

import io.pers.api.Capability;
