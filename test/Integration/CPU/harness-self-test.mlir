// The harness must be able to fail. Each RUN line feeds it a wrong answer and
// expects a FAIL report and a non-zero exit status:
// * a perturbed reference (STRUCTURED_HARNESS_PERTURB: one element moved by a
//   few tolerances);
// * a layer that accumulates into init instead of overwriting it;
// * a layer whose output uses the other ordering (blockdiag → permute →
//   blockdiag without the final permute: y[b, a·s + u] instead of
//   y[b, u·l + a]);
// * bf16 with an intermediate rounding to bf16 (not accumulating in f32),
//   which the half-ulp tolerance must reject. The chain is lowered without
//   structured canonicalization, which would turn it into a Monarch op that
//   keeps z in f32 (see README.md, known issues).
//
// RUN: env STRUCTURED_HARNESS_PERTURB=1 not %python -m structured_harness --op monarch --seed 801 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: not %python -m structured_harness --op monarch --func accumulates --seed 802 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: not %python -m structured_harness --op monarch --func wrong_order --seed 803 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: not %python -m structured_harness --op monarch --func rounds_twice --seed 804 --pipeline=--structured-to-cpu-pipeline=canonicalize-structured=false --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: FAIL {{.*}} elements out of tolerance
// CHECK-NEXT: at

func.func @layer(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>,
                 %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>)
                          outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

func.func @accumulates(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>,
                       %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %e = tensor.empty() : tensor<8x16xf32>
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>)
                          outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %e2 = tensor.empty() : tensor<8x16xf32>
  %sum = linalg.add ins(%y, %init : tensor<8x16xf32>, tensor<8x16xf32>) outs(%e2 : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %sum : tensor<8x16xf32>
}

// Rectangular, so that the two orderings differ everywhere: l=3, s=4.
func.func @wrong_order(%x: tensor<8x24xf32>, %w1: tensor<4x3x6xf32>, %w2: tensor<3x4x4xf32>,
                       %init: tensor<8x12xf32>) -> tensor<8x12xf32> {
  %e0 = tensor.empty() : tensor<8x12xf32>
  %z = structured.blockdiag ins(%x, %w1 : tensor<8x24xf32>, tensor<4x3x6xf32>)
                            outs(%e0 : tensor<8x12xf32>) -> tensor<8x12xf32>
  %e1 = tensor.empty() : tensor<8x12xf32>
  %zp = structured.permute ins(%z : tensor<8x12xf32>) outs(%e1 : tensor<8x12xf32>)
                           {rows = 4 : i64, cols = 3 : i64} -> tensor<8x12xf32>
  %v = structured.blockdiag ins(%zp, %w2 : tensor<8x12xf32>, tensor<3x4x4xf32>)
                            outs(%init : tensor<8x12xf32>) -> tensor<8x12xf32>
  return %v : tensor<8x12xf32>
}

// Both blockdiag factors in bf16, so the intermediate z is rounded to bf16.
func.func @rounds_twice(%x: tensor<8x64xbf16>, %w1: tensor<8x8x8xbf16>, %w2: tensor<8x8x8xbf16>,
                        %init: tensor<8x64xbf16>) -> tensor<8x64xbf16> {
  %e0 = tensor.empty() : tensor<8x64xbf16>
  %z = structured.blockdiag ins(%x, %w1 : tensor<8x64xbf16>, tensor<8x8x8xbf16>)
                            outs(%e0 : tensor<8x64xbf16>) -> tensor<8x64xbf16>
  %e1 = tensor.empty() : tensor<8x64xbf16>
  %zp = structured.permute ins(%z : tensor<8x64xbf16>) outs(%e1 : tensor<8x64xbf16>)
                           {rows = 8 : i64, cols = 8 : i64} -> tensor<8x64xbf16>
  %e2 = tensor.empty() : tensor<8x64xbf16>
  %v = structured.blockdiag ins(%zp, %w2 : tensor<8x64xbf16>, tensor<8x8x8xbf16>)
                            outs(%e2 : tensor<8x64xbf16>) -> tensor<8x64xbf16>
  %y = structured.permute ins(%v : tensor<8x64xbf16>) outs(%init : tensor<8x64xbf16>)
                          {rows = 8 : i64, cols = 8 : i64} -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}
