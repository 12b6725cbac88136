#!/usr/bin/python3
"""Vectorised PyTorch peer of one Genreg dense-GA generation (spec /work/shared/specs/genreg.md §2-3).

Usage: torch_genreg.py THREADS SECONDS [stepwise] [--dtype=float64|float32]
Run with /usr/bin/python3 and env OPENBLAS_CORETYPE=SKYLAKEX (the C# bench sets it).
Prints '# ...' configuration lines, then 'result ga_generation RATE' (generations per second, best of
repeated timed batches after warm-up, about SECONDS of timing). With the optional third argument
'stepwise' it also prints 'result ga_generation_stepwise RATE' (same generation, protein cascade
run point by point instead of as a scan; context only).

Workload (N4 / H2 legacy defaults): population 40 dense genomes, 16 true + 240 legacy noise features
precomputed once as a [100, 256] tensor (tools/golden/genreg_features.py), hidden 8, 100
points, proteins on with the legacy reset bug. torch.no_grad(). All arithmetic in float64 by default — the
precision of the original NumPy code and of the plugin's GA — or float32 with --dtype=float32 (context).

One generation =
 (a) evaluate all 40: a single GEMM X[100,256] @ W1[256, 40*8] (weights stored genome-interleaved),
     tanh, output layer, MSE per genome, saturation k per genome (neuron saturated if more than half of
     the points have |h| > 0.95), the 13-unit protein cascade over the 20 sampled points 0,5,...,95 for
     all 40 genomes at once, fitness = -MSE * max(0.1, 1 + 0.1 * trust), and the logged row
     (min MSE; k and fitness of the max-fitness genome);
 (b) evolve: stable sort by fitness descending; ranks 0-19 pass unchanged; 16 clones of rank i mod 8
     (each weight element with p = 0.1 gets N(0, 0.1^2); each of the 29 protein parameters with
     p = 0.15 gets N(0, 0.1^2), then the clamps by parameter name); 4 fresh random genomes
     (W1 ~ N(0,1) sqrt(2/256), W2 ~ N(0,1) sqrt(2/8), biases 0, default proteins).

Protein cascade with the legacy reset bug (sensor min = max = 0, alpha = 0 at every evaluation): the
sensor min/max become running min/max including 0 (cummin/cummax), and the trend EMA and integrator
accumulator are linear recurrences with per-genome constant coefficients, computed as a log-step
(Hillis-Steele) scan over the 20 points. So the cascade needs no Python loop over points. A
point-by-point reference implementation checks the scan at start-up (printed max |difference|).
"""
import math
import os
import sys
import time

import torch

DTYPES = {"float64": torch.float64, "float32": torch.float32}
DTYPE_NAME = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--dtype=")), "float64")
if DTYPE_NAME not in DTYPES:
    raise SystemExit(f"--dtype must be one of {', '.join(DTYPES)}, not {DTYPE_NAME!r}")
torch.set_default_dtype(DTYPES[DTYPE_NAME])   # before any tensor below is made

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "golden"))
import genreg_features  # noqa: E402
from peer_timing import best_seconds, blas_in_use  # noqa: E402

