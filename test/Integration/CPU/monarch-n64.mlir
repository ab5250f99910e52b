// Square Monarch, n = 64 with 8 blocks of 8×8 in both factors.
// RUN: %python -m structured_harness --op monarch --seed 11 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --seed 12 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<8x64xf32>, %w1: tensor<8x8x8xf32>, %w2: tensor<8x8x8xf32>,
                 %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x64xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>)
                          outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
