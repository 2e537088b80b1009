"""One PyTorch measurement, run by bench/run.mjs: python3 torch_bench.py '<json task>'.

Prints one JSON line. Run with OPENBLAS_CORETYPE=Cooperlake so that Debian's OpenBLAS uses its
AVX-512 kernels (0.3.21 detects this CPU as a generic core otherwise); the thread count comes from
the task (torch.set_num_threads).

PyTorch in its strongest CPU configuration for these small networks (1.13):
- Adam with foreach=True (the multi-tensor implementation: one kernel per operation over all
  parameters instead of a Python loop over them; 1.13's default on the CPU is the for-loop one).
  fused=True exists in 1.13 but only for CUDA parameters ("FusedAdam requires all the params to be
  CUDA"), so it is not an option here.
- zero_grad(set_to_none=True): the gradients are dropped rather than zero-filled (the default only
  from 2.0 on).
- Inference under torch.inference_mode() (lighter than no_grad: no version counters or views
  tracking).
Task keys: kind (gemm | train | infer), model (bn-mlp | mlp512 | lenet5), batch, data (a directory
written by bench/mnist_batches.mjs), samples, rounds, threads, foreach (default true).
"""
import json
import os
import sys
import time

import numpy as np
import torch

task = json.loads(sys.argv[1])
torch.set_num_threads(task["threads"])
torch.manual_seed(0)


def best(fn, reps, rounds):
    t = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        t = min(t, (time.perf_counter() - t0) / reps)
    return t * 1000


def build(name):
    nn = torch.nn
    if name == "bn-mlp":
        # The course's network: 784-100-100-100-10, BatchNorm before each sigmoid.
        sizes = [784, 100, 100, 100, 10]
        layers = []
        for i in range(len(sizes) - 2):
            layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.BatchNorm1d(sizes[i + 1]), nn.Sigmoid()]
        layers.append(nn.Linear(sizes[-2], sizes[-1]))
        return nn.Sequential(*layers), (784,)
    if name == "mlp512":
        return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)), (784,)
    if name == "lenet5":
        # descent's lenet5(): conv 5×5 (padding 2) → 6, ReLU, max-pool 2, conv 5×5 → 16, ReLU,
        # max-pool 2, flatten (400), 120, ReLU, 84, ReLU, 10.
        return (
            nn.Sequential(
                nn.Conv2d(1, 6, 5, padding=2),
                nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Conv2d(6, 16, 5),
                nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Flatten(),
                nn.Linear(400, 120),
                nn.ReLU(),
                nn.Linear(120, 84),
                nn.ReLU(),
                nn.Linear(84, 10),
            ),
            (1, 28, 28),
        )
    raise ValueError(f"unknown model {name}")


def mnist(shape, samples):
    """The batches written by bench/mnist_batches.mjs, or random ones of the same shape without data."""
    data = task.get("data")
    if data is None:
        return torch.rand(samples, *shape), torch.randint(0, 10, (samples,))
    x = np.fromfile(os.path.join(data, "mnist_x.f32"), dtype="<f4", count=samples * 784)
    y = np.fromfile(os.path.join(data, "mnist_y.i32"), dtype="<i4", count=samples)
    return torch.from_numpy(x.copy()).reshape(samples, *shape), torch.from_numpy(y.astype(np.int64))


result = dict(task, torch=torch.__version__)
if task["kind"] == "gemm":
    n = task["n"]
    a, b = torch.randn(n, n), torch.randn(n, n)
    a, b = {"nn": (a, b), "tn": (a.t(), b), "nt": (a, b.t())}[task["layout"]]
    call = lambda: torch.matmul(a, b)
    call()
    flops = 2 * n**3
    reps = max(1, round(task.get("budgetFlops", 3e8) / flops))
    ms = best(call, reps, task.get("rounds", 7))
    result["gflops"] = flops / ms / 1e6
else:
    model, shape = build(task.get("model", "bn-mlp"))
    if task["kind"] == "train":
        batch = task.get("batch", 64)
        samples = task.get("samples", batch * 8)
        foreach = task.get("foreach", True)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=foreach)
        result["pytorchSettings"] = {
            "optimizer": f"Adam(lr=1e-3, foreach={foreach})",
            "zeroGrad": "set_to_none=True",
            "fusedAvailable": False,
        }
        xs, ys = mnist(shape, samples)
        batches = [(xs[i : i + batch], ys[i : i + batch]) for i in range(0, samples - batch + 1, batch)]
        result["batches"] = len(batches)
        k = [0]

        def step():
            x, y = batches[k[0] % len(batches)]
            k[0] += 1
            opt.zero_grad(set_to_none=True)
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()

        for _ in range(20):
            step()
        t0 = time.perf_counter()
        for _ in range(10):
            step()
        per = (time.perf_counter() - t0) / 10
        reps = max(3, round(task.get("roundMs", 400) / 1000 / per))
        ms = best(step, reps, task.get("rounds", 5))
        result["msPerStep"] = ms
        result["samplesPerSecond"] = batch / ms * 1000
    else:
        model.eval()
        x = mnist(shape, 1)[0]

        def call():
            with torch.inference_mode():
                model(x).numpy()

        for _ in range(200):
            call()
        result["latencyMs"] = best(call, 200, task.get("rounds", 9))
print(json.dumps(result))
