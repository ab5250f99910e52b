// Diagnostics of structured-fuse.
// RUN: struct-opt %s --structured-fuse -split-input-file -verify-diagnostics
// RUN: not struct-opt %s --structured-fuse=batch-tile=-2 2>&1 | FileCheck %s --check-prefix=OPTION

// OPTION: error: batch-tile must not be negative, got -2

func.func @negative_tile(%x: tensor<64x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %e = tensor.empty() : tensor<64x16xf32>
  // expected-error @below {{'structured.tile_sizes' must not be negative, got [-4, 0]}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<64x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%e : tensor<64x16xf32>) {structured.tile_sizes = array<i64: -4, 0>} -> tensor<64x16xf32>
  %z = linalg.exp ins(%y : tensor<64x16xf32>) outs(%init : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %z : tensor<64x16xf32>
}
