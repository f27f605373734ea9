"""PyTorch peers of chapter 1 for `npm run bench`: network.py's SGD (sigmoid layers, quadratic cost, mini-batch
10, eta = 3.0) on the real MNIST files, on one thread, in two forms:

  autograd  as a PyTorch user writes it: nn.Linear and nn.Sigmoid, the cost 0.5 * sum((a - y)^2) / m,
            backward() and optim.SGD
  inplace   the same step without autograd: the mini-batch as one matrix, backprop by hand, and the
            weights updated in place with addmm_ (what the bench's fastest numpy form does, in PyTorch)

Usage: /usr/bin/python3 cli/peers/torch_mlp.py MNIST_DIR HIDDEN {autograd,inplace} [--epochs N] [--examples N]
       (HIDDEN: 30, or 100,100 for two hidden layers)
Prints one JSON object: seconds per epoch of 50,000 (scaled from --examples when fewer), the test accuracy
after the last epoch, and the torch version and BLAS it was built with.
"""
import argparse
import json
import time

import numpy as np
import torch
from torch import nn

from numpy_peers import hidden_sizes, load  # the same files and the same byte / 256 as the numpy peers, beside this file


def autograd_step(net, optimiser):
    def step(xs, ys, eta):
        optimiser.zero_grad()
        a = net(xs)
        # network.py's update is w - (eta / m) * sum of the examples' gradients of C_x = 0.5 ||a - y||^2.
        (0.5 * ((a - ys) ** 2).sum() / xs.shape[0]).backward()
        optimiser.step()

    return step


def inplace_step(weights, biases):
    """The mini-batch step by hand: rows are examples, weights are network.py's w (out x in)."""

    def step(xs, ys, eta):
        m = xs.shape[0]
        activations = [xs]
        for w, b in zip(weights, biases):
            activations.append(torch.sigmoid(torch.addmm(b, activations[-1], w.t())))
        a = activations[-1]
        delta = (a - ys) * a * (1 - a)
        for l in range(len(weights) - 1, -1, -1):
            below = activations[l]
            next_delta = (delta @ weights[l]) * below * (1 - below) if l > 0 else None
            weights[l].addmm_(delta.t(), below, alpha=-eta / m)
            biases[l].add_(delta.sum(dim=0), alpha=-eta / m)
            delta = next_delta

    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mnist_dir")
    parser.add_argument("hidden", help="hidden layer sizes, comma-separated: 30, or 100,100")
    parser.add_argument("form", choices=["autograd", "inplace"])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--examples", type=int, default=50000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    images, labels, test_images, test_labels = load(args.mnist_dir)
    xs_all = torch.from_numpy(images)
    ys_all = torch.from_numpy(np.eye(10, dtype=np.float32)[labels])
    sizes = [784, *hidden_sizes(args.hidden), 10]
    # network.py's start: weights and biases from N(0, 1).
    weights = [torch.randn(n, k) for k, n in zip(sizes[:-1], sizes[1:])]
    biases = [torch.randn(n) for n in sizes[1:]]
    if args.form == "autograd":
        layers = []
        for w, b in zip(weights, biases):
            linear = nn.Linear(w.shape[1], w.shape[0])
            with torch.no_grad():
                linear.weight.copy_(w)
                linear.bias.copy_(b)
            layers += [linear, nn.Sigmoid()]
        net = nn.Sequential(*layers)
        step = autograd_step(net, torch.optim.SGD(net.parameters(), lr=3.0))
        forward = net
    else:
        step = inplace_step(weights, biases)

        def forward(x):
            for w, b in zip(weights, biases):
                x = torch.sigmoid(torch.addmm(b, x, w.t()))
            return x

    order_rng = np.random.default_rng(2)
    seconds = []
    for _ in range(args.epochs):
        order = torch.from_numpy(order_rng.permutation(50000)[: args.examples])
        start = time.perf_counter()
        for k in range(0, args.examples, 10):
            batch = order[k : k + 10]
            step(xs_all[batch], ys_all[batch], 3.0)
        seconds.append((time.perf_counter() - start) * 50000 / args.examples)
    with torch.no_grad():
        correct = int((forward(torch.from_numpy(test_images)).argmax(dim=1).numpy() == test_labels).sum())
    blas = next((line.strip() for line in torch.__config__.show().splitlines() if "BLAS_INFO" in line), "")
    print(json.dumps({"form": args.form, "hidden": args.hidden, "seconds": seconds, "correct": correct, "torch": torch.__version__, "blas": blas}))


if __name__ == "__main__":
    main()
