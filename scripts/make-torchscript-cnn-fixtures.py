"""Writes the TorchScript CNN fixtures of sltk's CNN import tests (Debian python3-torch 1.13).

    /usr/bin/python3 scripts/make-torchscript-cnn-fixtures.py

Writes under src/test/resources/org/sltk/io/cnn/ (a few KB each; committed, the test command
does not regenerate them):

  bn_script.pt, bn_trace.pt   3x16x16 CNN: in-forward (x - mean) / std, conv3x3 (no bias) + BN
                              + ReLU + maxpool2, conv3x3 stride 2 padding 1 + BN + ReLU, conv3x3
                              padding 2 dilation 2 + ReLU + avgpool2, Dropout, Flatten, Linear,
                              ReLU, Identity, Linear; BN with non-trivial running stats and affine
                              parameters; scripted and traced
  seq_trace.pt, seq_script.pt nn.Sequential 1x8x8: conv3x3 + BN + ReLU + avgpool2, flatten,
                              Linear (no normalisation)
  <name>.npz                  beside each positive fixture: x (float32 inputs, signed and
                              in [0, 1]) and logits (torch's float32 outputs on x)
  neg_*.pt                    the negative cases (each must be refused in one line)
  trained_bn_mnist.pt (.npz)  (via --trained) a CNN trained here by torch on the 8,000 training
                              digits of datasets/mnist (seeded, 1 thread, 3 epochs of Adam, a
                              few seconds): in-forward (x - 0.1307) / 0.3081, conv3x3 stride 2
                              padding 1 (no bias) + BN + ReLU + maxpool2, conv3x3 padding 1 + BN
                              + ReLU + avgpool2, Dropout, Flatten, Linear(72, 10); the .npz holds
                              x (the first 16 test digits), logits, and accuracy (torch's on the
                              2,000 test digits)
  ../../../../../../../models/vgg-24-48-96-cifar10/expected-logits.npz (via --vgg): x (4 fixed
                              images in [0, 1]) and torch's logits of the shipped model.pt
"""
import os
import sys

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "test", "resources", "org", "sltk", "io", "cnn")
VGG = os.path.join(ROOT, "models", "vgg-24-48-96-cifar10")

torch.manual_seed(11)
torch.set_num_threads(1)


def randomise_bn(bn):
    """Non-trivial running statistics and affine parameters."""
    c = bn.num_features
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(c) * 0.5)
        bn.running_var.copy_(torch.rand(c) * 2 + 0.25)
        bn.weight.copy_(torch.randn(c))
        bn.bias.copy_(torch.randn(c) * 0.3)
    bn.num_batches_tracked.fill_(100)


class BnNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.49, 0.48, 0.45]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.25, 0.24, 0.26]).view(1, 3, 1, 1))
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(4, 6, 3, stride=2, padding=1), nn.BatchNorm2d(6), nn.ReLU(),
            nn.Conv2d(6, 6, 3, padding=2, dilation=2), nn.ReLU(), nn.AvgPool2d(2),
            nn.Dropout(0.2))
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(24, 16)
        self.act = nn.ReLU()
        self.same = nn.Identity()
        self.fc2 = nn.Linear(16, 5)

    def forward(self, x):
        x = (x - self.mean) / self.std
        return self.fc2(self.same(self.act(self.fc1(self.flatten(self.features(x))))))


def seq_net():
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.AvgPool2d(2),
                         nn.Flatten(), nn.Linear(27, 4))


def prepare(m):
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            randomise_bn(mod)
    return m.eval()


