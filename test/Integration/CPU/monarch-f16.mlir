// f16 Monarch, rectangular 24 → 12 (accumulation in f32, one rounding to f16).
// RUN: %python -m structured_harness --op monarch --seed 91 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<8x24xf16>, %w1: tensor<4x3x6xf16>, %w2: tensor<3x4x4xf16>,
                 %init: tensor<8x12xf16>) -> tensor<8x12xf16> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x24xf16>, tensor<4x3x6xf16>, tensor<3x4x4xf16>)
                          outs(%init : tensor<8x12xf16>) -> tensor<8x12xf16>
  return %y : tensor<8x12xf16>
}
