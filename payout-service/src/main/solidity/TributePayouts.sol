// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title TributePayouts
/// @notice Pays a batch of contributors in one transaction, in an ERC-20 token or in native ether, exactly once
///         per batch id, and records the attribution log checkpoint root each batch settles against.
contract TributePayouts is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice The role allowed to pay batches (the settlement service's signing key).
    bytes32 public constant PAYER_ROLE = keccak256("PAYER_ROLE");

    /// @notice Gas forwarded to each native-ether recipient: enough for a contract wallet's receive hook,
    ///         too little for a recipient to make the batch run out of gas.
    uint256 public constant NATIVE_TRANSFER_GAS = 30_000;

    /// @notice The checkpoint root each executed batch settled against; a batch id is executed at most once.
    mapping(bytes32 batchId => bytes32 checkpointRoot) public checkpointRootOf;
    mapping(bytes32 batchId => bool) public executed;

    /// @notice Native ether owed to recipients that rejected a transfer, withdrawable by them.
    mapping(address recipient => uint256 amount) public credits;

    /// @notice One event per paid batch. token is address(0) for native ether. recipientsDigest is
    ///         keccak256(abi.encodePacked(recipients, amounts)).
    event BatchPaid(
        bytes32 indexed batchId,
        address indexed token,
        bytes32 indexed checkpointRoot,
        address payer,
        uint256 recipientCount,
        uint256 totalAmount,
        bytes32 recipientsDigest,
        uint256 creditedCount
    );

    /// @notice A native-ether recipient rejected its transfer and was credited instead.
    event Credited(bytes32 indexed batchId, address indexed recipient, uint256 amount);

    /// @notice A credit was withdrawn.
    event Withdrawn(address indexed recipient, address to, uint256 amount);

    error BatchAlreadyExecuted(bytes32 batchId);
    error LengthMismatch(uint256 recipients, uint256 amounts);
    error EmptyBatch();
    error ZeroRecipient(uint256 index);
    error WrongValue(uint256 expected, uint256 received);
    error NothingToWithdraw();
    error WithdrawFailed();
    error TransferFailed(address recipient, uint256 amount);
    error WrongTotal(uint256 expected, uint256 paid);

    constructor(address admin, address payer) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAYER_ROLE, payer);
    }

    /// @notice Pays each recipient its amount of `token`, pulling the batch total from the caller once. `total`
    ///         must equal the sum of `amounts` (checked after paying, so the recipients are read only once).
    function payToken(
        bytes32 batchId,
        bytes32 checkpointRoot,
        IERC20 token,
        uint256 total,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) external onlyRole(PAYER_ROLE) nonReentrant {
        _markExecuted(batchId, checkpointRoot, recipients.length, amounts.length);
        token.safeTransferFrom(msg.sender, address(this), total);
        // safeTransferFrom has checked that the token has code; each transfer below checks its own result.
        uint256 paid = 0;
        uint256 count = recipients.length;
        for (uint256 i = 0; i < count;) {
            uint256 amount = amounts[i];
            _transfer(token, recipients[i], amount);
            paid += amount;
            unchecked {
                ++i;
            }
        }
        if (paid != total) {
            revert WrongTotal(total, paid);
        }
        emit BatchPaid(batchId, address(token), checkpointRoot, msg.sender, count, total,
            _digest(recipients, amounts), 0);
    }

    /// @notice Pays each recipient its amount of native ether (msg.value must be the batch total). A recipient
    ///         that rejects the transfer is credited for a later withdraw() instead of failing the batch.
    function payNative(
        bytes32 batchId,
        bytes32 checkpointRoot,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) external payable onlyRole(PAYER_ROLE) nonReentrant {
        _markExecuted(batchId, checkpointRoot, recipients.length, amounts.length);
        uint256 total = _sum(recipients, amounts);
        if (msg.value != total) {
            revert WrongValue(total, msg.value);
        }
        uint256 creditedCount = 0;
        for (uint256 i = 0; i < recipients.length; ++i) {
            address recipient = recipients[i];
            uint256 amount = amounts[i];
            bool ok;
            uint256 gasLimit = NATIVE_TRANSFER_GAS;
            // No return data is copied: a recipient cannot make the batch pay for a large revert reason.
            assembly {
                ok := call(gasLimit, recipient, amount, 0, 0, 0, 0)
            }
            if (!ok) {
                credits[recipient] += amount;
                ++creditedCount;
                emit Credited(batchId, recipient, amount);
            }
        }
        emit BatchPaid(batchId, address(0), checkpointRoot, msg.sender, recipients.length, total,
            _digest(recipients, amounts), creditedCount);
    }

    /// @notice Sends the caller's native-ether credit to the caller.
    function withdraw() external {
        _withdraw(payable(msg.sender));
    }

    /// @notice Sends the caller's native-ether credit to `to` (for recipients that cannot receive ether).
    function withdrawTo(address payable to) external {
        _withdraw(to);
    }

    function _withdraw(address payable to) private nonReentrant {
        uint256 amount = credits[msg.sender];
        if (amount == 0) {
            revert NothingToWithdraw();
        }
        credits[msg.sender] = 0;
        (bool ok,) = to.call{value: amount}("");
        if (!ok) {
            revert WithdrawFailed();
        }
        emit Withdrawn(msg.sender, to, amount);
    }

    /// Refuses an executed batch id or malformed arrays, then marks the batch executed with its checkpoint root.
    function _markExecuted(bytes32 batchId, bytes32 checkpointRoot, uint256 recipientCount, uint256 amountCount)
        private
    {
        if (executed[batchId]) {
            revert BatchAlreadyExecuted(batchId);
        }
        if (recipientCount != amountCount) {
            revert LengthMismatch(recipientCount, amountCount);
        }
        if (recipientCount == 0) {
            revert EmptyBatch();
        }
        executed[batchId] = true;
        checkpointRootOf[batchId] = checkpointRoot;
    }

    /// The batch total; refuses the zero address (ether sent there would be lost).
    function _sum(address[] calldata recipients, uint256[] calldata amounts) private pure returns (uint256 total) {
        uint256 count = recipients.length;
        for (uint256 i = 0; i < count;) {
            if (recipients[i] == address(0)) {
                revert ZeroRecipient(i);
            }
            total += amounts[i];
            unchecked {
                ++i;
            }
        }
    }

    /// ERC-20 transfer(to, amount) from this contract, accepting tokens that return true or nothing (as
    /// SafeERC20 does), without its per-call overhead: this loop is the batch's cost per recipient.
    function _transfer(IERC20 token, address to, uint256 amount) private {
        bool ok;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, 0xa9059cbb00000000000000000000000000000000000000000000000000000000)
            mstore(add(ptr, 4), to)
            mstore(add(ptr, 36), amount)
            ok := call(gas(), token, 0, ptr, 68, 0, 32)
            ok := and(ok, or(iszero(returndatasize()), and(gt(returndatasize(), 31), eq(mload(0), 1))))
        }
        if (!ok) {
            revert TransferFailed(to, amount);
        }
    }

    function _digest(address[] calldata recipients, uint256[] calldata amounts) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(recipients, amounts));
    }
}
