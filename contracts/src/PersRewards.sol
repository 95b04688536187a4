// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1155Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC1155/ERC1155Upgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @title PERS reward and status tokens (ERC-1155), one id per tenant token, behind an ERC1967 (UUPS) proxy.
/// @notice Roles: DEFAULT_ADMIN_ROLE (the tenant's admin key) grants roles, marks status ids and
/// upgrades; MINTER_ROLE (the tenant's settlement key) mints and burns. Status ids cannot be
/// transferred between holders; they are only minted and burned.
/// @dev Burning takes no approval: the ledger is the record and the settlement key burns what a
/// redemption or a reversal took off it, from custodial and self-held addresses alike.
contract PersRewards is Initializable, ERC1155Upgradeable, AccessControlUpgradeable, UUPSUpgradeable {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @custom:storage-location erc7201:pers.storage.PersRewards
    struct PersRewardsStorage {
        mapping(uint256 id => bool) status;
    }

    // keccak256(abi.encode(uint256(keccak256("pers.storage.PersRewards")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE = 0x5dfb37d78dede96dda403b4709169f360fc2ff3afbad08921c7da6e663506d00;

    error LengthMismatch(uint256 recipients, uint256 ids, uint256 amounts);
    error StatusTokenNotTransferable(uint256 id);

    event StatusTokenSet(uint256 indexed id, bool status);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(string calldata uri_, address admin, address minter) external initializer {
        __ERC1155_init(uri_);
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, minter);
    }

    function mint(address to, uint256 id, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, id, amount, "");
    }

    /// @notice Mints amounts[i] of ids[i] to to[i], one TransferSingle event each: one transaction
    /// settles a batch of one id to many holders, of many ids, or both.
    function mintBatch(address[] calldata to, uint256[] calldata ids, uint256[] calldata amounts)
        external
        onlyRole(MINTER_ROLE)
    {
        uint256 n = to.length;
        if (n != ids.length || n != amounts.length) revert LengthMismatch(n, ids.length, amounts.length);
        // solc >= 0.8.22 leaves this loop counter unchecked by itself.
        for (uint256 i; i < n; ++i) {
            _mint(to[i], ids[i], amounts[i], "");
        }
    }

    /// @notice Burns from any holder without approval (see the contract's notes).
    function burn(address from, uint256 id, uint256 amount) external onlyRole(MINTER_ROLE) {
        _burn(from, id, amount);
    }

    function setStatusToken(uint256 id, bool status) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _storage().status[id] = status;
        emit StatusTokenSet(id, status);
    }

    function isStatusToken(uint256 id) external view returns (bool) {
        return _storage().status[id];
    }

    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC1155Upgradeable, AccessControlUpgradeable)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }

    /// @dev Mints (from 0) and burns (to 0) pass; a holder-to-holder move of a status id reverts.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        if (from != address(0) && to != address(0)) {
            PersRewardsStorage storage $ = _storage();
            for (uint256 i; i < ids.length; ++i) {
                if ($.status[ids[i]]) revert StatusTokenNotTransferable(ids[i]);
            }
        }
        super._update(from, to, ids, values);
    }

    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _storage() private pure returns (PersRewardsStorage storage $) {
        assembly {
            $.slot := STORAGE
        }
    }
}
