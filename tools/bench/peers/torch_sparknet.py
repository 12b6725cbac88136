#!/usr/bin/python3
"""Vectorised PyTorch peer of one SparkNet step (spec /work/shared/specs/sparknet.md §2), n=500, K=3, defaults.

Run with /usr/bin/python3 and env OPENBLAS_CORETYPE=SKYLAKEX (the C# bench sets it).
Usage: torch_sparknet.py STEPS. Prints '# ...' configuration lines, then
'sparknet nolayout US_PER_STEP' and 'sparknet layout US_PER_STEP' (faithful layout every 5 steps),
each the best of 3 timed runs after 200 warm-up steps. float32 state, torch.set_num_threads(2).
Sparks are sequential by definition (each sees the previous spark's changes), so the spark loop stays
in Python; everything per-neuron (recurrent update, logits, softmax, decay, layout forces) is one tensor op.
"""
import os
import sys
import time

import torch

N, K = 500, 3
P = dict(state_decay=0.95, noise_std=0.05, lr_edge=0.05, lr_global_decay=0.001, weight_clip=1.0, mem_decay=0.92,
         mem_deposit=0.15, mem_bias=0.8, explore_chance=0.05, temperature=0.3, eps=1e-6, respawn_gain=2.0,
         rho=0.98, e_min=0.05, force=5, layout_steps=5, layout_lr=0.01, rep=0.001, att=0.02, freq=5)


class SparkNet:
    def __init__(self, seed=1):
        self.gen = torch.Generator().manual_seed(seed)
        self.layout_gen = torch.Generator().manual_seed(seed + 1)
        self.W = torch.randn(N, N, generator=self.gen) * 0.1
        self.s = torch.zeros(N)
        self.M = torch.zeros(N)
        self.pos = torch.randint(0, N, (K,), generator=self.gen).tolist()
        self.energy = [1.0] * K
        self.age = [0] * K
        self.t = 0

    def step(self, layout):
        p_ = P
        self.t += 1
        self.M.mul_(p_["mem_decay"])
        noise = torch.randn(N, generator=self.gen)
        self.s = torch.sigmoid(torch.mv(self.W, self.s * p_["state_decay"]) + p_["noise_std"] * noise)
        for k in range(K):
            if self.age[k] < p_["force"]:
                self.s[self.pos[k]] = 1.0
        for k in range(K):
            p = self.pos[k]
            if torch.rand(1, generator=self.gen).item() < p_["explore_chance"]:
                q = int(torch.randint(0, N, (1,), generator=self.gen))
            else:
                logits = (torch.relu(self.W[p]) + p_["eps"]) / p_["temperature"] + p_["mem_bias"] * self.M
                q = int(torch.multinomial(torch.softmax(logits, 0), 1, generator=self.gen))
            self.pos[k] = q
            self.W[q, p] = (1 - p_["lr_edge"]) * self.W[q, p] + p_["lr_edge"] * self.s[p]
            self.M[q] += p_["mem_deposit"]
            self.energy[k] *= p_["rho"]
            self.s[q] = self.energy[k]
            self.age[k] += 1
            if self.energy[k] < p_["e_min"]:
                if float(self.M.sum()) > 0:
                    r = int(torch.multinomial(torch.softmax(p_["respawn_gain"] * self.M, 0), 1, generator=self.gen))
                else:
                    r = int(torch.randint(0, N, (1,), generator=self.gen))
                self.pos[k], self.energy[k], self.age[k] = r, 1.0, 0
        self.W.mul_(1 - p_["lr_global_decay"]).clamp_(-p_["weight_clip"], p_["weight_clip"])
        if layout and self.t % p_["freq"] == 0:
            self.layout()

    def layout(self):
        p_ = P
        pts = torch.randn(N, 2, generator=self.layout_gen)
        wp = torch.relu(self.W)
        m = wp.max()
        if m > 0:
            wp = wp / m
        for _ in range(p_["layout_steps"]):
            diff = pts[:, None, :] - pts[None, :, :]             # (N, N, 2): P_i - P_j
            d = diff.norm(dim=2) + 1e-6                            # (N, N)
            coef = -p_["rep"] / (d * d) + p_["att"] * wp           # (N, N)
            pts = pts + p_["layout_lr"] * (coef[:, :, None] * diff).sum(1)
        return pts


def measure(steps, layout):
    net = SparkNet()
    for _ in range(200):
        net.step(layout)
    best, best_cpu = float("inf"), float("inf")
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(steps):
            net.step(layout)
        best = min(best, (time.perf_counter() - t0) / steps)
        best_cpu = min(best_cpu, (time.process_time() - c0) / steps)
    print(f"# {'layout' if layout else 'nolayout'}: process CPU {best_cpu * 1e6:.1f} us/step (all threads)", flush=True)
    return best * 1e6


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    torch.set_num_threads(2)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, n={N}, K={K}, steps={steps}")
    sys.stdout.flush()
    with torch.no_grad():
        print(f"sparknet nolayout {measure(steps, False):.2f}", flush=True)
        print(f"sparknet layout {measure(steps, True):.2f}", flush=True)


if __name__ == "__main__":
    main()
