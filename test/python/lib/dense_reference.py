"""Dense-matrix constructions of the structured maps, written from DESIGN.md §1
independently of test/Integration/lib/structured_harness.py (whose loop-based
references they are used to check).

Convention: a linear map of the feature dimension is a matrix M with
y = M @ x for a column vector x, i.e. Y = X @ M.T for a batch of rows X.
"""

import numpy as np


def stride_permutation_matrix(rows, cols):
    """P with (P @ x)[c·rows + r] = x[r·cols + c]: structured.permute
    {rows, cols} on n = rows·cols features."""
    n = rows * cols
    p = np.zeros((n, n))
    for r in range(rows):
        for c in range(cols):
            p[c * rows + r, r * cols + c] = 1.0
    return p


def blockdiag_matrix(w):
    """The (k·q)×(k·p) block-diagonal matrix with blocks w[i] (q×p)."""
    k, q, p = w.shape
    m = np.zeros((k * q, k * p))
    for i in range(k):
        m[i * q:(i + 1) * q, i * p:(i + 1) * p] = w[i]
    return m


def monarch_matrix(w1, w2):
    """M = P2 · BlockDiag(w2) · P1 · BlockDiag(w1), the (l·s)×(k·p) Monarch
    matrix, with P1 = permute{rows=r, cols=l} (on k·q = l·r features) and
    P2 = permute{rows=l, cols=s} (on l·s features), as StructuredOps.td states:
    monarch = permute{l,s}(blockdiag(permute{r,l}(blockdiag(x, w1)), w2))."""
    k, q, p = w1.shape
    l, s, r = w2.shape
    assert k * q == l * r, (w1.shape, w2.shape)
    p1 = stride_permutation_matrix(r, l)
    p2 = stride_permutation_matrix(l, s)
    return p2 @ blockdiag_matrix(w2) @ p1 @ blockdiag_matrix(w1)


def btt_matrix(w1, w2):
    """Rank-R BTT as the sum over ρ of the Monarch matrices of the rank
    slices w1[:, ρ] (k×q×p) and w2[..., ρ] (l×s×r). This follows from the
    formula by exchanging the sums over c and ρ:
        y[b, u·l + a] = Σ_ρ Σ_c w2[a,u,c,ρ] z_ρ[b, c·l + a],
        z_ρ[b, i·q + j] = Σ_t w1[i,ρ,j,t] x[b, i·p + t],
    and each inner term is monarch(x, w1[:, ρ], w2[..., ρ])."""
    rank = w1.shape[1]
    assert w2.shape[3] == rank
    return sum(monarch_matrix(w1[:, rho], w2[:, :, :, rho])
               for rho in range(rank))


def random_monarch_shape(rng, max_block=7, max_blocks=6):
    """(k, q, p, l, s, r) with k·q = l·r, drawn so that non-powers of two,
    rectangular maps and unit sizes all occur."""
    while True:
        k = int(rng.integers(1, max_blocks + 1))
        q = int(rng.integers(1, max_block + 1))
        p = int(rng.integers(1, max_block + 1))
        mid = k * q
        divisors = [d for d in range(1, mid + 1) if mid % d == 0]
        l = int(rng.choice(divisors))
        r = mid // l
        s = int(rng.integers(1, max_block + 1))
        if l <= 3 * max_blocks and r <= 3 * max_block:
            return k, q, p, l, s, r
