#!/usr/bin/python3
"""Train sltk's shipped CIFAR-10 target with PyTorch and save it as TorchScript.

VGG-style: [conv3x3-BN-ReLU]x2, max-pool, x3 stages (c1,c2,c3 channels), then Flatten-Linear.
The input normalisation (x - mean) / std runs inside forward, so the file takes raw [0,1] pixels.
Usage: /usr/bin/python3 scripts/train-cifar10-target.py PACKAGE_DIR OUT.pt [--epochs E] [--channels 32,64,128] [--seed S]
"""
import argparse, json, time, sys, os
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from PIL import Image

MEAN = [0.4914, 0.4822, 0.4465]
STD = [0.2470, 0.2435, 0.2616]

def load(pkg, names, labels):
    xs = []
    for n in names:
        a = np.asarray(Image.open(os.path.join(pkg, n)).convert("RGB"))  # (10000, 1024, 3)
        assert a.shape == (10000, 1024, 3), a.shape
        xs.append(a.reshape(10000, 32, 32, 3).transpose(0, 3, 1, 2))
    y = np.array(json.load(open(os.path.join(pkg, labels))), dtype=np.int64)
    x = np.concatenate(xs)
    assert len(y) == len(x) and y.min() == 0 and y.max() == 9
    return torch.from_numpy(x.copy()), torch.from_numpy(y)

class Net(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1))
        layers, c = [], 3
        for o in ch:
            for _ in range(2):
                layers += [nn.Conv2d(c, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]
                c = o
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.flatten = nn.Flatten()
        self.classifier = nn.Linear(c * 4 * 4, 10)

    def forward(self, x):
        x = (x - self.mean) / self.std
        return self.classifier(self.flatten(self.features(x)))

def main():
    p = argparse.ArgumentParser()
    p.add_argument("pkg"); p.add_argument("out")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--channels", default="32,64,128")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--limit-batches", type=int, default=0)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(os.cpu_count())
    xtr, ytr = load(a.pkg, [f"data_batch_{i}.png" for i in range(1, 6)], "train_lables.json")
    xte, yte = load(a.pkg, ["test_batch.png"], "test_lables.json")
    net = Net([int(c) for c in a.channels.split(",")])
    steps = a.epochs * ((len(xtr) + a.batch - 1) // a.batch)
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=0.9, weight_decay=5e-4, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr * 2, total_steps=steps)
    g = torch.Generator().manual_seed(a.seed)
    t0 = time.time()
    hist = []
    for ep in range(a.epochs):
        net.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, n = 0.0, 0
        for bi, i in enumerate(range(0, len(xtr), a.batch)):
            idx = perm[i:i + a.batch]
            x = xtr[idx].float() / 255
            # augmentation: random crop with 4-pixel zero padding, horizontal flip
            x = F.pad(x, (4, 4, 4, 4))
            dx, dy = torch.randint(0, 9, (2,), generator=g).tolist()
            x = x[:, :, dy:dy + 32, dx:dx + 32]
            flip = torch.rand(len(x), generator=g) < 0.5
            x = torch.where(flip.view(-1, 1, 1, 1), x.flip(3), x)
            loss = F.cross_entropy(net(x), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            tot += loss.item() * len(idx); n += len(idx)
            if a.limit_batches and bi + 1 >= a.limit_batches:
                print(f"{bi+1} batches {time.time()-t0:.1f}s", flush=True); return
        acc = evaluate(net, xte, yte)
        hist.append({"epoch": ep + 1, "loss": tot / n, "test_accuracy": acc, "seconds": time.time() - t0})
        print(json.dumps(hist[-1]), flush=True)
    net.eval()
    ts = torch.jit.script(net)
    tmp = a.out + ".tmp"
    ts.save(tmp); os.replace(tmp, a.out)
    json.dump({"channels": a.channels, "epochs": a.epochs, "seed": a.seed, "batch": a.batch, "lr": a.lr,
               "torch": torch.__version__, "history": hist, "seconds": time.time() - t0,
               "test_accuracy": hist[-1]["test_accuracy"]}, open(a.out + ".json", "w"), indent=1)

def evaluate(net, x, y):
    net.eval(); c = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            c += (net(x[i:i+1000].float() / 255).argmax(1) == y[i:i+1000]).sum().item()
    return c / len(x)

if __name__ == "__main__":
    main()
