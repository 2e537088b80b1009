"""PyTorch CUDA baseline for the WebGPU rows of issue 16, run by bench/gpu/run.sh on a lent GPU.

    python3 bench/gpu/torch_cuda_bench.py [--data DIR] [--out FILE] [--quick] [--cpu-check]

Measures, on the first CUDA device, in fp32 (TF32 off: the WebGPU kernels compute in fp32):
- cuBLAS GEMM C = op(A)·op(B) at n = 4096 in the four transpose layouts (AB, AᵀB, ABᵀ, AᵀBᵀ), GFLOP/s;
- training samples/s of the four rows bench/webgpu.mjs measures (the course's network 784-100-100-100-10
  with BatchNorm and sigmoid at batch 64, 784-512-512-10 ReLU at 128, 784-4096×3-10 ReLU at 1024,
  LeNet-5 at 256): Adam (lr 1e-3, fused=True where this PyTorch has it, else foreach), zero_grad
  (set_to_none=True), cross-entropy on class indices. As bench/torch_bench.py does, the batches are
  sliced once before timing (and here moved to the GPU once), so the loop times the steps alone. Each
  round ends with torch.cuda.synchronize().

--data: a directory written by bench/mnist_batches.mjs (mnist_x.f32, mnist_y.i32; 1,024 digits);
without it, random data of the same shapes. Prints one JSON line and writes it to --out when given.

Without CUDA it refuses (exit 2) with the reason. --cpu-check runs the same code on CPU tensors at
tiny sizes and rounds, to check the script's logic where there is no GPU; its numbers mean nothing.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

LAYOUTS = {"nn": "AB", "tn": "AᵀB", "nt": "ABᵀ", "tt": "AᵀBᵀ"}
TRAININGS = [
    ("train bn-mlp b=64", "bn-mlp", 64),
    ("train mlp512 b=128", "mlp512", 128),
    ("train mlp4096 b=1024", "mlp4096", 1024),
    ("train lenet5 b=256", "lenet5", 256),
]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", help="directory of bench/mnist_batches.mjs (mnist_x.f32, mnist_y.i32)")
    p.add_argument("--out", help="also write the JSON here")
    p.add_argument("--quick", action="store_true", help="fewer rounds")
    p.add_argument("--cpu-check", action="store_true", help="run on CPU tensors at tiny sizes (logic check only)")
    return p.parse_args()


class Bench:
    def __init__(self, device, cpu_check, quick):
        self.device = device
        self.cpu_check = cpu_check
        self.rounds = 2 if (quick or cpu_check) else 5

    def sync(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize()

    def best_ms(self, fn, round_ms):
        """Best time per call (ms) over rounds of about round_ms, each ended by a synchronize."""
        fn()
        self.sync()
        t0 = time.perf_counter()
        for _ in range(3):
            fn()
        self.sync()
        estimate = (time.perf_counter() - t0) / 3
        reps = 1 if self.cpu_check else max(3, round(round_ms / 1000 / estimate))
        best = float("inf")
        for _ in range(self.rounds):
            t0 = time.perf_counter()
            for _ in range(reps):
                fn()
            self.sync()
            best = min(best, (time.perf_counter() - t0) / reps)
        return best * 1000, reps


def build(name):
    nn = torch.nn
    if name == "bn-mlp":
        sizes = [784, 100, 100, 100, 10]
        layers = []
        for i in range(len(sizes) - 2):
            layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.BatchNorm1d(sizes[i + 1]), nn.Sigmoid()]
        layers.append(nn.Linear(sizes[-2], sizes[-1]))
        return nn.Sequential(*layers), (784,)
    if name in ("mlp512", "mlp4096"):
        width = 512 if name == "mlp512" else 4096
        hidden = 2 if name == "mlp512" else 3
        sizes = [784] + [width] * hidden
        layers = []
        for i in range(hidden):
            layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.ReLU()]
        layers.append(nn.Linear(width, 10))
        return nn.Sequential(*layers), (784,)
    if name == "lenet5":
        # descent's lenet5(): conv 5×5 (padding 2) → 6, ReLU, max-pool 2, conv 5×5 → 16, ReLU,
        # max-pool 2, flatten (400), 120, ReLU, 84, ReLU, 10.
        return (
            nn.Sequential(
                nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
            ),
            (1, 28, 28),
        )
    raise ValueError(f"unknown model {name}")


def mnist(data, samples):
    """The digits of bench/mnist_batches.mjs as [samples, 784] float32 and int64 labels, or random ones."""
    if data is None:
        g = torch.Generator().manual_seed(0)
        return torch.rand(samples, 784, generator=g), torch.randint(0, 10, (samples,), generator=g)
    x = np.fromfile(os.path.join(data, "mnist_x.f32"), dtype="<f4")
    y = np.fromfile(os.path.join(data, "mnist_y.i32"), dtype="<i4")
    have = len(y)
    if have < samples:  # fewer digits than one batch of 1024: cycle them
        reps = -(-samples // have)
        x, y = np.tile(x, reps), np.tile(y, reps)
    x = torch.from_numpy(x[: samples * 784].copy()).reshape(samples, 784)
    return x, torch.from_numpy(y[:samples].astype(np.int64))


def adam(params):
    """Adam with lr 1e-3 in PyTorch's fastest form here: fused on CUDA where it exists, else foreach."""
    try:
        return torch.optim.Adam(params, lr=1e-3, fused=True), "Adam(lr=1e-3, fused=True)"
    except (TypeError, RuntimeError, ValueError):
        return torch.optim.Adam(params, lr=1e-3, foreach=True), "Adam(lr=1e-3, foreach=True)"


