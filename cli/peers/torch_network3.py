"""PyTorch peer of chapter 6 for `npm run bench:chapter6`: network3.py's two conv-pool network as a PyTorch
user writes it (nn.Conv2d, max-pooling, nn.Linear, log-softmax with the negative log-likelihood, autograd,
optim.SGD), mini-batch 10, on one thread, timed on the real MNIST files.

Usage: /usr/bin/python3 cli/peers/torch_network3.py MNIST_DIR [--activation sigmoid|relu] [--examples N] [--rounds R]
Prints one JSON object: the seconds each round took for N examples, scaled to an epoch of 50,000, and the
test accuracy after the last round.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn

from numpy_peers import read_idx  # the same idx reader as the numpy peers, beside this file


def load(directory):
    """As network3.py's load_data_shared: 50,000 training images (byte / 256) and the 10,000 test images."""
    scale = np.float32(1 / 256)
    train = read_idx(os.path.join(directory, "train-images-idx3-ubyte"))[:50000].astype(np.float32) * scale
    labels = read_idx(os.path.join(directory, "train-labels-idx1-ubyte"))[:50000].astype(np.int64)
    test = read_idx(os.path.join(directory, "t10k-images-idx3-ubyte")).astype(np.float32) * scale
    test_labels = read_idx(os.path.join(directory, "t10k-labels-idx1-ubyte")).astype(np.int64)
    as_images = lambda a: torch.from_numpy(a).reshape(-1, 1, 28, 28)
    return as_images(train), torch.from_numpy(labels), as_images(test), torch.from_numpy(test_labels)


def network(activation):
    f = nn.Sigmoid if activation == "sigmoid" else nn.ReLU
    return nn.Sequential(
        nn.Conv2d(1, 20, 5), nn.MaxPool2d(2), f(),
        nn.Conv2d(20, 40, 5), nn.MaxPool2d(2), f(),
        nn.Flatten(), nn.Linear(640, 100), f(),
        nn.Linear(100, 10), nn.LogSoftmax(dim=1),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mnist")
    parser.add_argument("--activation", default="sigmoid", choices=["sigmoid", "relu"])
    parser.add_argument("--examples", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    train, labels, test, test_labels = load(args.mnist)
    net = network(args.activation)
    optimiser = torch.optim.SGD(net.parameters(), lr=0.1 if args.activation == "sigmoid" else 0.03)
    loss = nn.NLLLoss()
    seconds = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for i in range(0, args.examples, 10):
            optimiser.zero_grad()
            loss(net(train[i : i + 10]), labels[i : i + 10]).backward()
            optimiser.step()
        seconds.append((time.perf_counter() - start) * 50000 / args.examples)
    with torch.no_grad():
        correct = int((net(test).argmax(dim=1) == test_labels).sum())
    print(json.dumps({"secondsPerEpoch": seconds, "testCorrect": correct, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
