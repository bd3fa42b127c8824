#!/usr/bin/env python3
"""Generates src/manifest/schema.txt: the fields and types of every kind in src/model/kinds.rs,
from authoritative sources only (never typed by hand). Run by hand, once per Kubernetes version;
never at build or test time.

Inputs:
  1. The Kubernetes v1.34 JSON schemas shipped in the PyPI package `kubernetes-validate`
     (`pip download --no-deps kubernetes-validate==1.35.0`, unzip; folder
     `kubernetes_validate/kubernetes-json-schema/v1.34.0-local`, file `_definitions.json`).
     They give the fields, their JSON types and formats.
  2. Optionally, the Go types of k8s.io/api at v0.34.x (the `types.go` files of core/v1, apps/v1,
     ...; a checkout of github.com/kubernetes/api at tag v0.34.1). They give the Go type names
     (`v1.PersistentVolumeAccessMode`) that encoding/json error messages print.

Usage: scripts/gen-schema.py DEFINITIONS_JSON [K8S_API_DIR] > src/manifest/schema.txt

Output format (one line each, `|`-separated):
  K|Kind|apiVersion|TypeId           a served kind and its root type
  T|TypeId|GoName|field:code[:gotype],...   a struct type and its fields
Type codes: s string, b bool, i32, i64, f64, q Quantity, ios IntOrString, byte ([]byte, base64),
t Time (RFC 3339), any (free JSON), [X] list of X, {X} map of string to X, @Id a struct type.
`:gotype` is present only when the Go type differs from the one the code implies.
"""
import json
import os
import re
import sys

DEFS_PREFIX = "#/$defs/"


def kinds_from_rust(root):
    text = open(os.path.join(root, "src/model/kinds.rs"), encoding="utf-8").read()
    body = text[text.index("kinds! {"):]
    out = []
    for m in re.finditer(r'^\s+(\w+), "([^"]*)", "([^"]*)",', body, re.M):
        kind, group, version = m.groups()
        out.append((kind, group, version))
    return out


def go_types(api_dir):
    """(package, struct) -> {json field -> Go type expression}; plus named non-struct types."""
    fields, named = {}, set()
    if not api_dir:
        return fields, named
    for pkg in sorted(os.listdir(api_dir)):
        for ver in sorted(os.listdir(os.path.join(api_dir, pkg))):
            path = os.path.join(api_dir, pkg, ver, "types.go")
            if not os.path.exists(path):
                continue
            cur = None
            for line in open(path, encoding="utf-8"):
                m = re.match(r"^type (\w+) struct \{", line)
                if m:
                    cur = (pkg, m.group(1))
                    fields[cur] = {}
                    continue
                m = re.match(r"^type (\w+) (string|int32|int64|bool)\b", line)
                if m:
                    named.add((pkg, m.group(1)))
                if line.startswith("}"):
                    cur = None
                    continue
                if cur:
                    m = re.match(r'^\s+\w+\s+(\S+)\s+`json:"([^",]*)', line)
                    if m and m.group(2):
                        fields[cur][m.group(2)] = m.group(1)
    return fields, named


def go_name_of_expr(expr):
    """Go type expression in package source -> reflect.Type.String() as json errors print it."""
    expr = expr.lstrip("*")
    if expr.startswith("[]byte"):
        return "[]uint8"
    if expr.startswith("[]"):
        return "[]" + go_name_of_expr(expr[2:])
    if expr.startswith("map[string]"):
        return "map[string]" + go_name_of_expr(expr[len("map[string]"):])
    if expr in ("string", "bool", "int32", "int64", "float64", "int", "byte"):
        return expr
    if "." in expr:
        alias, name = expr.split(".", 1)
        if alias.endswith("v1"):
            alias = "v1"
        return alias + "." + name
    return "v1." + expr


