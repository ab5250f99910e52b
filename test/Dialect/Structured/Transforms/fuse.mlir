// Producer fusion through TilingInterface: a monarch feeding an scf.forall is
// tiled into it when the consumer reads whole output blocks, and cloned whole
// otherwise (never fused as a wrong slice).
// RUN: struct-opt %s --transform-interpreter -split-input-file | FileCheck %s

// w1: 4x5x4, w2: 4x5x5 (l = 4, s = 5): output block u covers [4u, 4u + 4).
// CHECK-LABEL: func.func @fuse_aligned(
// CHECK:         scf.forall (%[[I:.*]]) in (5)
// CHECK:           %[[W2:.*]] = tensor.extract_slice %{{.*}}[0, %[[I]], 0] [4, 1, 5] [1, 1, 1] : tensor<4x5x5xf32> to tensor<4x1x5xf32>
// CHECK:           structured.monarch ins(%{{.*}}, %{{.*}}, %[[W2]] : tensor<8x16xf32>, tensor<4x5x4xf32>, tensor<4x1x5xf32>) outs(%{{.*}} : tensor<8x4xf32>) -> tensor<8x4xf32>
func.func @fuse_aligned(%x: tensor<8x16xf32>, %w1: tensor<4x5x4xf32>, %w2: tensor<4x5x5xf32>, %init: tensor<8x20xf32>, %out: tensor<8x20xf32>) -> tensor<8x20xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x5x4xf32>, tensor<4x5x5xf32>) outs(%init : tensor<8x20xf32>) -> tensor<8x20xf32>
  %r = scf.forall (%i) in (5) shared_outs(%o = %out) -> (tensor<8x20xf32>) {
    %off = affine.apply affine_map<(d0) -> (d0 * 4)>(%i)
    %s = tensor.extract_slice %y[0, %off] [8, 4] [1, 1] : tensor<8x20xf32> to tensor<8x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %s into %o[0, %off] [8, 4] [1, 1] : tensor<8x4xf32> into tensor<8x20xf32>
    }
  }
  return %r : tensor<8x20xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %producer = transform.structured.match ops{["structured.monarch"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.structured.match ops{["scf.forall"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.structured.fuse_into_containing_op %producer into %loop : (!transform.any_op, !transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// The consumer reads [4i + 1, 4i + 5), which straddles two output blocks: the
// producer is not tiled to a (wrong) block slice.
// CHECK-LABEL: func.func @no_fuse_misaligned(
// CHECK-NOT:     tensor<4x1x5xf32>
// CHECK:         structured.monarch ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<4x5x4xf32>, tensor<4x5x5xf32>) outs(%{{.*}} : tensor<8x20xf32>) -> tensor<8x20xf32>
// CHECK-NOT:     tensor<4x1x5xf32>
func.func @no_fuse_misaligned(%x: tensor<8x16xf32>, %w1: tensor<4x5x4xf32>, %w2: tensor<4x5x5xf32>, %init: tensor<8x20xf32>, %out: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x5x4xf32>, tensor<4x5x5xf32>) outs(%init : tensor<8x20xf32>) -> tensor<8x20xf32>
  %r = scf.forall (%i) in (4) shared_outs(%o = %out) -> (tensor<8x16xf32>) {
    %off = affine.apply affine_map<(d0) -> (d0 * 4 + 1)>(%i)
    %dst = affine.apply affine_map<(d0) -> (d0 * 4)>(%i)
    %s = tensor.extract_slice %y[0, %off] [8, 4] [1, 1] : tensor<8x20xf32> to tensor<8x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %s into %o[0, %dst] [8, 4] [1, 1] : tensor<8x4xf32> into tensor<8x16xf32>
    }
  }
  return %r : tensor<8x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %producer = transform.structured.match ops{["structured.monarch"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.structured.match ops{["scf.forall"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.structured.fuse_into_containing_op %producer into %loop : (!transform.any_op, !transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
