#!/usr/bin/python3
"""PyTorch peer for tools/bench TensorsBench (Emergence.Tensors workloads).

Usage: torch_tensors.py THREADS SECONDS SCENARIO [SCENARIO ...]
Scenarios: mlp40, transformer32, transformer128, hopfield.
Prints '# ...' configuration lines, then 'result SCENARIO RATE' (iterations per second, best of
repeated timed batches after warm-up). Same workloads as the C# side:
- mlp40: 40 separate nn.Sequential(Linear(256,8), Tanh, Linear(8,1)), torch.no_grad, forward of the
  same 100×256 points through each; one iteration = one generation (all 40 nets).
- transformerD: 1-layer pre-LN causal transformer (d_model D, 4 heads, FFN 64 or 512, GELU-tanh),
  vocab 98, seq 3, batch 512, token+position embeddings, cross-entropy on random targets; one
  iteration = zero_grad + forward + backward + AdamW step.
- hopfield: N=1000, batch 64, 20 steps of s = tanh(s·W + b), loss = mean(s²), backward to W and b.
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from peer_timing import best_seconds, blas_in_use


class Block(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.f0, self.f1 = nn.Linear(d, ffn), nn.Linear(ffn, d)

    def forward(self, x):
        b, t, c = x.shape
        h, d = self.heads, c // self.heads
        z = self.ln1(x)
        q, k, v = (l(z).view(b, t, h, d).permute(0, 2, 1, 3) for l in (self.q, self.k, self.v))
        s = (q @ k.transpose(-1, -2)) / math.sqrt(d)
        s = s.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf"))
        a = (torch.softmax(s, -1) @ v).permute(0, 2, 1, 3).reshape(b, t, c)
        x = x + self.o(a)
        return x + self.f1(F.gelu(self.f0(self.ln2(x)), approximate="tanh"))


class Micro(nn.Module):
    def __init__(self, vocab, seq, d, heads, ffn):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(seq, d)
        self.block, self.lnf, self.head = Block(d, heads, ffn), nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
        return self.head(self.lnf(self.block(x)))


def mlp40():
    nets = [nn.Sequential(nn.Linear(256, 8), nn.Tanh(), nn.Linear(8, 1)) for _ in range(40)]
    x = torch.randn(100, 256)

    def step():
        with torch.no_grad():
            for n in nets:
                n(x)
    return step


def transformer(d, ffn):
    model = Micro(98, 3, d, 4, ffn)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids = torch.randint(0, 98, (512, 3))
    tgt = torch.randint(0, 98, (512 * 3,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(ids).reshape(-1, 98), tgt)
        loss.backward()
        opt.step()
    return step


def hopfield():
    n, batch = 1000, 64
    w = (torch.randn(n, n) / math.sqrt(n)).requires_grad_()
    b = torch.zeros(n).requires_grad_()
    s0 = torch.randn(batch, n)

    def step():
        w.grad = None
        b.grad = None
        s = s0
        for _ in range(20):
            s = torch.tanh(s @ w + b)
        (s * s).mean().backward()
    return step


SCENARIOS = {"mlp40": mlp40, "transformer32": lambda: transformer(32, 64),
             "transformer128": lambda: transformer(128, 512), "hopfield": hopfield}


def measure(step, seconds):
    return 1.0 / best_seconds(step, seconds)


def main():
    threads, seconds = int(sys.argv[1]), float(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')}, blas {blas_in_use()}")
    for name in sys.argv[3:]:
        print(f"result {name} {measure(SCENARIOS[name](), seconds):.3f}", flush=True)


if __name__ == "__main__":
    main()
