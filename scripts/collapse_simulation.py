#!/usr/bin/python3
"""collapse_simulation.py -- why deep softplus MLPs cannot train even with every layer's variance right.

A 784 -> 128 x 24 MLP on 1,024 N(0, 1) inputs, each layer rescaled so its pre-activation has second moment
exactly 1 (an ideal, data-dependent version of what AutoInit targets). Printed per depth: the part of a
unit's variance that differs between samples (mean over units of the variance over samples) and the mean
cosine similarity between samples. Then the same with centred activations f(x) - E[f(z)], z ~ N(0, 1).
Used by the README's Results (activations). Needs numpy (Debian's python3-numpy, e.g. via python3-torch).

    /usr/bin/python3 scripts/collapse_simulation.py
"""
import numpy as np
from numpy.polynomial.hermite_e import hermegauss

ACTS = {
    "relu": lambda x: np.maximum(x, 0),
    "softplus": lambda x: np.logaddexp(0, x),
    "sin": np.sin,
    "tanh": np.tanh,
    "swish": lambda x: x / (1 + np.exp(-x)),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
}


def run(f, rng):
    y = rng.standard_normal((1024, 784)) @ (rng.standard_normal((784, 128)) / np.sqrt(784))
    out = []
    for layer in range(24):
        z = f(y) @ rng.standard_normal((128, 128))
        y = z / np.sqrt((z ** 2).mean())
        if layer in (3, 11, 23):
            yn = y / np.linalg.norm(y, axis=1, keepdims=True)
            cos = (yn[:200] @ yn[:200].T)[np.triu_indices(200, 1)].mean()
            out.append(f"L{layer + 1}: between-sample var {y.var(axis=0).mean():.3f}, mean cos {cos:.3f}")
    return "; ".join(out)


def main():
    rng = np.random.default_rng(0)
    for name, f in ACTS.items():
        print(f"{name:9s}", run(f, rng))
    x, w = hermegauss(100)
    w = w / w.sum()
    print("centred:")
    for name in ("softplus", "sin", "swish", "relu"):
        f0 = ACTS[name]
        mu = float((w * f0(x)).sum())
        print(f"{name:9s}", run(lambda v, f0=f0, mu=mu: f0(v) - mu, rng))


if __name__ == "__main__":
    main()
