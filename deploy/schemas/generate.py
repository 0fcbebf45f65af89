"""Writes the JSON schemas that kubeconform validates deploy/ against, with no network at test time.

Kubernetes kinds: from the `kubernetes-validate` wheel's "local-strict" schemas (one file per kind whose
$refs point into a shared _definitions.json); each kind we use becomes one self-contained file with only
the definitions it reaches. CRDs: the openAPIV3Schema of a CustomResourceDefinition, turned into a strict
JSON schema the way kubeconform's openapi2jsonschema does. Descriptions are dropped to keep the files small.

Run through ./regenerate, which fetches the inputs; see deploy/README.md.
"""
import argparse
import json
import os
import re
import sys

import yaml

# Kinds the manifests use: file stem as kubeconform names it ({kind}{-group}-{version}).
KINDS = [
    "namespace-v1",
    "configmap-v1",
    "secret-v1",
    "service-v1",
    "serviceaccount-v1",
    "deployment-apps-v1",
    "statefulset-apps-v1",
    "poddisruptionbudget-policy-v1",
    "horizontalpodautoscaler-autoscaling-v2",
    "networkpolicy-networking-v1",
]

# Keys whose values are maps of names to schemas: their keys are data, never keywords to drop.
NAME_MAPS = {"properties", "patternProperties", "$defs", "definitions"}
DROPPED = {"description", "x-kubernetes-group-version-kind"}
REF = re.compile(r"^(?:/api/_definitions\.json)?#/\$defs/(.+)$")


def strip(node, in_name_map=False):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not in_name_map and key in DROPPED:
                continue
            out[key] = strip(value, in_name_map=(not in_name_map and key in NAME_MAPS))
        return out
    if isinstance(node, list):
        return [strip(item) for item in node]
    return node


def refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                match = REF.match(value)
                if not match:
                    sys.exit(f"unexpected $ref {value}")
                found.add(match.group(1))
            else:
                refs(value, found)
    elif isinstance(node, list):
        for item in node:
            refs(item, found)


def relink(node):
    if isinstance(node, dict):
        return {k: ("#/$defs/" + REF.match(v).group(1) if k == "$ref" else relink(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [relink(item) for item in node]
    return node


def standalone(kind_schema, definitions):
    needed, queue = set(), set()
    refs(kind_schema, queue)
    while queue:
        name = queue.pop()
        if name in needed:
            continue
        needed.add(name)
        refs(definitions[name], queue)
    out = {k: v for k, v in kind_schema.items() if k not in ("$id",)}
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["$defs"] = {name: definitions[name] for name in sorted(needed)}
    return strip(relink(out))


def crd_to_jsonschema(node):
    """openAPIV3Schema -> JSON schema: int-or-string, nullable, and closed objects (kubeconform -strict)."""
    if isinstance(node, list):
        return [crd_to_jsonschema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    if node.pop("x-kubernetes-int-or-string", False):
        for key in ("type", "format", "pattern"):
            node.pop(key, None)
        node["oneOf"] = [{"type": "string"}, {"type": "integer"}]
    if node.pop("nullable", False) and "type" in node:
        node["type"] = [node["type"], "null"]
    preserve = node.get("x-kubernetes-preserve-unknown-fields", False)
    if "properties" in node and "additionalProperties" not in node and not preserve:
        node["additionalProperties"] = False
    for key, value in list(node.items()):
        if key in ("properties", "patternProperties"):
            node[key] = {name: crd_to_jsonschema(schema) for name, schema in value.items()}
        elif key in ("items", "additionalProperties", "not"):
            node[key] = crd_to_jsonschema(value)
        elif key in ("allOf", "anyOf", "oneOf"):
            node[key] = [crd_to_jsonschema(item) for item in value]
    return node


def write(path, schema):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as out:
        json.dump(schema, out, indent=1, sort_keys=True)
        out.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubernetes-dir", required=True, help="kubernetes-validate's vX.Y.Z-local-strict folder")
    parser.add_argument("--kubernetes-version", required=True, help="e.g. v1.31.0")
    parser.add_argument("--crd", action="append", default=[], help="a CustomResourceDefinition yaml file")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    with open(os.path.join(args.kubernetes_dir, "_definitions.json")) as f:
        definitions = json.load(f)["$defs"]
    target = os.path.join(args.out, "kubernetes", f"{args.kubernetes_version}-standalone-strict")
    for kind in KINDS:
        with open(os.path.join(args.kubernetes_dir, kind + ".json")) as f:
            write(os.path.join(target, kind + ".json"), standalone(json.load(f), definitions))

    for crd_file in args.crd:
        with open(crd_file) as f:
            crd = yaml.safe_load(f)
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if not version.get("served", True):
                continue
            schema = crd_to_jsonschema(version["schema"]["openAPIV3Schema"])
            schema["properties"]["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
            schema["properties"]["kind"] = {"type": "string", "enum": [kind]}
            schema["required"] = sorted(set(schema.get("required", [])) | {"apiVersion", "kind", "metadata"})
            write(os.path.join(args.out, "crds", group, f"{kind.lower()}_{version['name']}.json"), strip(schema))


if __name__ == "__main__":
    main()
