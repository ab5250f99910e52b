# RUN: %python %s
"""Properties of the harness's BTT reference (structured_harness.ref_btt),
checked against constructions of its own (lib/dense_reference.py and
einsum), not against the harness's ref_monarch:

* rank 1: btt(x, w1, w2) with w1 k×1×q×p, w2 l×s×r×1 equals the Monarch map
  of w1[:, 0] (k×q×p) and w2[..., 0] (l×s×r) -- the reshape the harness and
  the btt->monarch canonicalization use;
* btt is linear in x (and bilinear in (w1, w2) for fixed x);
* rank R: exchanging Σ_c and Σ_ρ in
      y[b, u·l + a] = Σ_{c,ρ} w2[a,u,c,ρ] z[b, ρ, c·l + a]
  gives y = Σ_ρ monarch(x, w1[:, ρ], w2[..., ρ]), the sum of R Monarch maps
  over the rank slices.
"""

import sys
import unittest

import numpy as np

import structured_harness as H
from dense_reference import btt_matrix, monarch_matrix, random_monarch_shape

ATOL = 1e-10


def rand(rng, *shape):
    return rng.uniform(-1.0, 1.0, size=shape)


def einsum_btt(x, w1, w2):
    """Direct einsum transcription of the BTT formula (DESIGN.md §1)."""
    k, rank, q, p = w1.shape
    l, s, r, _ = w2.shape
    bsz = x.shape[0]
    z = np.einsum("iRjt,bit->bRij", w1, x.reshape(bsz, k, p))
    z = z.reshape(bsz, rank, k * q).reshape(bsz, rank, r, l)  # z[b,ρ,c·l+a]
    y = np.einsum("aucR,bRca->bua", w2, z)                      # y[b,u·l+a]
    return y.reshape(bsz, s * l)


SHAPES = [
    (4, 4, 4, 4, 4, 4),
    (2, 3, 4, 3, 5, 2),
    (4, 4, 4, 2, 3, 8),
    (3, 5, 7, 5, 6, 3),
    (1, 6, 5, 6, 1, 1),
    (5, 1, 3, 1, 4, 5),
    (2, 2, 2, 4, 3, 1),
]


class BTTRank1Test(unittest.TestCase):

    def test_rank1_equals_monarch(self):
        rng = np.random.default_rng(30)
        shapes = SHAPES + [random_monarch_shape(rng) for _ in range(30)]
        for (k, q, p, l, s, r) in shapes:
            w1, w2 = rand(rng, k, 1, q, p), rand(rng, l, s, r, 1)
            x = rand(rng, 3, k * p)
            want = x @ monarch_matrix(w1[:, 0], w2[:, :, :, 0]).T
            msg = "k,q,p,l,s,r = %s" % ((k, q, p, l, s, r),)
            np.testing.assert_allclose(H.ref_btt(x, w1, w2), want,
                                       atol=ATOL, err_msg=msg)
            # The reshape is just inserting the unit rank dimension.
            np.testing.assert_array_equal(
                w1[:, 0], w1.reshape(k, q, p), err_msg=msg)
            np.testing.assert_array_equal(
                w2[:, :, :, 0], w2.reshape(l, s, r), err_msg=msg)
            np.testing.assert_allclose(
                H.ref_btt(x, w1, w2),
                H.ref_monarch(x, w1.reshape(k, q, p), w2.reshape(l, s, r)),
                atol=ATOL, err_msg=msg)

    def test_harness_rank1_property_path(self):
        # The harness's --reference monarch path slices w1[:, 0, :, :] and
        # w2[:, :, :, 0]; check that is the same slicing on a 3-d batch.
        rng = np.random.default_rng(31)
        k, q, p, l, s, r = 3, 4, 2, 6, 5, 2
        w1, w2 = rand(rng, k, 1, q, p), rand(rng, l, s, r, 1)
        x = rand(rng, 2, 3, k * p)
        np.testing.assert_allclose(
            H.reference("btt", x, [w1, w2], {}),
            x @ monarch_matrix(w1[:, 0, :, :], w2[:, :, :, 0]).T, atol=ATOL)


