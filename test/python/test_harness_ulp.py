# RUN: %python %s
"""The harness's ulp (structured_harness.ulp), which the GPU checks use as
the rounding slack of rounded intermediates, against numpy's spacing of the
same float type: f16 and f32 directly, bf16 as f32 with 16 fewer mantissa
bits. Normal values only, plus f16 subnormals (whose ulp is fixed)."""

import sys
import unittest

import numpy as np

import structured_harness as H


class UlpTest(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(0)
        self.values = np.concatenate([
            rng.uniform(-1.0, 1.0, 200) * 2.0**rng.integers(-60, 60, 200),
            2.0**np.arange(-60, 61), [1.0, -3.0, 1000.5]
        ])

    def test_f32(self):
        expected = np.spacing(np.abs(self.values).astype(np.float32))
        np.testing.assert_array_equal(H.ulp(self.values, "f32"), expected)

    def test_bf16(self):
        expected = np.spacing(np.abs(self.values).astype(np.float32)) * 2**16
        np.testing.assert_array_equal(H.ulp(self.values, "bf16"), expected)

    def test_f16(self):
        values = self.values[np.abs(self.values) < 60000]
        expected = np.spacing(np.abs(values).astype(np.float16))
        np.testing.assert_array_equal(H.ulp(values, "f16"),
                                      expected.astype(np.float64))

    def test_unknown_type(self):
        with self.assertRaises(KeyError):
            H.ulp(np.ones(2), "f64")


if __name__ == "__main__":
    sys.exit(not unittest.main(exit=False).result.wasSuccessful())
