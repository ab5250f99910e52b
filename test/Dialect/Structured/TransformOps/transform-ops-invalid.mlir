// Diagnostics of the structured transform ops.
// RUN: struct-opt %s --transform-interpreter -split-input-file -verify-diagnostics

func.func @not_costed(%x: tensor<8x12xf32>, %e: tensor<8x12xf32>) -> tensor<8x12xf32> {
  // expected-note @below {{target op}}
  %p = structured.permute ins(%x : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
  return %p : tensor<8x12xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %p = transform.structured.match ops{["structured.permute"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{the cost model does not cost this op}}
    transform.structured.select_tile_sizes %p : !transform.any_op
    transform.yield
  }
}

// -----

func.func @no_tile(%x: tensor<64x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %e = tensor.empty() : tensor<64x16xf32>
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<64x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%e : tensor<64x16xf32>) -> tensor<64x16xf32>
  // expected-note @below {{root op}}
  %z = linalg.exp ins(%y : tensor<64x16xf32>) outs(%init : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %z : tensor<64x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %exp = transform.structured.match ops{["linalg.exp"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{could not tile and fuse along the batch}}
    %loop = transform.structured.fuse_into_batch_tiles %exp : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    transform.apply_patterns to %root {
      // expected-error @below {{needs a positive vector_width, lanes a multiple of it and a positive row_block; got lanes = 20, row_block = 8, vector_width = 16}}
      transform.apply_patterns.structured.to_vector {lanes = 20}
    } : !transform.any_op
    transform.yield
  }
}
