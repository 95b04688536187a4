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
        // Appended (the struct lives at its own slot, so earlier deployments upgrade in place).
        mapping(bytes32 batchId => bool) executed;
    }

    // keccak256(abi.encode(uint256(keccak256("pers.storage.PersRewards")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE = 0x5dfb37d78dede96dda403b4709169f360fc2ff3afbad08921c7da6e663506d00;

    error LengthMismatch(uint256 recipients, uint256 ids, uint256 amounts);
    error StatusTokenNotTransferable(uint256 id);
    error NoMovement(uint256 index);
    error BatchAlreadyExecuted(bytes32 batchId);

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
    /// settles a batch of one id to many holders, of many ids, or both. A batch id runs once (see executed).
    function mintBatch(bytes32 batchId, address[] calldata to, uint256[] calldata ids, uint256[] calldata amounts)
        external
        onlyRole(MINTER_ROLE)
    {
        _execute(batchId);
        uint256 n = to.length;
        if (n != ids.length || n != amounts.length) revert LengthMismatch(n, ids.length, amounts.length);
        // solc >= 0.8.22 leaves this loop counter unchecked by itself.
        for (uint256 i; i < n; ++i) {
            _mint(to[i], ids[i], amounts[i], "");
        }
    }

    /// @notice mintBatch for recipients that are custodial EOAs PERS derived itself from the
    /// tenant's HD seed: the same mints and TransferSingle events without the EIP-1155 acceptance
    /// call. That call exists so a contract that cannot handle the tokens refuses them; an address
    /// derived from a private key has no code and cannot refuse, so the check (a cold EXTCODESIZE of
    /// 2,600 gas per recipient) can only ever pass. The settlement key alone calls this, for
    /// addresses it knows are keys; any other recipient (a holder's own address, which may be a
    /// contract wallet) goes through mintBatch or settleBatch, which keep the check.
    function mintBatchToCustodial(
        bytes32 batchId,
        address[] calldata to,
        uint256[] calldata ids,
        uint256[] calldata amounts
    ) external onlyRole(MINTER_ROLE) {
        _execute(batchId);
        uint256 n = to.length;
        if (n != ids.length || n != amounts.length) revert LengthMismatch(n, ids.length, amounts.length);
        // One pair of one-element arrays, refilled per mint: _update reads them before the next.
        (uint256[] memory id, uint256[] memory amount) = _singletons();
        for (uint256 i; i < n; ++i) {
            id[0] = ids[i];
            amount[0] = amounts[i];
            _update(address(0), to[i], id, amount);
        }
    }

    /// @notice Settles ledger movements in their ledger order, one TransferSingle event each:
    /// from[i] zero mints, to[i] zero burns, otherwise moves from[i] to to[i] without approval (the
    /// ledger moved it; see the contract's notes). A recipient that is a contract must accept, as
    /// with mintBatch; a status id moves only by a burn and a mint. A batch id runs once (see executed).
    function settleBatch(
        bytes32 batchId,
        address[] calldata from,
        address[] calldata to,
        uint256[] calldata ids,
        uint256[] calldata amounts
    ) external onlyRole(MINTER_ROLE) {
        _execute(batchId);
        uint256 n = from.length;
        if (n != to.length || n != ids.length || n != amounts.length) {
            revert LengthMismatch(n, ids.length, amounts.length);
        }
        (uint256[] memory id, uint256[] memory amount) = _singletons();
        for (uint256 i; i < n; ++i) {
            if (from[i] == address(0) && to[i] == address(0)) revert NoMovement(i);
            id[0] = ids[i];
            amount[0] = amounts[i];
            _updateWithAcceptanceCheck(from[i], to[i], id, amount, "");
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

    /// @notice Whether a batch with this id ran. The settler signs a batch again (a fee bump, a
    /// nonce taken meanwhile, a reorg) and the copies may land at different nonces: the second to
    /// land reverts with BatchAlreadyExecuted instead of minting the same items twice.
    function executed(bytes32 batchId) external view returns (bool) {
        return _storage().executed[batchId];
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

    /// @dev One storage write per batch, not per item: a batch's id covers all its items.
    function _execute(bytes32 batchId) private {
        PersRewardsStorage storage $ = _storage();
        if ($.executed[batchId]) revert BatchAlreadyExecuted(batchId);
        $.executed[batchId] = true;
    }

    function _singletons() private pure returns (uint256[] memory ids, uint256[] memory amounts) {
        ids = new uint256[](1);
        amounts = new uint256[](1);
    }

    function _storage() private pure returns (PersRewardsStorage storage $) {
        assembly {
            $.slot := STORAGE
        }
    }
}
