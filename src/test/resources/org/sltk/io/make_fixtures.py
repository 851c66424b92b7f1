"""Writes the TorchScript fixtures of org.sltk.io's import tests (run with Debian's python3-torch 1.13).

    cd src/test/resources/org/sltk/io && /usr/bin/python3 make_fixtures.py

mlp_relu.pt     scripted 784-16-10 ReLU MLP (fc1, act1, fc2), plus mlp_relu.npz with the same weights
seq_relu.pt     traced nn.Sequential(Flatten, Linear 784-8, ReLU, Linear 8-8, ReLU, Linear 8-10)
mlp_tanh.pt     scripted 20-8-3 MLP whose activation module 'act1' is Tanh (must be refused)
mlp_sigmoid_fn.pt  scripted 20-8-3 MLP calling torch.sigmoid in forward (must be refused)
"""
import numpy as np
import torch

torch.manual_seed(5)


class Mlp(torch.nn.Module):
    def __init__(self, widths, act):
        super().__init__()
        self.fc1 = torch.nn.Linear(widths[0], widths[1])
        self.act1 = act
        self.fc2 = torch.nn.Linear(widths[1], widths[2])

    def forward(self, x):
        return self.fc2(self.act1(self.fc1(x)))


class SigmoidMlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(20, 8)
        self.fc2 = torch.nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(torch.sigmoid(self.fc1(x)))


relu = Mlp([784, 16, 10], torch.nn.ReLU()).eval()
torch.jit.script(relu).save("mlp_relu.pt")
np.savez("mlp_relu.npz", **{k: v.detach().numpy() for k, v in relu.state_dict().items()})

seq = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 8), torch.nn.ReLU(),
                          torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 10)).eval()
torch.jit.trace(seq, torch.zeros(1, 784)).save("seq_relu.pt")

torch.jit.script(Mlp([20, 8, 3], torch.nn.Tanh()).eval()).save("mlp_tanh.pt")
torch.jit.script(SigmoidMlp().eval()).save("mlp_sigmoid_fn.pt")
