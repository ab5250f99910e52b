# RUN: %python %s
"""Group structure of the stride permutations, checked on explicit
permutations (index arrays built from the op's formula) and against the
harness's permute reference (structured_harness.ref_permute).

permute{rows=R, cols=C} on n = R·C features: y[c·R + r] = x[r·C + c].
As a map of positions, the element at i = r·C + c moves to d = c·R + r.
Since n ≡ 1 (mod n−1), i·R = r·n + c·R ≡ r + c·R = d (mod n−1); so for
n ≥ 2 the position map is i ↦ i·R mod (n−1) for i < n−1, and n−1 is fixed.
Hence permute{R2,·} ∘ permute{R1,·} moves i to i·R1·R2 mod (n−1), and
permute{C,R} inverts permute{R,C} (R·C = n ≡ 1).

StructuredOps.td also states that the composition is itself a stride
permutation when R1·R2 is congruent to a divisor of n modulo n − 1; that is
checked too, in both directions.
"""

import sys
import unittest

import numpy as np

import structured_harness as H

MAX_N = 48


def divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


def destination(rows, cols):
    """dest[i] = position that x[i] moves to under permute{rows, cols}."""
    n = rows * cols
    dest = np.empty(n, dtype=np.int64)
    for r in range(rows):
        for c in range(cols):
            dest[r * cols + c] = c * rows + r
    return dest


def apply(dest, x):
    """y[dest[i]] = x[i] on the last axis."""
    y = np.empty_like(x)
    y[..., dest] = x
    return y


def compose(first, second):
    """Position map of `first` followed by `second`."""
    return second[first]


def modular_map(n, mult):
    """i ↦ i·mult mod (n−1) for i < n−1, n−1 ↦ n−1 (n ≥ 2); identity n = 1."""
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    i = np.arange(n, dtype=np.int64)
    d = (i * mult) % (n - 1)
    d[n - 1] = n - 1
    return d


class StridePermutationTest(unittest.TestCase):

    def test_destination_is_a_permutation_and_matches_harness(self):
        rng = np.random.default_rng(40)
        for n in range(1, MAX_N + 1):
            for rows in divisors(n):
                dest = destination(rows, n // rows)
                self.assertEqual(sorted(dest.tolist()), list(range(n)))
                x = rng.standard_normal((3, n))
                np.testing.assert_array_equal(
                    H.ref_permute(x, rows, n // rows), apply(dest, x),
                    err_msg="n=%d rows=%d" % (n, rows))
                np.testing.assert_array_equal(
                    H.reference("permute", x[None], [],
                                {"rows": rows, "cols": n // rows}),
                    apply(dest, x)[None])

    def test_single_is_multiplication_mod_n_minus_1(self):
        for n in range(1, MAX_N + 1):
            for rows in divisors(n):
                np.testing.assert_array_equal(
                    destination(rows, n // rows), modular_map(n, rows),
                    err_msg="n=%d rows=%d" % (n, rows))

    def test_composition_all_divisor_pairs(self):
        rng = np.random.default_rng(41)
        checked = 0
        for n in range(1, MAX_N + 1):
            x = rng.standard_normal((2, n))
            for r1 in divisors(n):
                d1 = destination(r1, n // r1)
                y1 = H.ref_permute(x, r1, n // r1)
                for r2 in divisors(n):
                    d2 = destination(r2, n // r2)
                    msg = "n=%d R1=%d R2=%d" % (n, r1, r2)
                    composed = compose(d1, d2)
                    np.testing.assert_array_equal(
                        composed, modular_map(n, r1 * r2), err_msg=msg)
                    # Same thing on data, through the harness.
                    np.testing.assert_array_equal(
                        H.ref_permute(y1, r2, n // r2), apply(composed, x),
                        err_msg=msg)
                    checked += 1
        self.assertGreater(checked, 500)

    def test_inverse(self):
        rng = np.random.default_rng(42)
        for n in range(1, MAX_N + 1):
            x = rng.standard_normal((2, n))
            for rows in divisors(n):
                cols = n // rows
                ident = np.arange(n)
                msg = "n=%d rows=%d cols=%d" % (n, rows, cols)
                np.testing.assert_array_equal(
                    compose(destination(rows, cols), destination(cols, rows)),
                    ident, err_msg=msg)
                np.testing.assert_array_equal(
                    compose(destination(cols, rows), destination(rows, cols)),
                    ident, err_msg=msg)
                np.testing.assert_array_equal(
                    H.ref_permute(H.ref_permute(x, rows, cols), cols, rows),
                    x, err_msg=msg)

    def test_trivial_cases(self):
        for n in range(1, MAX_N + 1):
            np.testing.assert_array_equal(destination(1, n), np.arange(n))
            np.testing.assert_array_equal(destination(n, 1), np.arange(n))

    def test_composite_is_stride_permutation_iff_congruent_to_divisor(self):
        # StructuredOps.td: "stride permutations of the same size compose
        # into another stride permutation when the product of their row
        # counts is congruent to a divisor of n modulo n − 1". Checked in
        # both directions: the composite equals permute{R3, n/R3} exactly
        # when R3 ≡ R1·R2 (mod n−1) (for n ≥ 3; n ≤ 2 has only the identity).
        for n in range(1, MAX_N + 1):
            strides = {r: destination(r, n // r) for r in divisors(n)}
            for r1 in divisors(n):
                for r2 in divisors(n):
                    composed = compose(strides[r1], strides[r2])
                    equal = sorted(r for r, d in strides.items()
                                   if np.array_equal(d, composed))
                    if n <= 2:
                        congruent = divisors(n)
                    else:
                        congruent = [r for r in divisors(n)
                                     if (r - r1 * r2) % (n - 1) == 0]
                    self.assertEqual(equal, congruent,
                                     "n=%d R1=%d R2=%d" % (n, r1, r2))

    def test_group_example(self):
        # n = 16: permute{2,8} twice is i ↦ 4i mod 15 = permute{4,4}; four
        # times is i ↦ 16i ≡ i, the identity.
        d2 = destination(2, 8)
        np.testing.assert_array_equal(compose(d2, d2), destination(4, 4))
        np.testing.assert_array_equal(
            compose(compose(d2, d2), compose(d2, d2)), np.arange(16))
        # n = 12: R1·R2 = 2·2 = 4 ≡ 4 (mod 11) and 4 | 12, so it is
        # permute{4,3}; 2·3 = 6 ≡ 6 and 6 | 12 -> permute{6,2}; 3·3 = 9 is
        # not congruent to a divisor of 12, so no stride permutation.
        d = {r: destination(r, 12 // r) for r in divisors(12)}
        np.testing.assert_array_equal(compose(d[2], d[2]), d[4])
        np.testing.assert_array_equal(compose(d[2], d[3]), d[6])
        self.assertFalse(any(np.array_equal(compose(d[3], d[3]), v)
                             for v in d.values()))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
