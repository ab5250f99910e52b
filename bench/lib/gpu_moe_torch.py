"""PyTorch peers of btt_moe on the GPU (the shared baselines have none),
printed as gpu_torch.py prints its rows (op, shape, dtype, ms, GB/s,
TFLOP/s), for bench/gpu_bench.py to run in the same invocation:

* btt_moe_dense_eager: the published reference, every expert of every row
  (the BTT of rank R, as gpu_torch.py's btt rows) with the gates as a dense
  mask on the rank dimension;
* btt_moe_dense_compile: the same under torch.compile;
* btt_moe_sorted_eager: the sparse work only, as a PyTorch user writes a
  top-K mixture: the (row, choice) pairs sorted by expert, each expert's
  Monarch on its rows (two einsums), the gated results added with
  index_add_.

    python3 gpu_moe_torch.py n=4096,b=64,batch=16384,R=8,K=2
"""
import json
import sys

import torch
from triton.testing import do_bench

torch.backends.cuda.matmul.allow_tf32 = False
dev = "cuda"


def bench(fn, *a):
    fn(*a)
    torch.cuda.synchronize()
    return do_bench(lambda: fn(*a), warmup=20, rep=200, return_mode="median")


def record(op, shape, dtype, ms, nbytes, flops):
    print(json.dumps(dict(op=op, shape=shape,
                          dtype=str(dtype).replace("torch.", ""),
                          ms=round(ms, 4), GBps=round(nbytes / ms / 1e6, 1),
                          TFLOPs=round(flops / ms / 1e9, 2))), flush=True)


def main(shape):
    p = dict(kv.split("=") for kv in shape.split(","))
    n, b, batch = int(p["n"]), int(p["b"]), int(p["batch"])
    rank, chosen = int(p["R"]), int(p["K"])
    for dt in (torch.bfloat16, torch.float32):
        esz = torch.tensor([], dtype=dt).element_size()
        x = torch.randn(batch, n, device=dev, dtype=dt)
        # w1[i, ρ, j, t], w2[a, u, c, ρ] as in structured.btt_moe.
        w1 = torch.randn(b, rank, b, b, device=dev, dtype=dt) / b
        w2 = torch.randn(b, b, b, rank, device=dev, dtype=dt) / b
        idx = torch.stack([torch.randperm(rank, device=dev)[:chosen]
                           for _ in range(64)])
        idx = idx.repeat(batch // 64 + 1, 1)[:batch]
        gate = torch.rand(batch, chosen, device=dev, dtype=torch.float32)
        flops_sparse = 4 * batch * chosen * n * b
        nbytes = (2 * batch * n + 2 * rank * b ** 3) * esz

        def dense(x, idx, gate):
            mask = torch.zeros(batch, rank, device=dev, dtype=torch.float32)
            mask.scatter_add_(1, idx, gate)
            z = torch.einsum("bit,iojt->boij", x.view(batch, b, b), w1)
            z = z * mask.to(dt)[:, :, None, None]
            # z[b, ρ, c·l + a] with l = b: the second factor's inputs.
            zr = z.reshape(batch, rank, b, b)
            return torch.einsum("auco,boca->bua", w2, zr).reshape(batch, n)

        record("btt_moe_dense_eager", shape, dt, bench(dense, x, idx, gate),
               nbytes, 4 * batch * rank * n * b)
        compiled = torch.compile(dense)
        record("btt_moe_dense_compile", shape, dt,
               bench(compiled, x, idx, gate), nbytes,
               4 * batch * rank * n * b)

        def sparse(x, idx, gate):
            flat = idx.reshape(-1)
            order = torch.argsort(flat, stable=True)
            counts = torch.bincount(flat, minlength=rank).tolist()
            rows = order // chosen
            weights = gate.reshape(-1)[order]
            y = torch.zeros(batch, n, device=dev, dtype=torch.float32)
            start = 0
            for e, count in enumerate(counts):
                if count:
                    sel = rows[start:start + count]
                    xs = x[sel].view(count, b, b)
                    z = torch.einsum("bit,ijt->bij", xs, w1[:, e])
                    out = torch.einsum("auc,bca->bua", w2[..., e], z)
                    y.index_add_(0, sel, out.reshape(count, n).float() *
                                 weights[start:start + count, None])
                start += count
            return y.to(dt)

        record("btt_moe_sorted_eager", shape, dt, bench(sparse, x, idx, gate),
               nbytes, flops_sparse)


if __name__ == "__main__":
    main(sys.argv[1])
