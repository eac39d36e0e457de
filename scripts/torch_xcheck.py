#!/usr/bin/python3
"""torch_xcheck.py -- checks one training step of this project against PyTorch.

Reads a directory written by `./autoinit xcheck-export --model NAME --out DIR`:
  weights.safetensors   the model's parameters and buffers under the project's names (before the step)
  batch.safetensors     x, labels (F32 holding integers), logits, loss (scalar) from the project's forward
  grads.safetensors     d(mean cross-entropy)/d(parameter) under the same names
  buffers.safetensors   (optional) the buffers after the training-mode forward (BatchNorm running stats)
  names.json            {"model", "peer_model", "params": [{"name", "torch", "transpose", "buffer"}, ...]}
builds the same model with the PyTorch peer's definition (torch_peer.build_models; not copied here), loads
the weights through the mapping (checking every shape and that the mapping covers the whole state_dict),
runs the same batch in training mode (BatchNorm uses batch statistics), and compares logits, loss, every
parameter gradient and every updated buffer with  rel = max|java - torch| / max|torch|  (float32 torch).
A float64 copy of the torch model is run too, so the table also shows how far each float32 result is from
the float64 one: when `java~f64` is about `torch~f64`, the difference is float32 rounding.

Exit status: 0 if every rel <= --tol (default 1e-4), 1 otherwise, 2 on a malformed export or mapping.
Run with Debian's interpreter (the pyenv python3 on PATH has no torch):
  /usr/bin/python3 scripts/torch_xcheck.py DIR [--peer ../shared/peers/torch_peer.py] [--tol 1e-4]
"""
import argparse
import importlib.util
import json
import os
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}
DEFAULT_PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "peers", "torch_peer.py")


class ExportError(Exception):
    pass


