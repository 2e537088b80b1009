"""PyTorch baseline for the accuracy comparison (the training issue's "measured on real data").

Trains on the split written by export_data.mjs and prints one JSON line with the test accuracy.
Usage: OPENBLAS_CORETYPE=Cooperlake /usr/bin/python3 bench/accuracy/torch_baseline.py <data-dir> <course|lenet5> <epochs> <seed>
"""
import json
import os
import sys
import time

import numpy as np
import torch

data_dir, model_name, epochs, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
meta = json.load(open(os.path.join(data_dir, "meta.json")))
shape = [-1] + meta["sampleShape"]


def load(split):
    x = np.fromfile(os.path.join(data_dir, f"{split}_x.f32"), dtype="<f4").reshape(shape)
    y = np.fromfile(os.path.join(data_dir, f"{split}_y.i32"), dtype="<i4").astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


torch.manual_seed(seed)
xtr, ytr = load("train")
xte, yte = load("test")
if model_name == "course":
    # The course's network: 784-100-100-100-10, sigmoid, batch normalization before each activation.
    layers = []
    sizes = [784, 100, 100, 100]
    for a, b in zip(sizes, sizes[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.BatchNorm1d(b), torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(100, 10))
else:
    # LeNet-5 for 28x28 inputs with ReLU and max pooling, as descent's lenet5().
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(400, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(),
        torch.nn.Linear(84, 10),
    )
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
start = time.time()
for epoch in range(epochs):
    model.train()
    for xb, yb in loader:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(xb), yb).backward()
        opt.step()
seconds = time.time() - start
model.eval()
with torch.no_grad():
    logits = torch.cat([model(xte[i:i + 1000]) for i in range(0, len(xte), 1000)])
    acc = (logits.argmax(1) == yte).float().mean().item()
print(json.dumps({"framework": "pytorch", "torch": torch.__version__, "model": model_name, "epochs": epochs, "seed": seed,
                  "testAccuracy": acc, "trainSeconds": seconds, "threads": torch.get_num_threads()}))