def gemm_rows(bench, sizes):
    rows = []
    for n in sizes:
        g = torch.Generator(device=bench.device).manual_seed(1)
        a = torch.randn(n, n, device=bench.device, generator=g)
        b = torch.randn(n, n, device=bench.device, generator=g)
        for layout, name in LAYOUTS.items():
            x = a.t() if layout[0] == "t" else a
            y = b.t() if layout[1] == "t" else b
            ms, reps = bench.best_ms(lambda: torch.matmul(x, y), 300)
            label = f"gemm n={n}" + ("" if layout == "nn" else f" {name}")
            rows.append({"label": label, "kind": "gemm", "n": n, "layout": layout, "reps": reps, "gflops": 2 * n**3 / ms / 1e6})
    return rows


def train_row(bench, label, model_name, batch, data, samples):
    torch.manual_seed(0)
    model, shape = build(model_name)
    model = model.to(bench.device)
    opt, opt_name = adam(model.parameters()) if bench.device.type == "cuda" else (
        torch.optim.Adam(model.parameters(), lr=1e-3, foreach=True), "Adam(lr=1e-3, foreach=True)")
    xs, ys = mnist(data, max(samples, batch))
    xs = xs.reshape(-1, *shape).to(bench.device)
    ys = ys.to(bench.device)
    batches = [(xs[i : i + batch], ys[i : i + batch]) for i in range(0, len(ys) - batch + 1, batch)]
    k = [0]

    def step():
        x, y = batches[k[0] % len(batches)]
        k[0] += 1
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    for _ in range(1 if bench.cpu_check else 20):
        step()
    ms, reps = bench.best_ms(step, 400)
    return {"label": label, "kind": "train", "model": model_name, "batch": batch, "batches": len(batches),
            "optimizer": opt_name, "reps": reps, "msPerStep": ms, "samplesPerSecond": batch / ms * 1000}


def main():
    args = parse_args()
    if args.cpu_check:
        device = torch.device("cpu")
    elif not torch.cuda.is_available():
        print(f"torch_cuda_bench: CUDA is not available to PyTorch {torch.__version__} "
              f"(torch.version.cuda = {torch.version.cuda}); this baseline needs a CUDA GPU "
              "(use --cpu-check to check the script's logic on the CPU)", file=sys.stderr)
        sys.exit(2)
    else:
        device = torch.device("cuda")
        # fp32 products, as the WebGPU kernels compute (TF32 would be ~8× faster and less precise).
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    bench = Bench(device, args.cpu_check, args.quick)
    samples = 1024
    result = {
        "engine": "pytorch-cuda" if device.type == "cuda" else "pytorch-cpu (--cpu-check: logic only)",
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
        "tf32": False,
        "data": args.data or "random",
        "results": gemm_rows(bench, [64] if args.cpu_check else [4096]),
    }
    for label, model_name, batch in TRAININGS:
        if args.cpu_check and model_name == "mlp4096":
            batch = 16  # the shapes and the code path, not the size
        result["results"].append(train_row(bench, label, model_name, batch, args.data, samples))
    line = json.dumps(result)
    print(line)
    if args.out:
        with open(args.out, "w") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
