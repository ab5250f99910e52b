// Monarch with sizes that are not powers of two and all differ:
// k=3, q=5, p=7 (21 → 15) then l=5 blocks of s=11 × r=3 (15 → 55).
// RUN: %python -m structured_harness --op monarch --seed 41 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --seed 42 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<7x21xf32>, %w1: tensor<3x5x7xf32>, %w2: tensor<5x11x3xf32>,
                 %init: tensor<7x55xf32>) -> tensor<7x55xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<7x21xf32>, tensor<3x5x7xf32>, tensor<5x11x3xf32>)
                          outs(%init : tensor<7x55xf32>) -> tensor<7x55xf32>
  return %y : tensor<7x55xf32>
}
