# RUN: %python %s
"""The GPU checks' reference for kernels compiled with round-intermediate
(gpu_check.rounded_intermediate): for monarch and btt, the exact result of
the second factor applied to the intermediate rounded to the element type,
against the harness's two BTT factors (loops over the reference semantics)
with the rounding put in between; and its slack, one ulp of each rounded term
carried through |w2|."""

import sys
import unittest

import numpy as np

import gpu_check
import structured_harness as H


def round_to(values, element):
    return gpu_check.from_device_layout(
        gpu_check.to_device_layout(values.astype(np.float32), element),
        element).astype(np.float64)


def btt_by_loops(x, w1, w2, element):
    """ref_btt with z rounded to `element`."""
    return H.ref_btt_second(round_to(H.ref_btt_intermediate(x, w1), element),
                            w2)


class RoundedIntermediateTest(unittest.TestCase):
    def setUp(self):
        self.rng = np.random.default_rng(3)

    def random(self, *shape):
        return round_to(self.rng.standard_normal(shape), "bf16")

    def test_monarch(self):
        # Rectangular: 3 blocks of 5 × 4, then 5 blocks of 2 × 3.
        x, w1, w2 = self.random(7, 12), self.random(3, 5, 4), \
            self.random(5, 2, 3)
        got, slack = gpu_check.rounded_intermediate("monarch", x, [w1, w2],
                                                    "bf16")
        expected = btt_by_loops(x, w1[:, None], w2[..., None], "bf16")
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
        self.assertTrue(np.all(slack > 0))
        # Rounding matters: the unrounded reference differs.
        self.assertFalse(np.allclose(got, H.ref_monarch(x, w1, w2),
                                     rtol=1e-9, atol=0))

    def test_btt(self):
        # Rank 3, 4 blocks of 6 × 5, then 6 blocks of 2 × 4.
        x, w1, w2 = self.random(9, 20), self.random(4, 3, 6, 5), \
            self.random(6, 2, 4, 3)
        got, slack = gpu_check.rounded_intermediate("btt", x, [w1, w2], "bf16")
        np.testing.assert_allclose(got, btt_by_loops(x, w1, w2, "bf16"),
                                   rtol=1e-12, atol=1e-12)
        # The slack: Σ |w2[a,u,c,ρ]| · ulp(z[ρ, c·l + a]).
        z = round_to(H.ref_btt_intermediate(x, w1), "bf16")
        expected_slack = H.ref_btt_second(H.ulp(np.abs(z), "bf16"),
                                          np.abs(w2))
        np.testing.assert_allclose(slack, expected_slack, rtol=1e-12)
        self.assertFalse(np.allclose(got, H.ref_btt(x, w1, w2), rtol=1e-9,
                                     atol=0))


if __name__ == "__main__":
    sys.exit(unittest.main(argv=[sys.argv[0], "-v"]))
