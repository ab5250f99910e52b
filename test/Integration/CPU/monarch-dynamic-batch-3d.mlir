// Monarch with two dynamic batch dimensions (?x?x16).
// RUN: %python -m structured_harness --op monarch --batch 2x3 --seed 71 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --batch 1x7 --seed 72 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<?x?x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>,
                 %init: tensor<?x?x16xf32>) -> tensor<?x?x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>)
                          outs(%init : tensor<?x?x16xf32>) -> tensor<?x?x16xf32>
  return %y : tensor<?x?x16xf32>
}
