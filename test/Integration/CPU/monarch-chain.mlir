// The chain blockdiag → permute{rows=r, cols=l} → blockdiag → permute{rows=l,
// cols=s} is a Monarch map (DESIGN.md §1). Canonicalization recognises it as
// structured.monarch; executed both ways it must match the numpy Monarch
// reference on the two blockdiag weights.
//
// RUN: struct-opt --canonicalize %s | FileCheck %s --check-prefix=CANON
// RUN: %python -m structured_harness --op monarch --seed 501 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --seed 502 --pipeline=--structured-to-cpu-pipeline=canonicalize-structured=false --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --func square --seed 503 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --func square --seed 504 --pipeline=--structured-to-cpu-pipeline=canonicalize-structured=false --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

// CANON-LABEL: func.func @layer
// CANON-NOT:     structured.permute
// CANON-NOT:     structured.blockdiag
// CANON:         structured.monarch
// CANON-NOT:     structured.permute
// CANON-NOT:     structured.blockdiag
// CANON-LABEL: func.func @square
// CANON-NOT:     structured.permute
// CANON-NOT:     structured.blockdiag
// CANON:         structured.monarch
// CANON-NOT:     structured.permute
// CANON-NOT:     structured.blockdiag

// Rectangular 24 → 12: w1 = 4 blocks of 3×6 (k=4, q=3, p=6),
// w2 = 3 blocks of 4×4 (l=3, s=4, r=4).
func.func @layer(%x: tensor<8x24xf32>, %w1: tensor<4x3x6xf32>, %w2: tensor<3x4x4xf32>,
                 %init: tensor<8x12xf32>) -> tensor<8x12xf32> {
  %e0 = tensor.empty() : tensor<8x12xf32>
  %z = structured.blockdiag ins(%x, %w1 : tensor<8x24xf32>, tensor<4x3x6xf32>)
                            outs(%e0 : tensor<8x12xf32>) -> tensor<8x12xf32>
  %e1 = tensor.empty() : tensor<8x12xf32>
  %zp = structured.permute ins(%z : tensor<8x12xf32>) outs(%e1 : tensor<8x12xf32>)
                           {rows = 4 : i64, cols = 3 : i64} -> tensor<8x12xf32>
  %e2 = tensor.empty() : tensor<8x12xf32>
  %v = structured.blockdiag ins(%zp, %w2 : tensor<8x12xf32>, tensor<3x4x4xf32>)
                            outs(%e2 : tensor<8x12xf32>) -> tensor<8x12xf32>
  %y = structured.permute ins(%v : tensor<8x12xf32>) outs(%init : tensor<8x12xf32>)
                          {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
  return %y : tensor<8x12xf32>
}

// Square n = 16, 4 blocks of 4×4 in both factors, batch 5.
func.func @square(%x: tensor<5x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>,
                  %init: tensor<5x16xf32>) -> tensor<5x16xf32> {
  %e0 = tensor.empty() : tensor<5x16xf32>
  %z = structured.blockdiag ins(%x, %w1 : tensor<5x16xf32>, tensor<4x4x4xf32>)
                            outs(%e0 : tensor<5x16xf32>) -> tensor<5x16xf32>
  %e1 = tensor.empty() : tensor<5x16xf32>
  %zp = structured.permute ins(%z : tensor<5x16xf32>) outs(%e1 : tensor<5x16xf32>)
                           {rows = 4 : i64, cols = 4 : i64} -> tensor<5x16xf32>
  %e2 = tensor.empty() : tensor<5x16xf32>
  %v = structured.blockdiag ins(%zp, %w2 : tensor<5x16xf32>, tensor<4x4x4xf32>)
                            outs(%e2 : tensor<5x16xf32>) -> tensor<5x16xf32>
  %y = structured.permute ins(%v : tensor<5x16xf32>) outs(%init : tensor<5x16xf32>)
                          {rows = 4 : i64, cols = 4 : i64} -> tensor<5x16xf32>
  return %y : tensor<5x16xf32>
}
