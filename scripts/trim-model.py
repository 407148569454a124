#!/usr/bin/env python3
"""Trim the botocore cognito-idp service model down to what request validation needs.

Reads the full botocore model (botocore's data/cognito-idp/2016-04-18/service-2.json, passed
as SOURCE) and writes crates/cognate-server/model/service-model.json as compact JSON with
sorted keys.

Removed everywhere: documentation, documentationUrl, examples (and other doc-only fields).
Kept for operations: name, input, output, errors, auth.
Kept for shapes: type, members (each member reduced to its `shape`), required, min, max,
pattern, enum, sensitive, member, key, value, plus document/exception/fault/error (needed to
recognise free-form document shapes and error shapes).

Usage: scripts/trim-model.py [SOURCE] [DEST]
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DST = os.path.join(HERE, "..", "crates", "cognate-server", "model", "service-model.json")

OP_KEYS = ("name", "input", "output", "errors", "auth")
SHAPE_KEYS = (
    "type", "members", "required", "min", "max", "pattern", "enum", "sensitive",
    "member", "key", "value", "document", "exception", "fault", "error",
)
METADATA_KEYS = ("apiVersion", "jsonVersion", "protocol", "serviceId", "targetPrefix", "uid")


def ref(r):
    """A shape reference ({"shape": ..., "documentation": ..., ...}) reduced to its target."""
    return {"shape": r["shape"]}


def trim_op(op):
    out = {k: op[k] for k in OP_KEYS if k in op}
    for k in ("input", "output"):
        if k in out:
            out[k] = ref(out[k])
    if "errors" in out:
        out["errors"] = [ref(e) for e in out["errors"]]
    return out


def trim_shape(shape):
    out = {k: shape[k] for k in SHAPE_KEYS if k in shape}
    if "members" in out:
        out["members"] = {name: ref(m) for name, m in out["members"].items()}
    for k in ("member", "key", "value"):
        if k in out:
            out[k] = ref(out[k])
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    dst = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_DST
    with open(src, encoding="utf-8") as f:
        model = json.load(f)
    trimmed = {
        "version": model.get("version"),
        "metadata": {k: model["metadata"][k] for k in METADATA_KEYS if k in model.get("metadata", {})},
        "operations": {name: trim_op(op) for name, op in model["operations"].items()},
        "shapes": {name: trim_shape(s) for name, s in model["shapes"].items()},
    }
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    text = json.dumps(trimmed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")
    print(f"wrote {dst}: {len(trimmed['operations'])} operations, "
          f"{len(trimmed['shapes'])} shapes, {len(text)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
