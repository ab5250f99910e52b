// structured.blockdiag on its own: square blocks, rectangular blocks (both
// shrinking and expanding), non-power-of-two sizes, 3-D and dynamic batch.
// RUN: %python -m structured_harness --op blockdiag --seed 201 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op blockdiag --func rect_shrink --seed 202 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op blockdiag --func rect_expand --seed 203 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op blockdiag --func non_pow2 --seed 204 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op blockdiag --func batch_3d --seed 205 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op blockdiag --func dynamic --batch 3 --seed 206 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op blockdiag --func dynamic --batch 11 --seed 207 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

// 4 blocks of 4×4.
func.func @layer(%x: tensor<8x16xf32>, %w: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x16xf32>, tensor<4x4x4xf32>)
                            outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// 2 blocks of 2×3: 6 features → 4 (the example of the op's documentation).
func.func @rect_shrink(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>)
                            outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// 3 blocks of 5×2: 6 features → 15.
func.func @rect_expand(%x: tensor<8x6xf32>, %w: tensor<3x5x2xf32>, %init: tensor<8x15xf32>) -> tensor<8x15xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<3x5x2xf32>)
                            outs(%init : tensor<8x15xf32>) -> tensor<8x15xf32>
  return %y : tensor<8x15xf32>
}

// 7 blocks of 5×3: 21 features → 35.
func.func @non_pow2(%x: tensor<5x21xf32>, %w: tensor<7x5x3xf32>, %init: tensor<5x35xf32>) -> tensor<5x35xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<5x21xf32>, tensor<7x5x3xf32>)
                            outs(%init : tensor<5x35xf32>) -> tensor<5x35xf32>
  return %y : tensor<5x35xf32>
}

// 3-D batch, 2 blocks of 3×4: 8 features → 6.
func.func @batch_3d(%x: tensor<2x3x8xf32>, %w: tensor<2x3x4xf32>, %init: tensor<2x3x6xf32>) -> tensor<2x3x6xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<2x3x8xf32>, tensor<2x3x4xf32>)
                            outs(%init : tensor<2x3x6xf32>) -> tensor<2x3x6xf32>
  return %y : tensor<2x3x6xf32>
}

// Dynamic batch, 4 blocks of 3×5: 20 features → 12.
func.func @dynamic(%x: tensor<?x20xf32>, %w: tensor<4x3x5xf32>, %init: tensor<?x12xf32>) -> tensor<?x12xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<?x20xf32>, tensor<4x3x5xf32>)
                            outs(%init : tensor<?x12xf32>) -> tensor<?x12xf32>
  return %y : tensor<?x12xf32>
}
