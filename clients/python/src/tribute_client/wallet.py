"""An Ethereum wallet key for proving payout accounts: EIP-191 personal_sign, EIP-55 addresses, CAIP-10 ids."""
from __future__ import annotations

import secrets

import coincurve
from Crypto.Hash import keccak


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


def to_checksum_address(address: str) -> str:
    """EIP-55 mixed-case checksum of a 20-byte hex address ("0x…")."""
    hex_address = address.lower().removeprefix("0x")
    if len(hex_address) != 40:
        raise ValueError(f"not a 20-byte address: {address!r}")
    digest = keccak256(hex_address.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(digest[i], 16) >= 8 else c
                          for i, c in enumerate(hex_address))


def personal_message_hash(message: str | bytes) -> bytes:
    """The EIP-191 (version 0x45) hash that personal_sign signs."""
    data = message.encode("utf-8") if isinstance(message, str) else message
    return keccak256(b"\x19Ethereum Signed Message:\n" + str(len(data)).encode("ascii") + data)


class Wallet:
    """A secp256k1 private key. Keep it secret: Tribute only ever sees its address and its signatures."""

    def __init__(self, private_key: str | bytes) -> None:
        raw = bytes.fromhex(private_key.removeprefix("0x")) if isinstance(private_key, str) else private_key
        if len(raw) != 32:
            raise ValueError("a private key is 32 bytes")
        self._key = coincurve.PrivateKey(raw)
        public = self._key.public_key.format(compressed=False)[1:]
        self.address = to_checksum_address(keccak256(public)[-20:].hex())

    @classmethod
    def generate(cls) -> "Wallet":
        return cls(secrets.token_bytes(32))

    def account(self, chain_id: int = 1) -> str:
        """The CAIP-10 account id on an EVM chain, e.g. "eip155:1:0xAb58…eC9B"."""
        return f"eip155:{chain_id}:{self.address}"

    def personal_sign(self, message: str | bytes) -> str:
        """EIP-191 personal_sign: "0x" + r ‖ s ‖ v (65 bytes, v = 27 or 28, low s as EIP-2 requires)."""
        signature = self._key.sign_recoverable(personal_message_hash(message), hasher=None)
        return "0x" + signature[:64].hex() + format(27 + signature[64], "02x")

    def __repr__(self) -> str:
        return f"Wallet({self.address})"


def recover_address(message: str | bytes, signature: str) -> str:
    """The checksummed address whose key made an EIP-191 personal_sign signature."""
    raw = bytes.fromhex(signature.removeprefix("0x"))
    v = raw[64] - 27 if raw[64] >= 27 else raw[64]
    public = coincurve.PublicKey.from_signature_and_message(raw[:64] + bytes([v]), personal_message_hash(message),
                                                            hasher=None)
    return to_checksum_address(keccak256(public.format(compressed=False)[1:])[-20:].hex())
