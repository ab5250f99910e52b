# RUN: %python %s
"""Checks the harness's Monarch reference (structured_harness.ref_monarch and
reference("monarch", ...)) against the dense matrix
M = P2 · BlockDiag(w2) · P1 · BlockDiag(w1) built explicitly from stride
permutation matrices and block-diagonal matrices (lib/dense_reference.py),
and the DESIGN.md claim that the square case n = m², all block sizes m, is
einsum('bkp,kqp,qlk->blq').

Reshapes for the einsum (derived from DESIGN.md §1 with k=q=p=l=s=r=m):
  z[b, i·m + j] = Σ_t w1[i,j,t] x[b, i·m + t]
      -> with X = x.reshape(B, m, m) (X[b,i,t] = x[b, i·m+t]) and
         Z = z.reshape(B, m, m): Z[b,i,j] = Σ_t w1[i,j,t] X[b,i,t]
         i.e. 'bkp,kqp->bkq' with w1 used as stored (k×q×p);
  y[b, u·m + a] = Σ_c w2[a,u,c] z[b, c·m + a] = Σ_c w2[a,u,c] Z[b,c,a]
      -> renaming (c, a, u) to the einsum's (k, q, l): Y[b,l,q] =
         Σ_k w2[q,l,k] Z[b,k,q], i.e. '...,qlk->blq' with w2 used as stored
         (l×s×r, read as q×l×k), and y = Y.reshape(B, m·m) (y[b, l·m + q]).
So y = einsum('bkp,kqp,qlk->blq', x.reshape(B,m,m), w1, w2).reshape(B, m²),
with no transposes of the weights.
"""

import sys
import unittest

import numpy as np

import structured_harness as H
from dense_reference import (blockdiag_matrix, monarch_matrix,
                             random_monarch_shape, stride_permutation_matrix)

ATOL = 1e-10


def rand(rng, *shape):
    return rng.uniform(-1.0, 1.0, size=shape)


class DenseFactorsTest(unittest.TestCase):
    """The building blocks against the harness's blockdiag and permute."""

    def test_blockdiag_matrix(self):
        rng = np.random.default_rng(1)
        for (k, q, p) in [(1, 1, 1), (2, 2, 3), (3, 5, 2), (4, 4, 4),
                          (5, 1, 7), (1, 6, 1)]:
            w = rand(rng, k, q, p)
            x = rand(rng, 3, k * p)
            np.testing.assert_allclose(H.ref_blockdiag(x, w),
                                       x @ blockdiag_matrix(w).T, atol=ATOL)

    def test_permute_matrix(self):
        rng = np.random.default_rng(2)
        for n in range(1, 25):
            for rows in [d for d in range(1, n + 1) if n % d == 0]:
                cols = n // rows
                x = rand(rng, 2, n)
                p = stride_permutation_matrix(rows, cols)
                # A permutation matrix, and the op's formula on it.
                np.testing.assert_array_equal(p.sum(0), np.ones(n))
                np.testing.assert_array_equal(p.sum(1), np.ones(n))
                np.testing.assert_array_equal(H.ref_permute(x, rows, cols),
                                              x @ p.T)

    def test_design_example_permute(self):
        # StructuredOps.td: [x0..x5] with rows=2, cols=3 -> [x0 x3 x1 x4 x2 x5]
        x = np.arange(6.0)[None, :]
        np.testing.assert_array_equal(H.ref_permute(x, 2, 3),
                                      [[0, 3, 1, 4, 2, 5]])
        np.testing.assert_array_equal(x @ stride_permutation_matrix(2, 3).T,
                                      [[0, 3, 1, 4, 2, 5]])


