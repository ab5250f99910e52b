// RUN: struct-opt %s --transform-interpreter -split-input-file -verify-diagnostics

// Tiling the output blocks by a size that does not divide the block count is
// rejected (weights and feature sizes are static, so partial blocks cannot be
// expressed).

func.func @blockdiag_block_tile_not_dividing(%x: tensor<8x16xf32>, %w: tensor<4x2x4xf32>, %init: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+3 {{'structured.blockdiag' op output blocks must be tiled by a constant size that divides 4}}
  // expected-error @+2 {{'structured.blockdiag' op faild to tile operation}}
  // expected-error @+1 {{'structured.blockdiag' op failed to generate tiling loops}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x16xf32>, tensor<4x2x4xf32>) outs(%init : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.blockdiag"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_for %0 tile_sizes [0, 3] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

func.func @monarch_block_tile_not_dividing(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-note @+4 {{when applied to this op}}
  // expected-error @+3 {{'structured.monarch' op output blocks must be tiled by a constant size that divides 4}}
  // expected-error @+2 {{'structured.monarch' op faild to tile operation}}
  // expected-error @+1 {{'structured.monarch' op failed to generate tiling loops}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.monarch"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    // expected-error @+1 {{transform.structured.tile_using_forall failed to apply}}
    %1, %loops = transform.structured.tile_using_forall %0 tile_sizes [0, 3] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// BTT: s = 10 blocks of w2, tile 4.
func.func @btt_block_tile_not_dividing(%x: tensor<8x16xf32>, %w1: tensor<4x2x6x4xf32>, %w2: tensor<3x10x8x2xf32>, %init: tensor<8x30xf32>) -> tensor<8x30xf32> {
  // expected-error @+3 {{'structured.btt' op output blocks must be tiled by a constant size that divides 10}}
  // expected-error @+2 {{'structured.btt' op faild to tile operation}}
  // expected-error @+1 {{'structured.btt' op failed to generate tiling loops}}
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x2x6x4xf32>, tensor<3x10x8x2xf32>) outs(%init : tensor<8x30xf32>) -> tensor<8x30xf32>
  return %y : tensor<8x30xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.btt"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_for %0 tile_sizes [0, 4] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// permute {rows = 3, cols = 4}: 4 column blocks, tile 3.
func.func @permute_block_tile_not_dividing(%x: tensor<8x12xf32>, %init: tensor<8x12xf32>) -> tensor<8x12xf32> {
  // expected-error @+3 {{'structured.permute' op output blocks must be tiled by a constant size that divides 4}}
  // expected-error @+2 {{'structured.permute' op faild to tile operation}}
  // expected-error @+1 {{'structured.permute' op failed to generate tiling loops}}
  %y = structured.permute ins(%x : tensor<8x12xf32>) outs(%init : tensor<8x12xf32>) {rows = 3, cols = 4} -> tensor<8x12xf32>
  return %y : tensor<8x12xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.permute"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_for %0 tile_sizes [0, 3] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// On memrefs a permute cannot be tiled over part of its column blocks.
func.func @permute_memref_cols(%x: memref<8x12xf32>, %init: memref<8x12xf32>) {
  // expected-error @+3 {{'structured.permute' op can only tile the output blocks of a permute on tensors}}
  // expected-error @+2 {{'structured.permute' op faild to tile operation}}
  // expected-error @+1 {{'structured.permute' op failed to generate tiling loops}}
  structured.permute ins(%x : memref<8x12xf32>) outs(%init : memref<8x12xf32>) {rows = 3, cols = 4}
  return
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.permute"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_for %0 tile_sizes [0, 2] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
