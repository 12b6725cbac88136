#!/usr/bin/python3
"""Writes PyTorch golden values for Emergence.Tensors tests.

Usage: /usr/bin/python3 tools/golden/make_golden.py [OUT_DIR]
(default tests/Emergence.Tensors.Tests/Golden/fixtures). Every case stores its inputs, the forward
output and the gradients of loss = sum(out * w) for a stored random weighting w, all in float32
computed by torch 1.13 on CPU, as JSON ({"shape": [...], "data": [...]}). Deterministic: numpy seed 1234.
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
RNG = np.random.default_rng(1234)


def rand(*shape, low=None):
    a = RNG.standard_normal(shape).astype(np.float32)
    if low is not None:
        a = (np.abs(a) + low).astype(np.float32)
    return a


def enc(t):
    a = t.detach().cpu().numpy() if torch.is_tensor(t) else np.asarray(t)
    return {"shape": list(a.shape), "data": [float(f"{v:.9g}") for v in a.reshape(-1)]}


def case(name, fn, inputs, ints=None):
    """inputs: dict name -> numpy float array (all differentiated); ints: dict of int lists passed through."""
    ts = {k: torch.tensor(v, requires_grad=True) for k, v in inputs.items()}
    out = fn(ts)
    w = torch.tensor(rand(*out.shape))
    (out * w).sum().backward()
    return {"name": name, "inputs": {k: enc(v) for k, v in ts.items()}, "ints": ints or {},
            "w": enc(w), "out": enc(out), "grads": {k: enc(v.grad) for k, v in ts.items()}}


def gelu(x):
    return F.gelu(x, approximate="tanh")


def op_cases():
    causal = torch.tensor(np.triu(np.ones((3, 3), dtype=bool), 1))
    cond = torch.tensor(RNG.random((3, 4)) > 0.5)
    tgt = [0, 5, 2, 3, 3, 1]
    ids = [1, 4, 1, 0, 1, 2]
    sel = [3, 0, 3]
    gidx = RNG.integers(0, 4, size=(3, 2, 2))
    cs = [
        case("add", lambda t: t["a"] + t["b"], {"a": rand(2, 3, 4), "b": rand(4)}),
        case("sub", lambda t: t["a"] - t["b"], {"a": rand(3, 1), "b": rand(1, 4)}),
        case("mul", lambda t: t["a"] * t["b"], {"a": rand(2, 1, 3), "b": rand(2, 4, 1)}),
        case("div", lambda t: t["a"] / t["b"], {"a": rand(2, 3), "b": rand(3, low=0.5)}),
        case("matmul", lambda t: t["a"] @ t["b"], {"a": rand(5, 7), "b": rand(7, 3)}),
        case("matmul_bt", lambda t: t["a"] @ t["b"].transpose(-1, -2), {"a": rand(2, 4, 6), "b": rand(2, 5, 6)}),
        case("bmm_shared", lambda t: t["a"] @ t["b"], {"a": rand(2, 3, 4, 5), "b": rand(5, 6)}),
        case("sum_axis1", lambda t: t["a"].sum(1), {"a": rand(3, 4, 5)}),
        case("mean_axis_last_keep", lambda t: t["a"].mean(-1, keepdim=True), {"a": rand(3, 4, 5)}),
        case("max_axis0", lambda t: t["a"].max(0).values, {"a": rand(3, 4, 5)}),
        case("sum_all", lambda t: t["a"].sum(), {"a": rand(3, 4)}),
        case("tanh", lambda t: torch.tanh(t["a"]), {"a": rand(4, 5)}),
        case("sigmoid", lambda t: torch.sigmoid(t["a"]), {"a": rand(4, 5)}),
        case("relu", lambda t: torch.relu(t["a"]), {"a": rand(4, 5)}),
        case("gelu", lambda t: gelu(t["a"]), {"a": rand(4, 5)}),
        case("exp", lambda t: torch.exp(t["a"]), {"a": rand(4, 5)}),
        case("log", lambda t: torch.log(t["a"]), {"a": rand(4, 5, low=0.1)}),
        case("softmax", lambda t: torch.softmax(t["a"], -1), {"a": rand(2, 3, 6)}),
        case("log_softmax", lambda t: torch.log_softmax(t["a"], -1), {"a": rand(2, 3, 6)}),
        case("cross_entropy", lambda t: F.cross_entropy(t["a"].reshape(-1, 6), torch.tensor(tgt)), {"a": rand(2, 3, 6)}, {"targets": tgt}),
        case("mse", lambda t: F.mse_loss(t["a"], t["b"]), {"a": rand(4, 3), "b": rand(4, 3)}),
        case("layer_norm", lambda t: F.layer_norm(t["a"], (8,), t["w"], t["b"]), {"a": rand(2, 3, 8), "w": rand(8), "b": rand(8)}),
        case("embedding", lambda t: F.embedding(torch.tensor(ids).reshape(2, 3), t["a"]), {"a": rand(5, 3)}, {"ids": ids}),
        case("concat", lambda t: torch.cat([t["a"], t["b"]], 1), {"a": rand(2, 3), "b": rand(2, 5)}),
        case("stack", lambda t: torch.stack([t["a"], t["b"]], 1), {"a": rand(2, 3), "b": rand(2, 3)}),
        case("index_select", lambda t: torch.index_select(t["a"], 1, torch.tensor(sel)), {"a": rand(3, 4, 2)}, {"indices": sel}),
        case("gather", lambda t: torch.gather(t["a"], 1, torch.tensor(gidx)), {"a": rand(3, 4, 2)}, {"index": gidx.reshape(-1).tolist()}),
        case("masked_fill", lambda t: t["a"].masked_fill(causal, -3.0), {"a": rand(2, 3, 3)},
             {"mask": causal.reshape(-1).int().tolist()}),
        case("where", lambda t: torch.where(cond, t["a"], t["b"]), {"a": rand(2, 3, 4), "b": rand(2, 3, 4)},
             {"mask": cond.reshape(-1).int().tolist()}),
        case("clamp", lambda t: t["a"].clamp(-0.5, 0.7), {"a": rand(4, 5)}),
        case("permute", lambda t: t["a"].permute(0, 2, 1, 3), {"a": rand(2, 3, 4, 2)}),
        case("narrow", lambda t: t["a"].narrow(2, 1, 2), {"a": rand(2, 3, 4)}),
    ]
    return cs


def block_forward(p, x, heads):
    b, t, c = x.shape
    d = c // heads

    def lin(name, z):
        return z @ p[name + ".weight"].T + p[name + ".bias"]

    h = F.layer_norm(x, (c,), p["block0.ln1.weight"], p["block0.ln1.bias"])
    q, k, v = (lin("block0.attn." + n, h).reshape(b, t, heads, d).permute(0, 2, 1, 3) for n in "qkv")
    s = (q @ k.transpose(-1, -2)) / math.sqrt(d)
    s = s.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf"))
    a = (torch.softmax(s, -1) @ v).permute(0, 2, 1, 3).reshape(b, t, c)
    x = x + lin("block0.attn.o", a)
    h = F.layer_norm(x, (c,), p["block0.ln2.weight"], p["block0.ln2.bias"])
    return x + lin("block0.ffn.1", gelu(lin("block0.ffn.0", h)))


def block_case(dm=32, heads=4, ffn=64, b=2, t=3):
    shapes = {"block0.ln1.weight": (dm,), "block0.ln1.bias": (dm,), "block0.ln2.weight": (dm,), "block0.ln2.bias": (dm,)}
    for n in "qkvo":
        shapes[f"block0.attn.{n}.weight"] = (dm, dm)
        shapes[f"block0.attn.{n}.bias"] = (dm,)
    shapes.update({"block0.ffn.0.weight": (ffn, dm), "block0.ffn.0.bias": (ffn,),
                   "block0.ffn.1.weight": (dm, ffn), "block0.ffn.1.bias": (dm,)})
    inputs = {k: (rand(*s) * (0.2 if len(s) == 2 else 0.5)).astype(np.float32) for k, s in shapes.items()}
    inputs["x"] = rand(b, t, dm)
    c = case("transformer_block", lambda ts: block_forward(ts, ts["x"], heads), inputs)
    c["config"] = {"d_model": dm, "heads": heads, "ffn": ffn, "batch": b, "seq": t}
    return c


def hopfield_case(n=16, b=4, steps=5, beta=0.8):
    def run(t):
        s = t["s0"]
        for _ in range(steps):
            s = F.layer_norm(s + torch.tanh(beta * (s @ t["W"] + t["b"] + t["u"])), (n,), t["ln_w"], t["ln_b"])
        return s

    inputs = {"W": rand(n, n) * 0.3, "b": rand(n) * 0.1, "u": rand(b, n), "s0": rand(b, n),
              "ln_w": 1 + 0.1 * rand(n), "ln_b": 0.1 * rand(n)}
    c = case("hopfield", run, {k: v.astype(np.float32) for k, v in inputs.items()})
    c["config"] = {"n": n, "batch": b, "steps": steps, "beta": beta}
    return c


def optimizer_case():
    """Three steps of AdamW and of SGD-momentum from fixed gradients, with global-norm clipping at 1.0."""
    p0 = rand(3, 4)
    grads = [rand(3, 4) * 3 for _ in range(3)]
    res = {"name": "optimizers", "p0": enc(p0), "grads": [enc(g) for g in grads]}
    for label, make in [("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1)),
                        ("adam_l2", lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1)),
                        ("sgd_momentum", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01))]:
        p = torch.tensor(p0, requires_grad=True)
        opt = make([p])
        for g in grads:
            p.grad = torch.tensor(g)
            torch.nn.utils.clip_grad_norm_([p], 1.0)
            opt.step()
        res[label] = enc(p)
    return res


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..",
                                                            "tests", "Emergence.Tensors.Tests", "Golden", "fixtures")
    os.makedirs(out, exist_ok=True)
    meta = {"generator": "tools/golden/make_golden.py", "torch": torch.__version__, "numpy": np.__version__}
    files = {"ops.json": {"meta": meta, "cases": op_cases()}, "transformer_block.json": {"meta": meta, **block_case()},
             "hopfield.json": {"meta": meta, **hopfield_case()}, "optimizers.json": {"meta": meta, **optimizer_case()}}
    for name, payload in files.items():
        with open(os.path.join(out, name), "w") as f:
            json.dump(payload, f, separators=(",", ":"))
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
