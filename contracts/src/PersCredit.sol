// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title PERS credit token (ERC-20), one per tenant token, behind an ERC1967 (UUPS) proxy.
/// @notice Roles: DEFAULT_ADMIN_ROLE (the tenant's admin key) grants roles and upgrades;
/// MINTER_ROLE (the tenant's settlement key) mints and burns.
/// @dev Burning takes no allowance: the ledger is the record and the settlement key burns what a
/// redemption or a reversal took off it, from custodial and self-held addresses alike. Holders of a
/// PERS token therefore trust the tenant's settlement key with their balance, as they trust its ledger.
///
/// Anchored mode: instead of minting every claim, the settlement key anchors per settlement window
/// one Merkle root of every holder's cumulative entitlement (with the ledger's hash-chain head), and
/// holders withdraw what the latest root proves they earned, less what they withdrew before.
contract PersCredit is Initializable, ERC20Upgradeable, AccessControlUpgradeable, UUPSUpgradeable {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @custom:storage-location erc7201:pers.storage.PersCredit
    struct PersCreditStorage {
        uint8 decimals;
        // Appended (the struct lives at its own slot, so earlier deployments upgrade in place).
        mapping(bytes32 batchId => bool) executed;
        // Appended for anchored mode. The two uint64 share one slot.
        uint64 anchoredWindow;
        uint64 anchoredLedgerSeq;
        bytes32 anchoredRoot;
        bytes32 anchoredLedgerHead;
        mapping(address account => uint256) withdrawn;
    }

    // keccak256(abi.encode(uint256(keccak256("pers.storage.PersCredit")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE = 0xcb3765a0d23649aecedf0dea25e8a3ee1db8ca02fbf2deac663d1199acd0b600;

    error LengthMismatch(uint256 recipients, uint256 amounts);
    error MovementLengthMismatch(uint256 senders, uint256 recipients, uint256 amounts);
    error NoMovement(uint256 index);
    error BatchAlreadyExecuted(bytes32 batchId);
    error WindowOutOfOrder(uint64 expected, uint64 given);
    error UnknownRoot(bytes32 root);
    error InvalidProof();
    error NothingToWithdraw(address account, uint256 cumulative, uint256 withdrawn);

    event Anchored(uint64 indexed window, bytes32 root, bytes32 ledgerHead, uint64 ledgerSeq);
    event Withdrawn(address indexed account, uint256 amount, uint256 cumulative, uint64 window);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(string calldata name, string calldata symbol, uint8 decimals_, address admin, address minter)
        external
        initializer
    {
        __ERC20_init(name, symbol);
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, minter);
        _storage().decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _storage().decimals;
    }

    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @notice Mints amounts[i] to to[i], one Transfer event each: one transaction settles a batch.
    /// A batch id runs once (see executed).
    function mintBatch(bytes32 batchId, address[] calldata to, uint256[] calldata amounts)
        external
        onlyRole(MINTER_ROLE)
    {
        _execute(batchId);
        uint256 n = to.length;
        if (n != amounts.length) revert LengthMismatch(n, amounts.length);
        // solc >= 0.8.22 leaves this loop counter unchecked by itself.
        for (uint256 i; i < n; ++i) {
            _mint(to[i], amounts[i]);
        }
    }

    /// @notice Settles ledger movements in their ledger order, one Transfer event each: from[i] zero
    /// mints, to[i] zero burns, otherwise moves from[i] to to[i] without allowance (the ledger moved
    /// it; see the contract's notes). A batch id runs once (see executed).
    function settleBatch(bytes32 batchId, address[] calldata from, address[] calldata to, uint256[] calldata amounts)
        external
        onlyRole(MINTER_ROLE)
    {
        _execute(batchId);
        uint256 n = from.length;
        if (n != to.length || n != amounts.length) revert MovementLengthMismatch(n, to.length, amounts.length);
        for (uint256 i; i < n; ++i) {
            if (from[i] == address(0) && to[i] == address(0)) revert NoMovement(i);
            _update(from[i], to[i], amounts[i]);
        }
    }

    /// @notice Burns from any holder without allowance (see the contract's notes).
    function burn(address from, uint256 amount) external onlyRole(MINTER_ROLE) {
        _burn(from, amount);
    }

    /// @notice Whether a batch with this id ran. The settler signs a batch again (a fee bump, a
    /// nonce taken meanwhile, a reorg) and the copies may land at different nonces: the second to
    /// land reverts with BatchAlreadyExecuted instead of minting the same items twice.
    function executed(bytes32 batchId) external view returns (bool) {
        return _storage().executed[batchId];
    }

    /// @notice Anchors settlement window `window` (the latest plus one; the first is 1): `root` is the
    /// Merkle root of every holder's cumulative entitlement (leaf: the double keccak256 of
    /// abi.encode(account, cumulative), OpenZeppelin StandardMerkleTree's), `ledgerHead` and
    /// `ledgerSeq` the ledger's hash-chain head and its sequence number at the window's end. One
    /// transaction per window whatever its number of holders; a window is never anchored twice.
    function anchor(uint64 window, bytes32 root, bytes32 ledgerHead, uint64 ledgerSeq)
        external
        onlyRole(MINTER_ROLE)
    {
        PersCreditStorage storage $ = _storage();
        uint64 expected = $.anchoredWindow + 1;
        if (window != expected) revert WindowOutOfOrder(expected, window);
        $.anchoredWindow = window;
        $.anchoredLedgerSeq = ledgerSeq;
        $.anchoredRoot = root;
        $.anchoredLedgerHead = ledgerHead;
        emit Anchored(window, root, ledgerHead, ledgerSeq);
    }

    /// @notice Mints to `account` what the latest root proves it earned (`cumulative`) less what it
    /// withdrew before, and records `cumulative` as withdrawn. Anyone may send it (the holder, or the
    /// tenant paying the gas); the tokens go to `account` only. Only the latest root counts: an older
    /// one may prove more than a later window left (a reversal), so it reverts with UnknownRoot.
    function withdraw(address account, uint256 cumulative, bytes32 root, bytes32[] calldata proof) external {
        PersCreditStorage storage $ = _storage();
        if ($.anchoredWindow == 0 || root != $.anchoredRoot) revert UnknownRoot(root);
        if (!MerkleProof.verifyCalldata(proof, root, _leaf(account, cumulative))) revert InvalidProof();
        uint256 withdrawn = $.withdrawn[account];
        if (cumulative <= withdrawn) revert NothingToWithdraw(account, cumulative, withdrawn);
        $.withdrawn[account] = cumulative;
        uint256 amount;
        unchecked {
            amount = cumulative - withdrawn;
        }
        _mint(account, amount);
        emit Withdrawn(account, amount, cumulative, $.anchoredWindow);
    }

    /// @notice Whether `proof` shows (`account`, `cumulative`) under the latest anchored root: anyone
    /// can check a balance PERS reports against the chain without trusting PERS.
    function verifyEntitlement(address account, uint256 cumulative, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        PersCreditStorage storage $ = _storage();
        return $.anchoredWindow != 0 && MerkleProof.verifyCalldata(proof, $.anchoredRoot, _leaf(account, cumulative));
    }

    /// @notice The cumulative entitlement `account` withdrew up to (0 before its first withdrawal).
    function withdrawnOf(address account) external view returns (uint256) {
        return _storage().withdrawn[account];
    }

    /// @notice The latest anchored window (0 and zeros before the first).
    function latestAnchor() external view returns (uint64 window, bytes32 root, bytes32 ledgerHead, uint64 ledgerSeq) {
        PersCreditStorage storage $ = _storage();
        return ($.anchoredWindow, $.anchoredRoot, $.anchoredLedgerHead, $.anchoredLedgerSeq);
    }

    /// @dev OpenZeppelin StandardMerkleTree's leaf for ["address", "uint256"]: hashed twice, so no
    /// 64-byte inner node can pass for a leaf.
    function _leaf(address account, uint256 cumulative) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, cumulative))));
    }

    /// @dev One storage write per batch, not per item: a batch's id covers all its items.
    function _execute(bytes32 batchId) private {
        PersCreditStorage storage $ = _storage();
        if ($.executed[batchId]) revert BatchAlreadyExecuted(batchId);
        $.executed[batchId] = true;
    }

    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _storage() private pure returns (PersCreditStorage storage $) {
        assembly {
            $.slot := STORAGE
        }
    }
}