def main():
    defs_path = sys.argv[1]
    api_dir = sys.argv[2] if len(sys.argv) > 2 else None
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    defs = json.load(open(defs_path, encoding="utf-8"))["$defs"]
    gofields, _named = go_types(api_dir)

    gvk = {}
    for name, d in defs.items():
        for g in d.get("x-kubernetes-group-version-kind", []):
            gvk[(g["group"], g["version"], g["kind"])] = name

    special = {
        "io.k8s.apimachinery.pkg.api.resource.Quantity": "q",
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "ios",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "t",
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "t",
        "io.k8s.apimachinery.pkg.runtime.RawExtension": "any",
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "any",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": "any",
    }
    ids = {}  # full def name -> short id
    order = []

    def short_id(full):
        if full in ids:
            return ids[full]
        short = full.rsplit(".", 1)[1]
        if short in ids.values():
            short = full.split(".")[-3] + short  # e.g. v1 -> collision fallback with group
            i = 2
            while short in ids.values():
                short = f"{short}{i}"
                i += 1
        ids[full] = short
        order.append(full)
        return short

    def code(prop):
        if "$ref" in prop:
            full = prop["$ref"].split("/")[-1]
            if full in special:
                return special[full]
            target = defs[full]
            if "properties" not in target:
                t = target.get("type", ["string"])
                return scalar(t[0] if isinstance(t, list) else t, target.get("format"))
            return "@" + short_id(full)
        if "allOf" in prop:
            return code(prop["allOf"][0])
        t = prop.get("type", "object")
        t = [x for x in t if x != "null"][0] if isinstance(t, list) else t
        if t == "array":
            return "[" + code(prop.get("items", {})) + "]"
        if t == "object":
            if "additionalProperties" in prop:
                return "{" + code(prop["additionalProperties"]) + "}"
            return "any"
        return scalar(t, prop.get("format"))

    def scalar(t, fmt):
        if t == "string":
            return {"byte": "byte", "date-time": "t", "int-or-string": "ios"}.get(fmt, "s")
        if t == "integer":
            return "i64" if fmt == "int64" else "i32"
        if t == "number":
            return "f64"
        if t == "boolean":
            return "b"
        return "any"

    def go_default(c):
        simple = {"s": "string", "b": "bool", "i32": "int32", "i64": "int64", "f64": "float64",
                  "q": "resource.Quantity", "ios": "intstr.IntOrString", "byte": "[]uint8",
                  "t": "v1.Time", "any": "runtime.RawExtension"}
        if c in simple:
            return simple[c]
        if c.startswith("["):
            return "[]" + go_default(c[1:-1])
        if c.startswith("{"):
            return "map[string]" + go_default(c[1:-1])
        return "v1." + c[1:]

    kinds = []
    for kind, group, version in kinds_from_rust(root):
        full = gvk.get((group, version, kind))
        if not full:
            sys.exit(f"no schema for {group}/{version} {kind}")
        api_version = f"{group}/{version}" if group else version
        kinds.append((kind, api_version, short_id(full)))

    lines = [
        "# Generated by scripts/gen-schema.py from kubernetes-validate's Kubernetes v1.34.0 JSON",
        "# schemas and k8s.io/api v0.34.1 Go types. Do not edit by hand.",
    ]
    for kind, api_version, tid in kinds:
        lines.append(f"K|{kind}|{api_version}|{tid}")
    done = set()
    i = 0
    while i < len(order):
        full = order[i]
        i += 1
        if full in done:
            continue
        done.add(full)
        d = defs[full]
        tid = ids[full]
        parts = full.split(".")
        pkg = parts[-3] if full.startswith("io.k8s.api.") else None
        gof = gofields.get((pkg, parts[-1]), {}) if pkg else {}
        go_type_name = "v1." + parts[-1] if parts[-2] == "v1" else parts[-2] + "." + parts[-1]
        fs = []
        for fname in sorted(d.get("properties", {})):
            c = code(d["properties"][fname])
            entry = f"{fname}:{c}"
            if fname in gof:
                g = go_name_of_expr(gof[fname])
                if g != go_default(c):
                    entry += ":" + g
            fs.append(entry)
        lines.append(f"T|{tid}|{go_type_name}|{','.join(fs)}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
