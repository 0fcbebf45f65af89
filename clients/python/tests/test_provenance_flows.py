"""Manifests verified offline (JWS EdDSA against the JWKS) and by the registry, on real assets."""
import base64
import json

import pytest

from tribute_client import Verdict, VerificationError, pb, verify


@pytest.fixture
def registered(tribute, people, tmp_path, unique):
    path = tmp_path / "checkpoint.safetensors"
    path.write_bytes(b"tensor bytes " + unique.encode() * 50)
    return path, tribute.register_file(path, kind="MODEL", creators=people["builder"].id)


def test_untouched_file_is_authentic_offline_and_for_the_registry(tribute, registered):
    path, asset = registered
    manifest = tribute.get_manifest(asset.id)
    jwks = tribute.signing_keys()

    local = verify.verify_file(path, manifest.manifest_jws, jwks)
    remote = tribute.verify_content_remotely(content=path.read_bytes(), manifest_jws=manifest.manifest_jws)

    assert local.verdict is Verdict.AUTHENTIC
    assert local.manifest.asset["id"] == asset.id and local.manifest.key_id == manifest.key_id
    assert local.manifest.payload_json == manifest.payload_json
    assert remote.verdict == pb.registry.VERDICT_AUTHENTIC


def test_edited_file_is_modified(tribute, registered):
    path, asset = registered
    path.write_bytes(path.read_bytes() + b"!")

    result = tribute.verify_file(path, asset_id=asset.id)

    assert result.verdict is Verdict.MODIFIED
    assert result.manifest.sha256 == asset.sha256 != result.content_sha256


def test_altered_manifest_has_an_invalid_signature(tribute, registered):
    path, asset = registered
    jws = tribute.get_manifest(asset.id).manifest_jws
    header, payload, signature = jws.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["asset"]["sha256"] = "0" * 64
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    result = verify.verify_file(path, f"{header}.{forged_payload}.{signature}", tribute.signing_keys())

    assert result.verdict is Verdict.SIGNATURE_INVALID
    with pytest.raises(VerificationError):
        verify.verify_manifest(f"{header}.{forged_payload}.{signature}", tribute.signing_keys())


def test_manifest_signed_by_an_unpublished_key_is_rejected(tribute, registered):
    _, asset = registered
    jws = tribute.get_manifest(asset.id).manifest_jws

    with pytest.raises(VerificationError, match="no key"):
        verify.verify_manifest(jws, {"keys": []})


def test_published_keys_are_named_by_their_thumbprints(tribute):
    keys = tribute.signing_keys()["keys"]

    assert keys and all(verify.jwk_thumbprint(k) == k["kid"] for k in keys)