class MonarchDenseTest(unittest.TestCase):

    def check(self, rng, k, q, p, l, s, r, batch=3):
        w1 = rand(rng, k, q, p)
        w2 = rand(rng, l, s, r)
        x = rand(rng, batch, k * p)
        m = monarch_matrix(w1, w2)
        self.assertEqual(m.shape, (l * s, k * p))
        msg = "k,q,p,l,s,r = %s" % ((k, q, p, l, s, r),)
        np.testing.assert_allclose(H.ref_monarch(x, w1, w2), x @ m.T,
                                   atol=ATOL, err_msg=msg)
        np.testing.assert_allclose(H.reference("monarch", x, [w1, w2], {}),
                                   x @ m.T, atol=ATOL, err_msg=msg)
        # The columns of M are the images of the unit vectors.
        eye = np.eye(k * p)
        np.testing.assert_allclose(H.ref_monarch(eye, w1, w2), m.T,
                                   atol=ATOL, err_msg=msg)

    def test_square(self):
        rng = np.random.default_rng(10)
        for m in (1, 2, 3, 4, 5, 8):
            self.check(rng, m, m, m, m, m, m)

    def test_rectangular(self):
        rng = np.random.default_rng(11)
        shapes = [
            (2, 3, 4, 3, 5, 2),   # 8 -> 15
            (4, 4, 4, 2, 3, 8),   # 16 -> 6  (shrink)
            (2, 8, 2, 4, 8, 4),   # 4 -> 32  (expand)
            (4, 2, 4, 8, 1, 1),   # r = 1, s = 1
            (4, 2, 4, 1, 3, 8),   # l = 1: one big second block
            (1, 6, 5, 6, 1, 1),   # k = 1: one dense first block
            (3, 4, 1, 2, 2, 6),   # p = 1
        ]
        for shape in shapes:
            self.check(rng, *shape)

    def test_non_power_of_two(self):
        rng = np.random.default_rng(12)
        for shape in [(3, 5, 7, 5, 6, 3), (3, 3, 3, 3, 3, 3),
                      (5, 3, 3, 3, 5, 5), (7, 2, 3, 14, 3, 1),
                      (6, 5, 5, 10, 3, 3)]:
            self.check(rng, *shape)

    def test_random_shapes(self):
        rng = np.random.default_rng(13)
        for _ in range(60):
            self.check(rng, *random_monarch_shape(rng),
                       batch=int(rng.integers(1, 4)))

    def test_multidim_batch(self):
        rng = np.random.default_rng(14)
        k, q, p, l, s, r = 3, 4, 2, 6, 5, 2
        w1, w2 = rand(rng, k, q, p), rand(rng, l, s, r)
        x = rand(rng, 2, 3, 4, k * p)
        got = H.reference("monarch", x, [w1, w2], {})
        self.assertEqual(got.shape, (2, 3, 4, l * s))
        np.testing.assert_allclose(got, x @ monarch_matrix(w1, w2).T,
                                   atol=ATOL)

    def test_absolute_bound(self):
        # reference(..., absolute=True) is |M| applied to |x|, an upper bound
        # of |y| that the tolerances are built from.
        rng = np.random.default_rng(15)
        for _ in range(10):
            k, q, p, l, s, r = random_monarch_shape(rng)
            w1, w2 = rand(rng, k, q, p), rand(rng, l, s, r)
            x = rand(rng, 2, k * p)
            bound = H.reference("monarch", x, [w1, w2], {}, absolute=True)
            m_abs = monarch_matrix(np.abs(w1), np.abs(w2))
            np.testing.assert_allclose(bound, np.abs(x) @ m_abs.T, atol=ATOL)
            y = H.reference("monarch", x, [w1, w2], {})
            self.assertTrue(np.all(np.abs(y) <= bound + ATOL))


class MonarchEinsumTest(unittest.TestCase):
    """DESIGN.md §1: square n = m², k=q=p=l=s=r=m is
    einsum('bkp,kqp,qlk->blq') (reshapes in the module docstring)."""

    @staticmethod
    def einsum_monarch(x, w1, w2):
        bsz, n = x.shape
        m = w1.shape[0]
        assert n == m * m
        y = np.einsum("bkp,kqp,qlk->blq", x.reshape(bsz, m, m), w1, w2)
        return y.reshape(bsz, m * m)

    def test_square_einsum(self):
        rng = np.random.default_rng(20)
        for m in (1, 2, 3, 4, 5, 7, 8, 16):
            w1, w2 = rand(rng, m, m, m), rand(rng, m, m, m)
            x = rand(rng, 4, m * m)
            want = self.einsum_monarch(x, w1, w2)
            np.testing.assert_allclose(H.ref_monarch(x, w1, w2), want,
                                       atol=ATOL, err_msg="m=%d" % m)
            np.testing.assert_allclose(x @ monarch_matrix(w1, w2).T, want,
                                       atol=ATOL, err_msg="m=%d" % m)

    def test_einsum_is_not_trivially_satisfied(self):
        # The claim is sensitive to the weight layout: transposing w2 (e.g.
        # reading it as 'lqk') or not reshaping x row-major breaks it, so the
        # test above distinguishes the convention.
        rng = np.random.default_rng(21)
        m = 4
        w1, w2 = rand(rng, m, m, m), rand(rng, m, m, m)
        x = rand(rng, 2, m * m)
        ref = H.ref_monarch(x, w1, w2)
        wrong = [
            np.einsum("bkp,kqp,lqk->blq", x.reshape(2, m, m), w1,
                      w2).reshape(2, m * m),
            np.einsum("bkp,kqp,qlk->bql", x.reshape(2, m, m), w1,
                      w2).reshape(2, m * m),
            np.einsum("bpk,kqp,qlk->blq", x.reshape(2, m, m), w1,
                      w2).reshape(2, m * m),
        ]
        for w in wrong:
            self.assertGreater(np.max(np.abs(w - ref)), 1e-3)

    def test_einsum_generalises_when_l_eq_q_and_r_eq_k(self):
        # Not claimed by DESIGN.md, but follows from the same derivation: the
        # einsum needs only l = q and r = k (then l·r = k·q holds), with
        # any k, q, p, s; the output is Y[b, u, a] -> y[b, u·l + a].
        rng = np.random.default_rng(22)
        for (k, q, p, s) in [(2, 3, 4, 5), (3, 2, 5, 1), (4, 4, 2, 7),
                             (1, 5, 3, 2)]:
            w1, w2 = rand(rng, k, q, p), rand(rng, q, s, k)
            x = rand(rng, 3, k * p)
            y = np.einsum("bkp,kqp,qlk->blq", x.reshape(3, k, p), w1, w2)
            np.testing.assert_allclose(H.ref_monarch(x, w1, w2),
                                       y.reshape(3, s * q), atol=ATOL)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
