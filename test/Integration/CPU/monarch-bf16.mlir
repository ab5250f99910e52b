// bf16 Monarch (accumulation in f32, one rounding to bf16 at the end).
// Inputs are multiples of 2^-3 in [-1, 1], so the f32 accumulation is exact
// and the result must be within half a bf16 ulp of the exact value.
// RUN: %python -m structured_harness --op monarch --seed 81 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --seed 82 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<8x64xbf16>, %w1: tensor<8x8x8xbf16>, %w2: tensor<8x8x8xbf16>,
                 %init: tensor<8x64xbf16>) -> tensor<8x64xbf16> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x64xbf16>, tensor<8x8x8xbf16>, tensor<8x8x8xbf16>)
                          outs(%init : tensor<8x64xbf16>) -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}