class BTTLinearityTest(unittest.TestCase):

    def test_linear_in_x(self):
        rng = np.random.default_rng(32)
        for (k, q, p, l, s, r) in SHAPES:
            for rank in (1, 2, 3):
                w1, w2 = rand(rng, k, rank, q, p), rand(rng, l, s, r, rank)
                x1, x2 = rand(rng, 4, k * p), rand(rng, 4, k * p)
                a, b = rng.uniform(-3, 3, size=2)
                lhs = H.ref_btt(a * x1 + b * x2, w1, w2)
                rhs = a * H.ref_btt(x1, w1, w2) + b * H.ref_btt(x2, w1, w2)
                np.testing.assert_allclose(lhs, rhs, atol=1e-9)
                np.testing.assert_allclose(H.ref_btt(0 * x1, w1, w2), 0.0)
                # Rows are mapped independently (the batch is a batch).
                np.testing.assert_allclose(H.ref_btt(x1[1:2], w1, w2),
                                           H.ref_btt(x1, w1, w2)[1:2],
                                           atol=ATOL)

    def test_bilinear_in_weights(self):
        rng = np.random.default_rng(33)
        k, q, p, l, s, r, rank = 3, 4, 2, 6, 5, 2, 3
        x = rand(rng, 3, k * p)
        w1a, w1b = rand(rng, k, rank, q, p), rand(rng, k, rank, q, p)
        w2a, w2b = rand(rng, l, s, r, rank), rand(rng, l, s, r, rank)
        np.testing.assert_allclose(
            H.ref_btt(x, w1a + 2 * w1b, w2a),
            H.ref_btt(x, w1a, w2a) + 2 * H.ref_btt(x, w1b, w2a), atol=1e-9)
        np.testing.assert_allclose(
            H.ref_btt(x, w1a, w2a - 3 * w2b),
            H.ref_btt(x, w1a, w2a) - 3 * H.ref_btt(x, w1a, w2b), atol=1e-9)

    def test_matrix_of_the_map(self):
        # Linear, so it is the matrix whose columns are the images of the
        # unit vectors; that matrix is the sum of the rank-slice Monarchs.
        rng = np.random.default_rng(34)
        for (k, q, p, l, s, r) in SHAPES:
            w1, w2 = rand(rng, k, 3, q, p), rand(rng, l, s, r, 3)
            eye = np.eye(k * p)
            np.testing.assert_allclose(H.ref_btt(eye, w1, w2).T,
                                       btt_matrix(w1, w2), atol=ATOL)


class BTTRankSumTest(unittest.TestCase):

    def test_rank_r_is_sum_of_monarchs(self):
        rng = np.random.default_rng(35)
        shapes = SHAPES + [random_monarch_shape(rng) for _ in range(20)]
        for (k, q, p, l, s, r) in shapes:
            for rank in (1, 2, 3, 5):
                w1, w2 = rand(rng, k, rank, q, p), rand(rng, l, s, r, rank)
                x = rand(rng, 2, k * p)
                msg = "k,q,p,l,s,r,R = %s" % ((k, q, p, l, s, r, rank),)
                want = sum(x @ monarch_matrix(w1[:, rho],
                                              w2[:, :, :, rho]).T
                           for rho in range(rank))
                np.testing.assert_allclose(H.ref_btt(x, w1, w2), want,
                                           atol=ATOL, err_msg=msg)
                np.testing.assert_allclose(einsum_btt(x, w1, w2), want,
                                           atol=ATOL, err_msg=msg)
                np.testing.assert_allclose(
                    H.reference("btt", x, [w1, w2], {}), want, atol=ATOL,
                    err_msg=msg)

    def test_rank_concatenation_and_order(self):
        # Splitting the rank dimension splits the sum; permuting the rank
        # index consistently in w1 and w2 changes nothing; a zero rank
        # component contributes nothing.
        rng = np.random.default_rng(36)
        k, q, p, l, s, r, rank = 3, 5, 7, 5, 6, 3, 4
        w1, w2 = rand(rng, k, rank, q, p), rand(rng, l, s, r, rank)
        x = rand(rng, 3, k * p)
        y = H.ref_btt(x, w1, w2)
        np.testing.assert_allclose(
            y, H.ref_btt(x, w1[:, :1], w2[..., :1]) +
            H.ref_btt(x, w1[:, 1:], w2[..., 1:]), atol=ATOL)
        perm = rng.permutation(rank)
        np.testing.assert_allclose(
            y, H.ref_btt(x, w1[:, perm], w2[..., perm]), atol=ATOL)
        w1z = np.concatenate([w1, rand(rng, k, 1, q, p)], axis=1)
        w2z = np.concatenate([w2, np.zeros((l, s, r, 1))], axis=3)
        np.testing.assert_allclose(y, H.ref_btt(x, w1z, w2z), atol=ATOL)

    def test_rank_is_not_a_plain_product(self):
        # Sanity of the property: a rank-2 BTT is in general not the Monarch
        # of the rank-summed weights (the rank couples w1 and w2).
        rng = np.random.default_rng(37)
        k, q, p, l, s, r = 4, 4, 4, 4, 4, 4
        w1, w2 = rand(rng, k, 2, q, p), rand(rng, l, s, r, 2)
        x = rand(rng, 2, k * p)
        collapsed = x @ monarch_matrix(w1.sum(1), w2.sum(3)).T
        self.assertGreater(np.max(np.abs(H.ref_btt(x, w1, w2) - collapsed)),
                           1e-3)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
