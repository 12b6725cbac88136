#!/usr/bin/python3
"""Checkpoint interop against an independent MessagePack implementation (python3-msgpack).

  /usr/bin/python3 tools/msgpack/interop.py read CHECKPOINT   verify + decode, print a JSON summary
  /usr/bin/python3 tools/msgpack/interop.py write OUT         write a checkpoint-layout file covering
                                                              every msgpack family, with a valid crc32c

The checksum trailer is the last 13 bytes: fixstr "crc32c" (a6 + 6 bytes), bin8 header (c4 04) and
the 4-byte big-endian CRC-32C (Castagnoli) of every byte before it. See docs/checkpoint-format.md.
"""
import json
import math
import struct
import sys

try:
    import msgpack
except ImportError:
    sys.exit("install python3-msgpack (apt-get install python3-msgpack)")

TRAILER = b"\xa6crc32c\xc4\x04"
TRAILER_LEN = len(TRAILER) + 4  # 13


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _crc32c_table()


def crc32c(data):
    """CRC-32C (Castagnoli), written independently of the engine's code; crc32c(b"123456789") == 0xE3069283."""
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC32C[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return (crc ^ 0xFFFFFFFF).to_bytes(4, "big")
KEYS = ["format", "format_version", "engine_version", "plugin", "experiment", "run_id", "step",
        "created", "manifest", "rng", "state", "crc32c"]
DTYPES = {"float32": ("<f", 4), "float64": ("<d", 8), "int32": ("<i", 4), "int64": ("<q", 8)}


def fail(message):
    sys.exit("interop: " + message)


def is_tensor(v):
    return isinstance(v, dict) and set(v.keys()) == {"dtype", "shape", "data"}


def is_rng(v):
    return isinstance(v, dict) and v.get("rng") == "xoshiro256**"


def summarize_state(node, path, out):
    for key, value in node.items():
        if not isinstance(key, str):
            fail(f"state key {key!r} at {path or '(root)'} is not a string")
        full = f"{path}.{key}" if path else key
        if key == "python" and not path:
            out["python"] = describe(value)
        elif is_tensor(value):
            dtype, shape, data = value["dtype"], value["shape"], value["data"]
            if dtype not in DTYPES:
                fail(f"{full}: unknown dtype {dtype!r}")
            if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
                fail(f"{full}: bad shape {shape!r}")
            fmt, size = DTYPES[dtype]
            count = math.prod(shape)
            if not isinstance(data, bytes) or len(data) != count * size:
                fail(f"{full}: shape {shape} needs {count * size} bytes, data has {len(data)}")
            values = [x[0] for x in struct.iter_unpack(fmt, data)]
            shown = [v if not (isinstance(v, float) and math.isnan(v)) else "NaN" for v in values[:16]]
            out["tensors"][full] = {"dtype": dtype, "shape": shape, "nbytes": len(data), "values": shown}
        elif is_rng(value):
            out["rngs"][full] = {"s": value["s"], "spare": value["spare"]}
        elif isinstance(value, dict):
            summarize_state(value, full, out)
        elif isinstance(value, bytes):
            out["scalars"][full] = {"bin": value.hex()}
        elif isinstance(value, float) and math.isnan(value):
            out["scalars"][full] = "NaN"
        else:
            out["scalars"][full] = value


def describe(value):
    """A JSON-able rendering of arbitrary decoded values (for the 'python' family section)."""
    if isinstance(value, dict):
        return {"map": [[describe(k), describe(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [describe(v) for v in value]
    if isinstance(value, bytes):
        return {"bin": len(value)}
    if isinstance(value, str) and len(value) > 40:
        return {"str": len(value)}
    if hasattr(value, "isoformat"):
        return {"timestamp": value.isoformat()}
    return value


def read(path):
    raw = open(path, "rb").read()
    if len(raw) < TRAILER_LEN or raw[-TRAILER_LEN:-4] != TRAILER:
        fail(f"{path}: missing crc32c trailer (truncated?)")
    digest = crc32c(raw[:-TRAILER_LEN])
    if digest != raw[-4:]:
        fail(f"{path}: checksum mismatch")
    # ext_hook: python's ExtType refuses negative codes (-128..-2), which the spec allows.
    doc = msgpack.unpackb(raw, raw=False, strict_map_key=False, timestamp=3,
                          ext_hook=lambda code, data: {"ext": code, "len": len(data)})
    if list(doc.keys()) != KEYS:
        fail(f"{path}: keys {list(doc.keys())} != {KEYS}")
    if doc["format"] != "emergence-checkpoint" or doc["format_version"] != 1:
        fail(f"{path}: format {doc['format']!r} version {doc['format_version']!r}")
    if doc["crc32c"] != digest:
        fail(f"{path}: crc32c value differs from the trailer bytes")
    out = {"tensors": {}, "rngs": {}, "scalars": {}}
    summarize_state(doc["state"], "", out)
    rngs = {}
    for purpose, r in doc["rng"].items():
        if not is_rng(r) or len(r["s"]) != 4:
            fail(f"rng {purpose!r} is not an xoshiro256** state")
        rngs[purpose] = {"s": r["s"], "spare": r["spare"]}
    summary = {
        "format": doc["format"], "format_version": doc["format_version"],
        "engine_version": doc["engine_version"], "plugin": doc["plugin"],
        "experiment": doc["experiment"], "run_id": doc["run_id"], "step": doc["step"],
        "created": doc["created"].isoformat(), "manifest": doc["manifest"],
        "rng": rngs, "state": out, "crc32c": digest.hex(), "size": len(raw),
    }
    print(json.dumps(summary, indent=1, sort_keys=False))


class Raw:
    """Bytes already packed (e.g. a float32 from a single-float packer)."""

    def __init__(self, data):
        self.data = data


PACKER = msgpack.Packer(use_bin_type=True, strict_types=False)
SINGLE = msgpack.Packer(use_single_float=True)


def pack(value):
    if isinstance(value, Raw):
        return value.data
    if isinstance(value, dict):
        return pack_map(list(value.items()))
    if isinstance(value, list):
        return PACKER.pack_array_header(len(value)) + b"".join(pack(v) for v in value)
    return PACKER.pack(value)


def pack_map(pairs):
    return PACKER.pack_map_header(len(pairs)) + b"".join(pack(k) + pack(v) for k, v in pairs)


def tensor(dtype, shape, values):
    fmt, _ = DTYPES[dtype]
    return {"dtype": dtype, "shape": shape, "data": b"".join(struct.pack(fmt, v) for v in values)}


def families():
    ints = [0, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**63 - 1, 2**64 - 1,
            -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63]
    return {
        "ints": ints,
        "float32": Raw(SINGLE.pack(1.5)),
        "float32_neg": Raw(SINGLE.pack(-0.25)),
        "float64": 0.1,
        "nil": None, "yes": True, "no": False,
        "strs": ["", "x" * 31, "y" * 32, "z" * 255, "w" * 256, "v" * 65535, "u" * 65536, "é€✓"],
        "bins": [b"", bytes(range(255)), bytes(256), bytes(65535), bytes(65536)],
        "exts": [msgpack.ExtType(5, bytes(n)) for n in (1, 2, 4, 8, 16, 0, 3, 255, 256, 65535, 65536)]
                + [Raw(b"\xd4\x80\x7f"), msgpack.ExtType(127, b"")],  # python refuses negative codes
        "timestamps": [msgpack.Timestamp(0, 0), msgpack.Timestamp(2**32 - 1, 0), msgpack.Timestamp(2**32, 0),
                       msgpack.Timestamp(1, 1), msgpack.Timestamp(2**34 - 1, 999999999),
                       msgpack.Timestamp(2**34, 0), msgpack.Timestamp(-1, 999999999)],
        "array16": list(range(16)),
        "map16": {f"k{i:02d}": i for i in range(16)},
        "nested": [[[]], {}, {"deep": [{"deeper": [1, [2, [3]]]}]}],
        "int_keys": Raw(pack_map([(1, "one"), (-2, "minus two"), (None, "nil key")])),
    }


def write(path):
    state = {
        "model": {
            "weights": tensor("float32", [2, 3], [0.5, -1.0, 2.25, 0.0, 3.5, -4.75]),
            "bias": tensor("float64", [3], [0.1, -0.2, 1e300]),
            "ids": tensor("int32", [2], [7, -2**31]),
            "ages": tensor("int64", [2, 1], [2**62, -5]),
            "blob": b"\x09\x08\x07",
        },
        "trainer": {"epoch": 3, "lr": 0.001, "warm": True, "phase": "python ✓",
                    "noise": {"rng": "xoshiro256**", "s": [1, 2, 3, 2**64 - 1], "spare": 0.5}},
        "python": Raw(pack(families())),
    }
    rng = {"simulation": {"rng": "xoshiro256**", "s": [0x0123456789ABCDEF, 2**63, 3, 4], "spare": None},
           "layout": {"rng": "xoshiro256**", "s": [5, 6, 7, 8], "spare": -1.25}}
    pairs = [
        ("format", "emergence-checkpoint"), ("format_version", 1), ("engine_version", "python-interop"),
        ("plugin", {"name": "PyPlugin", "version": "9.9.9", "assembly_sha256": "ab" * 32}),
        ("experiment", "interop"), ("run_id", "py-run"), ("step", 2**40 + 7),
        ("created", msgpack.Timestamp(1700000000, 123456700)),
        ("manifest", "experiment: interop\nseed: 1\n"), ("rng", rng), ("state", state),
    ]
    body = PACKER.pack_map_header(len(pairs) + 1) + b"".join(pack(k) + pack(v) for k, v in pairs)
    with open(path, "wb") as f:
        f.write(body + TRAILER + crc32c(body))


def main(argv):
    if len(argv) != 3 or argv[1] not in ("read", "write"):
        sys.exit(__doc__)
    (read if argv[1] == "read" else write)(argv[2])


if __name__ == "__main__":
    main(sys.argv)
