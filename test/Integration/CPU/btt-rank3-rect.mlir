// BTT of rank 3, rectangular: 21 → 55 (k=3, q=5, p=7; l=5, s=11, r=3), with
// a dynamic batch.
// RUN: %python -m structured_harness --op btt --batch 4 --seed 121 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt --batch 9 --seed 122 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<?x21xf32>, %w1: tensor<3x3x5x7xf32>, %w2: tensor<5x11x3x3xf32>,
                 %init: tensor<?x55xf32>) -> tensor<?x55xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<?x21xf32>, tensor<3x3x5x7xf32>, tensor<5x11x3x3xf32>)
                          outs(%init : tensor<?x55xf32>) -> tensor<?x55xf32>
  return %y : tensor<?x55xf32>
}
