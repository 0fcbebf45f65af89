// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

interface IWithdrawable {
    function withdrawTo(address payable to) external;
}

/// @title RejectingRecipient
/// @notice A contract that refuses native ether, for tests; it can still collect a credit to another address.
contract RejectingRecipient {
    error EtherRejected();

    receive() external payable {
        revert EtherRejected();
    }

    /// @notice Withdraws this contract's credit held by `payouts` to `to`.
    function collect(address payouts, address payable to) external {
        IWithdrawable(payouts).withdrawTo(to);
    }
}
