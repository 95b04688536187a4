// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PersRewards} from "../src/PersRewards.sol";

/// @dev Test only: the implementation an upgrade moves to; version() shows the proxy runs it.
contract PersRewardsV2 is PersRewards {
    function version() external pure returns (uint256) {
        return 2;
    }
}