def inputs(shape, n=6):
    """Half signed, half in [0, 1]: fixed by the seed."""
    g = torch.Generator().manual_seed(3)
    a = torch.randn((n // 2,) + shape, generator=g)
    b = torch.rand((n - n // 2,) + shape, generator=g)
    return torch.cat([a, b])


def positive(name, module, shape, traced):
    path = os.path.join(OUT, name + ".pt")
    x = inputs(shape)
    s = torch.jit.trace(module, x[:1]) if traced else torch.jit.script(module)
    s.save(path)
    back = torch.jit.load(path)
    with torch.no_grad():
        y = back(x)
        assert torch.equal(y, module(x))
    np.savez(os.path.join(OUT, name + ".npz"), x=x.numpy(), logits=y.numpy())


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 2, 3, padding=1)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(2, 2, 3, padding=1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        y = self.conv2(self.relu(self.conv1(x)))
        return self.fc(self.flatten(x + y))


class CatNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3, padding=1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64, 3)

    def forward(self, x):
        return self.fc(self.flatten(torch.cat([self.conv(x), x], 1)))


def small(*mods, c=2, fc_in=None):
    """Sequential of mods + Flatten + Linear; fc_in inferred from a 2x4x4 input."""
    body = nn.Sequential(*mods)
    with torch.no_grad():
        n = body(torch.zeros(1, c, 4, 4)).numel() if fc_in is None else fc_in
    return nn.Sequential(*mods, nn.Flatten(), nn.Linear(n, 3))


def negatives():
    cases = {
        "neg_residual": Residual(),
        "neg_tanh": small(nn.Conv2d(2, 2, 3), nn.Tanh()),
        "neg_gelu": small(nn.Conv2d(2, 2, 3), nn.GELU()),
        "neg_sigmoid": small(nn.Conv2d(2, 2, 3), nn.Sigmoid()),
        "neg_unknown_module": small(nn.ZeroPad2d(1), nn.Conv2d(2, 2, 3)),
        "neg_unknown_op": CatNet(),
        "neg_groups": small(nn.Conv2d(2, 2, 3, groups=2), nn.ReLU()),
        "neg_bn_after_relu": small(nn.Conv2d(2, 2, 3), nn.ReLU(), nn.BatchNorm2d(2)),
        "neg_bn_first": small(nn.BatchNorm2d(2), nn.Conv2d(2, 2, 3)),
        "neg_nonsquare": small(nn.Conv2d(2, 2, (3, 1))),
        "neg_stride": small(nn.Conv2d(2, 2, 3, stride=(1, 2))),
        "neg_reflect": small(nn.Conv2d(2, 2, 3, padding=1, padding_mode="reflect")),
        "neg_pool_overlap": small(nn.Conv2d(2, 2, 1), nn.MaxPool2d(3, stride=1)),
    }
    for name, m in cases.items():
        prepare(m)
        torch.jit.script(m).save(os.path.join(OUT, name + ".pt"))
    train = small(nn.Conv2d(2, 2, 3), nn.BatchNorm2d(2))
    prepare(train)
    train[1].train()  # BN left in training mode
    torch.jit.script(train).save(os.path.join(OUT, "neg_bn_training.pt"))
    traced = small(nn.Conv2d(2, 2, 3), nn.Tanh())
    prepare(traced)
    torch.jit.trace(traced, torch.zeros(1, 2, 4, 4)).save(
        os.path.join(OUT, "neg_tanh_trace.pt"))


def vgg():
    model = torch.jit.load(os.path.join(VGG, "model.pt")).eval()
    g = torch.Generator().manual_seed(7)
    x = torch.rand(4, 3, 32, 32, generator=g)
    with torch.no_grad():
        y = model(x)
    np.savez(os.path.join(VGG, "expected-logits.npz"), x=x.numpy(), logits=y.numpy())


def idx(name):
    import gzip
    with gzip.open(os.path.join(ROOT, "datasets", "mnist", name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class TrainedNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.1307]).view(1, 1, 1, 1))
        self.register_buffer("std", torch.tensor([0.3081]).view(1, 1, 1, 1))
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(6), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AvgPool2d(2),
            nn.Dropout(0.1), nn.Flatten())
        self.fc = nn.Linear(72, 10)

    def forward(self, x):
        x = (x - self.mean) / self.std
        return self.fc(self.features(x))


def trained():
    """A small BN CNN trained by torch on real digits: the CLI's whole-path test imports it."""
    torch.manual_seed(5)
    xs = torch.from_numpy(idx("train-images-idx3-ubyte.gz").astype(np.float32) / 255).unsqueeze(1)
    ys = torch.from_numpy(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    xt = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz").astype(np.float32) / 255).unsqueeze(1)
    yt = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    m = TrainedNet()
    opt = torch.optim.Adam(m.parameters(), lr=5e-3)
    for epoch in range(3):
        m.train()
        order = torch.randperm(len(xs))
        for i in range(0, len(xs), 64):
            b = order[i:i + 64]
            opt.zero_grad()
            nn.functional.cross_entropy(m(xs[b]), ys[b]).backward()
            opt.step()
    m.eval()
    path = os.path.join(OUT, "trained_bn_mnist.pt")
    torch.jit.script(m).save(path)
    back = torch.jit.load(path)
    with torch.no_grad():
        acc = float((back(xt).argmax(1) == yt).double().mean())
        y = back(xt[:16])
    print("trained_bn_mnist: test accuracy %.4f on %d digits" % (acc, len(xt)))
    np.savez(os.path.join(OUT, "trained_bn_mnist.npz"), x=xt[:16].numpy(), logits=y.numpy(),
             accuracy=np.array([acc]))


def main():
    os.makedirs(OUT, exist_ok=True)
    for traced in (False, True):
        suffix = "trace" if traced else "script"
        positive("bn_" + suffix, prepare(BnNet()), (3, 16, 16), traced)
        positive("seq_" + suffix, prepare(seq_net()), (1, 8, 8), traced)
    negatives()
    if "--trained" in sys.argv:
        trained()
    if "--vgg" in sys.argv:
        vgg()


if __name__ == "__main__":
    main()
