// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PersCredit} from "../src/PersCredit.sol";

/// @dev Test only: the implementation an upgrade moves to; version() shows the proxy runs it.
contract PersCreditV2 is PersCredit {
    function version() external pure returns (uint256) {
        return 2;
    }
}