def read_safetensors(path):
    """Parses a safetensors file by hand: u64 LE header length, JSON header, raw little-endian data."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ExportError(f"{path}: too short for a safetensors header")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        raise ExportError(f"{path}: header length {n} exceeds the file size {len(blob)}")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = memoryview(blob)[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            raise ExportError(f"{path}: tensor '{name}' has unsupported dtype {info['dtype']}")
        dt = np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        if end - begin != count * dt.itemsize or end > len(data):
            raise ExportError(f"{path}: tensor '{name}' has bad data_offsets {info['data_offsets']} for shape {list(shape)}")
        out[name] = np.frombuffer(data[begin:end], dtype=dt).reshape(shape).astype(dt.newbyteorder("="))
    return out


def load_peer(path):
    spec = importlib.util.spec_from_file_location("torch_peer", path)
    if spec is None:
        raise ExportError(f"cannot load the peer from {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def to_torch_layout(arr, transpose):
    """Project layout -> PyTorch layout (Dense [in, out] -> Linear [out, in])."""
    if not transpose:
        return arr
    if arr.ndim != 2:
        raise ExportError(f"transpose requested for a tensor of rank {arr.ndim}; only 2-d weights are transposed")
    return np.ascontiguousarray(arr.T)


def rel_err(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    scale = np.max(np.abs(b)) if b.size else 0.0
    diff = np.max(np.abs(a - b)) if b.size else 0.0
    if scale == 0.0:
        return 0.0 if diff == 0.0 else float("inf")
    return float(diff / scale)


def build_and_load(torch, ctors, peer_model, mapping, weights, dtype):
    torch.manual_seed(0)  # the peer draws its own init; every value is overwritten below
    model = ctors[peer_model]().to(dtype)
    state = model.state_dict()
    expected = {k for k in state if not k.endswith("num_batches_tracked")}
    mapped = {}
    for e in mapping:
        name, tname = e["name"], e["torch"]
        if name not in weights:
            raise ExportError(f"names.json maps '{name}' but weights.safetensors has no such tensor")
        if tname not in state:
            raise ExportError(f"'{name}' maps to '{tname}', which is not in the peer's state_dict "
                              f"(it has {sorted(expected)})")
        if tname in mapped:
            raise ExportError(f"'{name}' and '{mapped[tname]}' both map to '{tname}'")
        arr = to_torch_layout(weights[name], e["transpose"])
        if tuple(arr.shape) != tuple(state[tname].shape):
            raise ExportError(f"'{name}' of project shape {list(weights[name].shape)}"
                              f"{' (transposed)' if e['transpose'] else ''} does not fit '{tname}' of shape "
                              f"{list(state[tname].shape)}")
        with torch.no_grad():
            state[tname].copy_(torch.from_numpy(arr))
        mapped[tname] = name
    missing = sorted(expected - set(mapped))
    if missing:
        raise ExportError(f"the mapping leaves peer tensors unset: {missing}")
    unmapped = sorted(set(weights) - {e["name"] for e in mapping})
    if unmapped:
        raise ExportError(f"weights.safetensors has tensors the mapping does not place: {unmapped}")
    return model


def run_step(torch, model, x, labels):
    model.train()
    model.zero_grad(set_to_none=True)
    logits = model(x)
    loss = torch.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    return logits.detach(), loss.detach()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", help="directory written by ./autoinit xcheck-export")
    ap.add_argument("--peer", default=DEFAULT_PEER, help="path to torch_peer.py (default: %(default)s)")
    ap.add_argument("--tol", type=float, default=1e-4, help="F32 export: max relative error vs float32 torch (default %(default)g)")
    ap.add_argument("--tol64", type=float, default=1e-9, help="F64 export: max relative error vs float64 torch (default %(default)g)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 keeps the reductions deterministic)")
    args = ap.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    try:
        with open(os.path.join(args.dir, "names.json")) as f:
            names = json.load(f)
        weights = read_safetensors(os.path.join(args.dir, "weights.safetensors"))
        batch = read_safetensors(os.path.join(args.dir, "batch.safetensors"))
        grads = read_safetensors(os.path.join(args.dir, "grads.safetensors"))
        bpath = os.path.join(args.dir, "buffers.safetensors")
        buffers_after = read_safetensors(bpath) if os.path.exists(bpath) else {}
        peer = load_peer(args.peer)
        ctors, shapes, _ = peer.build_models(torch)
        peer_model = names["peer_model"]
        if peer_model not in ctors:
            raise ExportError(f"peer_model '{peer_model}' is not one of the peer's models {sorted(ctors)}")
        mapping = names["params"]
        f64 = names.get("dtype", "F32") == "F64"
        x_in = batch["x"]
        if (x_in.dtype == np.float64) != f64:
            raise ExportError(f"names.json says dtype {names.get('dtype')} but x is {x_in.dtype}")
        x32 = x_in.astype(np.float32)
        if tuple(x32.shape[1:]) != tuple(shapes[peer_model][1:]):
            raise ExportError(f"x has shape {list(x32.shape)}; the peer's {peer_model} takes "
                              f"[N, {', '.join(map(str, shapes[peer_model][1:]))}]")
        lab = batch["labels"]
        if not np.all(lab == np.round(lab)):
            raise ExportError("labels are not integers")
        labels = torch.from_numpy(lab.astype(np.int64))
        m32 = build_and_load(torch, ctors, peer_model, mapping, weights, torch.float32)
        m64 = build_and_load(torch, ctors, peer_model, mapping, weights, torch.float64)
    except (ExportError, KeyError, OSError, ValueError) as e:
        print(f"torch_xcheck: {type(e).__name__}: {e}", file=sys.stderr)
        return 2

    logits32, loss32 = run_step(torch, m32, torch.from_numpy(x32), labels)
    logits64, loss64 = run_step(torch, m64, torch.from_numpy(x_in.astype(np.float64)), labels)
    p32, p64 = dict(m32.named_parameters()), dict(m64.named_parameters())
    b32, b64 = dict(m32.named_buffers()), dict(m64.named_buffers())

    rows = [("logits", batch["logits"], logits32.numpy(), logits64.numpy()),
            ("loss", batch["loss"].reshape(()), loss32.numpy(), loss64.numpy())]
    for e in mapping:
        name, tname, tr = e["name"], e["torch"], e["transpose"]
        if e.get("buffer"):
            if name in buffers_after:
                rows.append((f"{name} (after fwd) -> {tname}", to_torch_layout(buffers_after[name], tr),
                             b32[tname].numpy(), b64[tname].numpy()))
            continue
        if name not in grads:
            print(f"torch_xcheck: grads.safetensors has no gradient for '{name}'", file=sys.stderr)
            return 2
        rows.append((f"grad {name} -> {tname}", to_torch_layout(grads[name], tr),
                     p32[tname].grad.numpy(), p64[tname].grad.numpy()))

    width = max(len(r[0]) for r in rows)
    tol = args.tol64 if f64 else args.tol
    judged = "java~torch64" if f64 else "java~torch32"
    print(f"model {names['model']} (peer {peer_model}), {'F64' if f64 else 'F32'}, batch {x32.shape[0]}, "
          f"loss java {float(batch['loss']):.9g} torch {float(loss64 if f64 else loss32):.9g}; judged: {judged} <= {tol:g}")
    print(f"{'tensor':<{width}}  {'java~torch32':>12}  {'java~torch64':>12}  {'torch32~64':>12}  ok")
    worst, failed = 0.0, 0
    for label, java, t32, t64 in rows:
        e32, e64, t_e = rel_err(java, t32), rel_err(java, t64), rel_err(t32, t64)
        err = e64 if f64 else e32
        ok = err <= tol
        failed += 0 if ok else 1
        worst = max(worst, err)
        print(f"{label:<{width}}  {e32:12.3e}  {e64:12.3e}  {t_e:12.3e}  {'ok' if ok else 'FAIL'}")
    verdict = "PASS" if failed == 0 else "FAIL"
    print(f"{verdict} {names['model']} {'F64' if f64 else 'F32'}: {len(rows)} tensors compared, worst {judged} "
          f"{worst:.3e} (tol {tol:g})" + (f", {failed} above tol" if failed else ""))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
