#!/usr/bin/python3
"""Independent oracle for the Genreg "legacy" input expansion (spec /work/shared/specs/genreg.md §1).

Usage: /usr/bin/python3 tools/golden/genreg_features.py [OUT_FILE]
(default tests/Emergence.Plugins.Genreg.Tests/Fixtures/legacy_features.json, folders are created).
Written from the spec, not from the original GENREG code. Everything is float64.

- Tables F, P, S: numpy legacy RandomState(12345); 100 x U(0.1, 10) -> F, then 100 x U(0, 2pi) -> P,
  then 100 x U(0.5, 2) -> S (asserted against the spec's F0, P0, S0).
- Points: x = linspace(-2pi, 2pi, 100), xn = x / 2pi, target sin(x).
- True block (T = 16): xn, xn^2, xn^3, sin(f x) and cos(f x) for f = 0.5..3, col 15 (and any col >= 16
  of a wider true block) is 0.
- Noise block (M = 240): the nine blocks of §1 in order, cut off at M. fmod is C fmod (numpy.fmod,
  the result has the dividend's sign), never Python's %. Columns beyond the 240 deterministic ones are
  0.5 N(0,1) re-drawn per forward pass; they are not part of the fixture (M = 496 is only checked to
  agree with M = 240 on the deterministic columns).

JSON keys: F_first/P_first/S_first (first 5 of each table), x (100 values), rows {"i": 256 values} for
point indices 0, 1, 37, 99, columns {"j": 100 values} for global columns 4, 15, 117, 29, 200, 255, and
leaky: [[j, r], ...] for every global column j >= 16 with |Pearson r(col j, sin x)| > 0.5, r rounded
to 4 digits. The module is also imported by tools/bench/peers/{torch,numba}_genreg.py.
"""
import json
import math
import os
import sys

import numpy as np

TWO_PI = 2.0 * math.pi
DETERMINISTIC_NOISE = 240


def tables(seed=12345):
    """The F, P, S tables (100 each), drawn in the spec's order from numpy's legacy MT19937 stream."""
    rs = np.random.RandomState(seed)
    f = rs.uniform(0.1, 10.0, 100)
    p = rs.uniform(0.0, TWO_PI, 100)
    s = rs.uniform(0.5, 2.0, 100)
    return f, p, s


def true_block(x, true_size=16):
    xn = x / TWO_PI
    cols = [xn, xn ** 2, xn ** 3]
    freqs = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
    cols += [np.sin(f * x) for f in freqs]
    cols += [np.cos(f * x) for f in freqs]
    cols.append(np.zeros_like(x))                        # col 15: always 0
    out = np.zeros((x.size, true_size))
    n = min(true_size, 16)
    out[:, :n] = np.stack(cols[:n], axis=1)
    return out                                            # cols >= 16 stay 0


def noise_block(x, noise_size=240, seed=12345, gauss_rng=None):
    f, p, s = tables(seed)
    xn = x / TWO_PI
    cols = []
    cols += [np.sin(f[j] * x + p[j]) for j in range(0, 50)]                    # 1
    cols += [np.cos(f[j] * x + p[j]) for j in range(50, 100)]                  # 2
    gs = [0.5 * (i + 1) for i in range(10)]                                     # 0.5, 1.0, ..., 5.0
    cols += [-np.sin(g * x) for g in gs]                                        # 3a
    cols += [-np.cos(g * x) for g in gs]                                        # 3b
    cols += [xn ** pw for pw in range(4, 24)]                                   # 4
    cols += [np.sin(f[j] * x) * np.cos(f[20 + j] * x) for j in range(20)]      # 5
    cols += [np.tanh(s[j] * x) for j in range(20)]                              # 6
    cols += [np.exp(-np.abs(0.3 * s[20 + j] * x)) - 0.5 for j in range(20)]     # 7
    cols += [np.sign(np.sin(f[40 + j] * x)) for j in range(20)]                 # 8
    cols += [np.fmod(f[60 + j] * x + p[60 + j], 2.0) - 1.0 for j in range(20)]  # 9: C fmod
    assert len(cols) == DETERMINISTIC_NOISE
    out = np.empty((x.size, noise_size))
    n = min(noise_size, DETERMINISTIC_NOISE)
    if n:
        out[:, :n] = np.stack(cols[:n], axis=1)
    if noise_size > DETERMINISTIC_NOISE:                  # re-drawn on every forward pass in GENREG
        rng = gauss_rng if gauss_rng is not None else np.random.default_rng(0)
        out[:, n:] = 0.5 * rng.standard_normal((x.size, noise_size - n))
    return out


def features(x, true_size=16, noise_size=240, seed=12345):
    return np.concatenate([true_block(x, true_size), noise_block(x, noise_size, seed)], axis=1)


def points(n=100):
    return np.linspace(-TWO_PI, TWO_PI, n)


def pearson(a, b):
    a = a - a.mean()
    b = b - b.mean()
    den = math.sqrt(float((a * a).sum()) * float((b * b).sum()))
    return float((a * b).sum()) / den if den > 0 else 0.0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    out_file = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        repo, "tests", "Emergence.Plugins.Genreg.Tests", "Fixtures", "legacy_features.json")

    f, p, s = tables()
    assert f[0] == 9.303199318889764, repr(f[0])
    assert p[0] == 1.230216261493966, repr(p[0])
    assert s[0] == 1.7704144953653658, repr(s[0])

    x = points()
    feats = features(x, 16, 240)
    assert feats.shape == (100, 256)
    assert np.all(feats[:, 15] == 0.0)
    y = np.sin(x)
    # M = 496: the deterministic columns must be identical to M = 240 (the rest is Gaussian).
    wide = features(x, 16, 496)
    assert np.array_equal(wide[:, :256], feats)
    # cut-off: a smaller M is a prefix of the full block
    assert np.array_equal(features(x, 16, 112), feats[:, :128])
    # fmod block keeps the dividend's sign: range (-3, 1)
    assert feats[:, 236:].min() > -3.0 and feats[:, 236:].max() < 1.0 and feats[:, 236:].min() < -1.0

    leaky = []
    for j in range(16, feats.shape[1]):
        r = pearson(feats[:, j], y)
        if abs(r) > 0.5:
            leaky.append([j, round(r, 4)])

    doc = {
        "description": "Genreg legacy feature expansion, T=16, M=240, x=linspace(-2pi,2pi,100), float64; "
                       "generated by tools/golden/genreg_features.py from spec genreg.md section 1",
        "true_size": 16,
        "noise_size": 240,
        "noise_seed": 12345,
        "F_first": [float(v) for v in f[:5]],
        "P_first": [float(v) for v in p[:5]],
        "S_first": [float(v) for v in s[:5]],
        "x": [float(v) for v in x],
        "rows": {str(i): [float(v) for v in feats[i]] for i in (0, 1, 37, 99)},
        "columns": {str(j): [float(v) for v in feats[:, j]] for j in (4, 15, 117, 29, 200, 255)},
        "leaky": leaky,
    }
    os.makedirs(os.path.dirname(out_file), exist_ok=True)
    with open(out_file, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print(f"wrote {out_file} ({os.path.getsize(out_file)} bytes)")
    print(f"F0={f[0]!r} P0={p[0]!r} S0={s[0]!r}")
    print("leaky (global col, r):", ", ".join(f"{j} ({r:+.4f})" for j, r in leaky))


if __name__ == "__main__":
    main()
