// Monarch with a dynamic batch dimension, run at several concrete batches
// (n = 24 → 20: w1 4 blocks of 5×6, w2 4 blocks of 5×5).
// RUN: %python -m structured_harness --op monarch --batch 1 --seed 61 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --batch 5 --seed 62 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --batch 16 --seed 63 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<?x24xf32>, %w1: tensor<4x5x6xf32>, %w2: tensor<4x5x5xf32>,
                 %init: tensor<?x20xf32>) -> tensor<?x20xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x24xf32>, tensor<4x5x6xf32>, tensor<4x5x5xf32>)
                          outs(%init : tensor<?x20xf32>) -> tensor<?x20xf32>
  return %y : tensor<?x20xf32>
}
