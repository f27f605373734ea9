"""Numpy peers for `npm run bench`: network.py's SGD timed on the real MNIST files, in two forms.

  book    the book's own algorithm: backprop one example at a time, gradients summed per mini-batch
  matrix  the chapter-2 exercise: a mini-batch as one 784 x m matrix, one matrix product per layer

Usage: python3 cli/peers/numpy_peers.py MNIST_DIR HIDDEN {book,matrix}   (HIDDEN: 30, or 100,100 for two layers)
       [--dtype float64|float32] [--examples N]
Prints one JSON object: seconds per epoch of 50,000 (scaled from --examples when fewer), and the test
accuracy after that epoch. Run it with one BLAS thread (the bench sets OPENBLAS_NUM_THREADS=1 and friends).
"""
import argparse
import ctypes
import gzip
import json
import os
import time

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory):
    """As load_data_wrapper: the first 50,000 training images, pixels byte / 256, and the 10,000 test images."""
    images = read_idx(os.path.join(directory, "train-images-idx3-ubyte"))[:50000].reshape(-1, 784)
    labels = read_idx(os.path.join(directory, "train-labels-idx1-ubyte"))[:50000]
    test_images = read_idx(os.path.join(directory, "t10k-images-idx3-ubyte")).reshape(-1, 784)
    test_labels = read_idx(os.path.join(directory, "t10k-labels-idx1-ubyte"))
    scale = np.float32(1 / 256)
    return images.astype(np.float32) * scale, labels, test_images.astype(np.float32) * scale, test_labels


def blas_info():
    """Which BLAS numpy runs and which of its kernels it picked: threadpoolctl's report where it is installed,
    else OpenBLAS asked directly (its config and the core it chose, e.g. Haswell or SkylakeX)."""
    np.dot(np.ones((2, 2)), np.ones((2, 2)))  # loads the library
    try:
        from threadpoolctl import threadpool_info

        found = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if found:
            i = found[0]
            return f"{i.get('internal_api')} {i.get('version')}, core {i.get('architecture')}, {i.get('num_threads')} thread(s)"
    except ImportError:
        pass
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and line.split()[-1].startswith("/")})
    for path in paths:
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("", ""), ("scipy_", "64_"), ("scipy_", ""), ("", "64_")):
            config = getattr(lib, f"{prefix}openblas_get_config{suffix}", None)
            core = getattr(lib, f"{prefix}openblas_get_corename{suffix}", None)
            if config and core:
                config.restype = core.restype = ctypes.c_char_p
                return f"{config().decode().split('  ')[0]}, core {core().decode()}"
    return f"numpy {np.__version__}: BLAS not identified"


def hidden_sizes(text):
    """The hidden layers' sizes from the command line's comma-separated list ("100,100")."""
    return [int(n) for n in text.split(",")]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Net:
    def __init__(self, sizes, dtype, seed=1):
        rng = np.random.default_rng(seed)
        self.sizes = sizes
        self.biases = [rng.standard_normal((n, 1)).astype(dtype) for n in sizes[1:]]
        self.weights = [rng.standard_normal((n, k)).astype(dtype) for k, n in zip(sizes[:-1], sizes[1:])]

    def backprop_one(self, x, y):
        """network.py's backprop for one column x with one-hot column y."""
        activation, activations, zs = x, [x], []
        for b, w in zip(self.biases, self.weights):
            z = w @ activation + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = (activations[-1] - y) * activations[-1] * (1 - activations[-1])
        nabla_b, nabla_w = [None] * len(self.biases), [None] * len(self.weights)
        nabla_b[-1], nabla_w[-1] = delta, delta @ activations[-2].T
        for l in range(2, len(self.sizes)):
            a = activations[-l]
            delta = (self.weights[-l + 1].T @ delta) * a * (1 - a)
            nabla_b[-l], nabla_w[-l] = delta, delta @ activations[-l - 1].T
        return nabla_b, nabla_w

    def step_book(self, xs, ys, eta):
        nabla_b = [np.zeros_like(b) for b in self.biases]
        nabla_w = [np.zeros_like(w) for w in self.weights]
        for k in range(xs.shape[1]):
            db, dw = self.backprop_one(xs[:, k : k + 1], ys[:, k : k + 1])
            nabla_b = [nb + d for nb, d in zip(nabla_b, db)]
            nabla_w = [nw + d for nw, d in zip(nabla_w, dw)]
        m = xs.shape[1]
        self.weights = [w - (eta / m) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / m) * nb for b, nb in zip(self.biases, nabla_b)]

    def step_matrix(self, xs, ys, eta):
        """The same update with the mini-batch's m examples as the columns of one matrix."""
        activations = [xs]
        for b, w in zip(self.biases, self.weights):
            activations.append(sigmoid(w @ activations[-1] + b))
        a = activations[-1]
        delta = (a - ys) * a * (1 - a)
        m = xs.shape[1]
        for l in range(1, len(self.sizes)):
            w = self.weights[-l]
            grad_w, grad_b = delta @ activations[-l - 1].T, delta.sum(axis=1, keepdims=True)
            if l < len(self.sizes) - 1:
                a = activations[-l - 1]
                delta = (w.T @ delta) * a * (1 - a)
            self.weights[-l] = w - (eta / m) * grad_w
            self.biases[-l] = self.biases[-l] - (eta / m) * grad_b

    def evaluate(self, images, labels):
        a = images.T.astype(self.weights[0].dtype)
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(w @ a + b)
        return int((a.argmax(axis=0) == labels).sum())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mnist_dir")
    parser.add_argument("hidden", help="hidden layer sizes, comma-separated: 30, or 100,100")
    parser.add_argument("form", choices=["book", "matrix"])
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    parser.add_argument("--examples", type=int, default=50000)
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    images, labels, test_images, test_labels = load(args.mnist_dir)
    net = Net([784, *hidden_sizes(args.hidden), 10], np.dtype(args.dtype))
    one_hot = np.eye(10, dtype=np.float32)[labels]
    rng = np.random.default_rng(2)
    step = net.step_book if args.form == "book" else net.step_matrix
    seconds = []
    for _ in range(args.epochs):
        order = rng.permutation(50000)[: args.examples]
        start = time.perf_counter()
        for k in range(0, args.examples, 10):
            batch = order[k : k + 10]
            step(images[batch].T, one_hot[batch].T, 3.0)
        seconds.append((time.perf_counter() - start) * 50000 / args.examples)
    correct = net.evaluate(test_images, test_labels) if args.examples == 50000 else None
    print(json.dumps({"form": args.form, "hidden": args.hidden, "dtype": args.dtype, "seconds": seconds, "correct": correct, "blas": blas_info()}))


if __name__ == "__main__":
    main()
