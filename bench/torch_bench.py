"""One PyTorch measurement, run by bench/run.mjs: python3 torch_bench.py '<json task>'.

Prints one JSON line. Run with OPENBLAS_CORETYPE=Cooperlake so that Debian's OpenBLAS uses its
AVX-512 kernels (0.3.21 detects this CPU as a generic core otherwise); the thread count comes from
the task (torch.set_num_threads).
"""
import json
import sys
import time

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
    sizes = [784, 100, 100, 100, 10]
    layers = []
    for i in range(len(sizes) - 2):
        layers += [torch.nn.Linear(sizes[i], sizes[i + 1]), torch.nn.BatchNorm1d(sizes[i + 1]), torch.nn.Sigmoid()]
    layers.append(torch.nn.Linear(sizes[-2], sizes[-1]))
    model = torch.nn.Sequential(*layers)
    if task["kind"] == "train":
        batch = task.get("batch", 64)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        batches = [(torch.rand(batch, 784), torch.randint(0, 10, (batch,))) for _ in range(8)]
        k = [0]

        def step():
            x, y = batches[k[0] % len(batches)]
            k[0] += 1
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()

        for _ in range(20):
            step()
        t0 = time.perf_counter()
        for _ in range(10):
            step()
        per = (time.perf_counter() - t0) / 10
        reps = max(3, round(0.4 / per))
        ms = best(step, reps, task.get("rounds", 5))
        result["msPerStep"] = ms
        result["samplesPerSecond"] = batch / ms * 1000
    else:
        model.eval()
        x = torch.rand(1, 784)

        def call():
            with torch.no_grad():
                model(x).numpy()

        for _ in range(200):
            call()
        result["latencyMs"] = best(call, 200, task.get("rounds", 9))
print(json.dumps(result))