P, D, H, NPTS = 40, 256, 8, 100
N_ELITE, N_SURV, N_CLONE = 8, 12, 16
N_KEEP = N_ELITE + N_SURV            # 20
N_RAND = P - N_KEEP - N_CLONE        # 4
RATE, SCALE = 0.10, 0.10
PROT_RATE, PROT_SCALE = 0.15, 0.10
SAMPLES = torch.arange(0, NPTS, max(1, NPTS // 20))   # 0, 5, ..., 95

# Protein parameters, one row per genome, 29 columns. (name, default, clamp name)
# sensors s_x, s_pred, s_tgt: gain, offset; trends t_x, t_pred, t_tgt: momentum, scale;
# comparators err_cmp, trend_cmp: mode, threshold; integrators err_int, trend_int: decay, scale;
# trust_err, trust_trend, trust_inst: scale, gain, bias.
PARAMS = []
for u in ("s_x", "s_pred", "s_tgt"):
    PARAMS += [(u, "gain", 1.0), (u, "offset", 0.0)]
for u in ("t_x", "t_pred", "t_tgt"):
    PARAMS += [(u, "momentum", 0.9), (u, "scale", 1.0)]
for u in ("err_cmp", "trend_cmp"):
    PARAMS += [(u, "mode", 0.0), (u, "threshold", 0.0)]
for u, d in (("err_int", 0.1), ("trend_int", 0.05)):
    PARAMS += [(u, "decay", d), (u, "scale", 1.0)]
for u, s, g in (("trust_err", -0.1, 2.0), ("trust_trend", 0.05, 1.0), ("trust_inst", -0.05, 1.0)):
    PARAMS += [(u, "scale", s), (u, "gain", g), (u, "bias", 0.0)]
CLAMPS = {"scale": (-0.2, 0.2), "gain": (-3.0, 3.0), "momentum": (0.5, 0.99), "decay": (0.01, 0.5),
          "threshold": (-10.0, 10.0)}
NPAR = len(PARAMS)   # 29
DEFAULTS = torch.tensor([d for _, _, d in PARAMS])
LO = torch.tensor([CLAMPS.get(n, (-math.inf, math.inf))[0] for _, n, _ in PARAMS])
HI = torch.tensor([CLAMPS.get(n, (-math.inf, math.inf))[1] for _, n, _ in PARAMS])


def col(unit, name):
    return next(i for i, (u, n, _) in enumerate(PARAMS) if u == unit and n == name)


def cols(units, name):
    return torch.tensor([col(u, name) for u in units])


SENS = ("s_x", "s_pred", "s_tgt")
TRND = ("t_x", "t_pred", "t_tgt")
CMPS = ("err_cmp", "trend_cmp")
INTS = ("err_int", "trend_int")
TRST = ("trust_err", "trust_trend", "trust_inst")
I_SG, I_SO = cols(SENS, "gain"), cols(SENS, "offset")
I_TM, I_TS = cols(TRND, "momentum"), cols(TRND, "scale")
I_CM, I_CT = cols(CMPS, "mode"), cols(CMPS, "threshold")
I_ID, I_IS = cols(INTS, "decay"), cols(INTS, "scale")
I_RS, I_RG, I_RB = cols(TRST, "scale"), cols(TRST, "gain"), cols(TRST, "bias")


def linear_scan(a, u):
    """z_t = a * z_{t-1} + u_t with z_{-1} = 0, along dim 0; a is constant over t. Log-step scan."""
    z, pw, sh, n = u, a, 1, u.shape[0]
    while sh < n:
        nz = z.clone()
        nz[sh:] += pw * z[:-sh]
        z, pw, sh = nz, pw * pw, sh * 2
    return z


def compare(a, b, mode, thr):
    m = torch.remainder(torch.trunc(mode), 4)          # int(mode) mod 4, Python semantics
    one = torch.ones_like(a)
    c = torch.tanh(a - b)
    if bool((m != 0).any()):
        c = torch.where(m == 1, torch.tanh(a / (b + 1e-6)), c)
        c = torch.where(m == 2, torch.where(a > b + thr, one, -one), c)
        c = torch.where(m == 3, torch.where(a < b - thr, one, -one), c)
    return c


def trust_scan(prm, xs, preds, tgts):
    """Total trust per genome. prm [P,29]; xs, tgts [T]; preds [T,P]. Legacy reset bug."""
    t, p = preds.shape
    v = torch.stack([xs[:, None].expand(t, p), preds, tgts[:, None].expand(t, p)], dim=2)   # [T,P,3]
    mn = torch.cummin(v, 0).values.clamp(max=0.0)       # min starts at 0, alpha = 0
    mx = torch.cummax(v, 0).values.clamp(min=0.0)
    rng = mx - mn
    norm = torch.where(rng > 1e-6, 2.0 * (v - mn) / rng - 1.0, torch.zeros_like(v))
    s = torch.tanh(prm[:, I_SG] * norm + prm[:, I_SO])                                        # sensors
    d = s.clone()
    d[1:] -= s[:-1]                                                                           # prev starts 0
    m = prm[:, I_TM]
    tr = torch.tanh(prm[:, I_TS] * linear_scan(m, (1.0 - m) * d))                            # trends
    a = torch.stack([s[..., 1], tr[..., 1]], dim=2)
    b = torch.stack([s[..., 2], tr[..., 2]], dim=2)
    c = compare(a, b, prm[:, I_CM], prm[:, I_CT])                                             # [T,P,2]
    acc = linear_scan(1.0 - prm[:, I_ID].clamp(0.001, 0.5), c)
    it = torch.tanh(prm[:, I_IS] * acc)                                                       # integrators
    u = torch.stack([it[..., 0], it[..., 1], c[..., 0]], dim=2)
    out = prm[:, I_RS] * torch.tanh(prm[:, I_RG] * u + prm[:, I_RB])                          # trust units
    return out.sum(dim=(0, 2))


def trust_stepwise(prm, xs, preds, tgts):
    """Reference: the cascade point by point (units grouped per kind), legacy reset bug."""
    t, p = preds.shape
    mn, mx = torch.zeros(p, 3), torch.zeros(p, 3)
    alpha = torch.zeros(p, 3)
    prev, ema = torch.zeros(p, 3), torch.zeros(p, 3)
    acc = torch.zeros(p, 2)
    trust = torch.zeros(p)
    m = prm[:, I_TM]
    keep = 1.0 - prm[:, I_ID].clamp(0.001, 0.5)
    for i in range(t):
        v = torch.stack([xs[i].expand(p), preds[i], tgts[i].expand(p)], dim=1)
        mn = torch.where(v < mn, v, mn + alpha * (v - mn))
        mx = torch.where(v > mx, v, mx + alpha * (v - mx))
        rng = mx - mn
        norm = torch.where(rng > 1e-6, 2.0 * (v - mn) / rng - 1.0, torch.zeros_like(v))
        s = torch.tanh(prm[:, I_SG] * norm + prm[:, I_SO])
        ema = m * ema + (1.0 - m) * (s - prev)
        prev = s
        tr = torch.tanh(prm[:, I_TS] * ema)
        c = compare(torch.stack([s[:, 1], tr[:, 1]], 1), torch.stack([s[:, 2], tr[:, 2]], 1),
                    prm[:, I_CM], prm[:, I_CT])
        acc = acc * keep + c
        it = torch.tanh(prm[:, I_IS] * acc)
        u = torch.stack([it[:, 0], it[:, 1], c[:, 0]], 1)
        trust += (prm[:, I_RS] * torch.tanh(prm[:, I_RG] * u + prm[:, I_RB])).sum(1)
    return trust


class Population:
    """Genomes in rank order. W1 is [D, P, H] (genome axis in the middle) so that the whole population's
    first layer is one [D, P*H] matrix. Two pre-allocated buffer sets are swapped each generation."""

    def __init__(self, x, seed=42, stepwise=False):
        self.gen = g = torch.Generator().manual_seed(seed)
        feats = genreg_features.features(x, 16, 240)
        self.X = torch.tensor(feats, dtype=DTYPES[DTYPE_NAME])                      # [100, 256]
        self.y = torch.tensor(genreg_features.np.sin(x), dtype=DTYPES[DTYPE_NAME])  # [100]
        self.xs, self.ys = torch.tensor(x, dtype=DTYPES[DTYPE_NAME])[SAMPLES], self.y[SAMPLES]
        self.trust_fn = trust_stepwise if stepwise else trust_scan
        self.bufs = [self._alloc(), self._alloc()]
        self.W1, self.b1, self.W2, self.b2, self.prm, self.age = self.bufs[0]
        self.W1.copy_(torch.randn(D, P, H, generator=g) * math.sqrt(2.0 / D))
        self.b1.zero_()
        self.W2.copy_(torch.randn(P, H, generator=g) * math.sqrt(2.0 / H))
        self.b2.zero_()
        self.prm.copy_(DEFAULTS.expand(P, NPAR))
        self.age.zero_()
        self.cur = 0
        # scratch for the clone mutation: one flat block for all clone weights, one for proteins
        self.nw = N_CLONE * (D * H + H + H + 1)
        self.noise, self.hit = torch.empty(self.nw), torch.empty(self.nw)
        self.pnoise, self.phit = torch.empty(N_CLONE, NPAR), torch.empty(N_CLONE, NPAR)
        self.fresh1, self.fresh2 = torch.empty(D, N_RAND, H), torch.empty(N_RAND, H)
        self.rows = 0

    @staticmethod
    def _alloc():
        return [torch.empty(D, P, H), torch.empty(P, H), torch.empty(P, H), torch.empty(P),
                torch.empty(P, NPAR), torch.empty(P, dtype=torch.int64)]

    def evaluate(self):
        h = torch.mm(self.X, self.W1.view(D, P * H)).view(NPTS, P, H).add_(self.b1).tanh_()     # [100,40,8]
        out = (h * self.W2).sum(2).add_(self.b2).tanh_()                                        # [100,40]
        mse = (out - self.y[:, None]).square_().mean(0)                                          # [40]
        k = ((h.abs() > 0.95).float().mean(0) > 0.5).sum(1)                                      # [40]
        trust = self.trust_fn(self.prm, self.xs, out[SAMPLES], self.ys)
        fit = -mse * torch.clamp(1.0 + 0.1 * trust, min=0.1)
        best = torch.argmax(fit)
        self.row = (mse.min(), k[best], fit[best])       # logged row: mse_best, k and fitness of best
        self.rows += 1
        return fit

    def evolve(self, fit):
        order = torch.sort(fit, descending=True, stable=True).indices
        src = torch.cat([order[:N_KEEP], order[torch.arange(N_CLONE) % N_ELITE]])   # 36 parents
        g, c0, c1 = self.gen, N_KEEP, N_KEEP + N_CLONE
        nxt = self.bufs[1 - self.cur]
        W1, b1, W2, b2, prm, age = nxt
        torch.index_select(self.W1, 1, src, out=W1[:, :c1])
        for dst, s in ((b1, self.b1), (W2, self.W2), (b2, self.b2), (prm, self.prm)):
            torch.index_select(s, 0, src, out=dst[:c1])
        # clone mutation: every weight element with p = RATE gets N(0, SCALE^2)
        torch.randn(self.nw, generator=g, out=self.noise)
        torch.rand(self.nw, generator=g, out=self.hit)
        self.hit.lt_(RATE)                                   # 1.0 where mutated, else 0.0
        o = 0
        for view in (W1[:, c0:c1], b1[c0:c1], W2[c0:c1], b2[c0:c1]):
            n = view.numel()
            shape = (D, N_CLONE, H) if view.dim() == 3 else view.shape
            view.addcmul_(self.noise[o:o + n].view(shape), self.hit[o:o + n].view(shape), value=SCALE)
            o += n
        # protein mutation: p = PROT_RATE, N(0, PROT_SCALE^2), then the clamps by parameter name
        pv = prm[c0:c1]
        torch.randn(N_CLONE, NPAR, generator=g, out=self.pnoise)
        torch.rand(N_CLONE, NPAR, generator=g, out=self.phit)
        pv.addcmul_(self.pnoise, self.phit.lt_(PROT_RATE), value=PROT_SCALE)
        torch.maximum(torch.minimum(pv, HI), LO, out=pv)
        # fresh random genomes
        W1[:, c1:] = torch.randn(D, N_RAND, H, generator=g, out=self.fresh1).mul_(math.sqrt(2.0 / D))
        b1[c1:] = 0.0
        W2[c1:] = torch.randn(N_RAND, H, generator=g, out=self.fresh2).mul_(math.sqrt(2.0 / H))
        b2[c1:] = 0.0
        prm[c1:] = DEFAULTS
        age.zero_()
        age[:c0] = self.age[order[:c0]] + 1
        self.W1, self.b1, self.W2, self.b2, self.prm, self.age = nxt
        self.cur = 1 - self.cur

    def generation(self):
        self.evolve(self.evaluate())


def measure(step, seconds):
    return 1.0 / best_seconds(step, seconds, warmup=20)


def self_check(x):
    """Scan cascade == stepwise cascade on a mutated population (incl. forced comparator modes)."""
    pop = Population(x, seed=7)
    for _ in range(30):
        pop.generation()
    prm = pop.prm.clone()
    prm[::4, I_CM] = torch.tensor([1.3, 2.0])       # exercise all comparator modes
    prm[1::4, I_CM] = torch.tensor([-1.5, 3.7])
    prm[2::4, I_CT] = torch.tensor([0.3, -0.2])
    h = torch.tanh(torch.mm(pop.X, pop.W1.view(D, P * H)).view(NPTS, P, H) + pop.b1)
    out = torch.tanh((h * pop.W2).sum(2) + pop.b2)[SAMPLES]
    a = trust_scan(prm, pop.xs, out, pop.ys)
    b = trust_stepwise(prm, pop.xs, out, pop.ys)
    return float((a - b).abs().max()), float(b.abs().max())


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    threads, seconds = int(args[0]), float(args[1])
    stepwise = len(args) > 2 and args[2] == "stepwise"
    torch.set_num_threads(threads)
    x = genreg_features.points(NPTS)
    with torch.no_grad():
        diff, mag = self_check(x)
        print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, "
              f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, blas {blas_in_use()}")
        print(f"# workload: P={P} dense genomes, D={D} (16 true + 240 legacy noise), H={H}, {NPTS} points, "
              f"proteins on ({len(SAMPLES)} samples, legacy reset bug), tiers {N_ELITE}/{N_SURV}/{N_CLONE}/{N_RAND}")
        print(f"# {DTYPE_NAME}, torch.no_grad; evaluate = 1 GEMM [100,256]x[256,{P * H}] + scan protein cascade; "
              f"scan vs stepwise trust max|diff| {diff:.2e} (max|trust| {mag:.3f})", flush=True)
        if diff > 1e-4 * max(1.0, mag):
            raise SystemExit("scan protein cascade disagrees with the stepwise reference")
        pop = Population(x)
        print(f"result ga_generation {measure(pop.generation, seconds):.3f}", flush=True)
        mse_best, k_best, fit_best = (float(v) for v in pop.row)
        print(f"# after {pop.rows} generations: mse_best {mse_best:.5f}, k {int(k_best)}/{H}, "
              f"fitness_best {fit_best:.5f}, age_max {int(pop.age.max())}", flush=True)
        if stepwise:
            pop = Population(x, stepwise=True)
            print(f"result ga_generation_stepwise {measure(pop.generation, seconds):.3f}", flush=True)


if __name__ == "__main__":
    main()
