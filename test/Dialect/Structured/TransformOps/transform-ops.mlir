// A schedule scripted with the transform dialect: fold a permutation into an
// einsum (which becomes a monarch), annotate it with the cost model's tiles,
// fuse it with its bias/activation consumer into one loop over batch tiles,
// then decompose or vectorize.
// RUN: struct-opt %s --transform-interpreter -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @schedule(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<256x64xf32>
// CHECK-NOT:     structured.permute
// CHECK-NOT:     structured.einsum_linear
// CHECK:         scf.forall (%[[B:.*]]) = (0) to (256) step (128)
// CHECK:           %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], 0] [128, 64] [1, 1]
// CHECK:           structured.monarch ins(%[[XT]], {{.*}}) {structured.kernel = array<i64: {{[0-9]+}}, {{[0-9]+}}>} -> tensor<128x64xf32>
// CHECK:           linalg.generic
// CHECK:             arith.maximumf
// CHECK:           scf.forall.in_parallel
// CHECK-NOT:     structured.monarch
// CHECK:         return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @schedule(%x: tensor<256x64xf32>, %w1: tensor<8x8x8xf32>, %w2: tensor<8x8x8xf32>, %init: tensor<256x64xf32>) -> tensor<256x64xf32> {
  %e = tensor.empty() : tensor<256x64xf32>
  %p = structured.permute ins(%x : tensor<256x64xf32>) outs(%e : tensor<256x64xf32>) {rows = 8 : i64, cols = 8 : i64} -> tensor<256x64xf32>
  %y = structured.einsum_linear ins(%p, %w1, %w2 : tensor<256x64xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>) outs(%e : tensor<256x64xf32>) {spec = "bpk,kqp,qlk->blq"} -> tensor<256x64xf32>
  %z = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<256x64xf32>) outs(%init : tensor<256x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<256x64xf32>
  return %z : tensor<256x64xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %func {
      transform.apply_patterns.structured.fold_permutations
    } : !transform.any_op
    %monarch = transform.structured.match ops{["structured.monarch"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.structured.select_tile_sizes %monarch {threads = 2, vector_width = 16, vector_registers = 32} : !transform.any_op
    %act = transform.structured.match ops{["linalg.generic"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.structured.fuse_into_batch_tiles %act batch_tile = [128] : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %func {
      transform.apply_patterns.tensor.fold_tensor_empty
    } : !transform.any_op
    transform.yield
  }
}

// -----

// The tile comes from the structured op's annotation when none is given.
// CHECK-LABEL: func.func @annotated_tile(
// CHECK-NOT:     structured.btt
// CHECK:         scf.forall (%{{.*}}) = (0) to (64) step (16)
// CHECK:           structured.btt
// CHECK:           linalg.exp
func.func @annotated_tile(%x: tensor<64x16xf32>, %w1: tensor<4x2x4x4xf32>, %w2: tensor<4x4x4x2xf32>, %init: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %e = tensor.empty() : tensor<64x16xf32>
  %y = structured.btt ins(%x, %w1, %w2 : tensor<64x16xf32>, tensor<4x2x4x4xf32>, tensor<4x4x4x2xf32>) outs(%e : tensor<64x16xf32>) {structured.tile_sizes = array<i64: 16, 0>} -> tensor<64x16xf32>
  %z = linalg.exp ins(%y : tensor<64x16xf32>) outs(%init : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %z : tensor<64x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %exp = transform.structured.match ops{["linalg.exp"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.structured.fuse_into_batch_tiles %exp : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

// Decomposition patterns: everything but the vectorizable monarch becomes
// linalg with keep_vectorizable; without it the monarch goes too.
// CHECK-LABEL: func.func @decompose(
// CHECK-NOT:     structured.einsum_linear
// CHECK:         structured.monarch
// CHECK-LABEL: func.func @decompose_all(
// CHECK-NOT:     structured.monarch
// CHECK:         linalg.generic
// CHECK-NOT:     structured.monarch
// CHECK:         return
func.func @decompose(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %f: tensor<3x16xf32>, %i1: tensor<8x16xf32>, %i2: tensor<8x3xf32>) -> (tensor<8x16xf32>, tensor<8x3xf32>) {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%i1 : tensor<8x16xf32>) -> tensor<8x16xf32>
  %z = structured.einsum_linear ins(%x, %f : tensor<8x16xf32>, tensor<3x16xf32>) outs(%i2 : tensor<8x3xf32>) {spec = "bi,oi->bo"} -> tensor<8x3xf32>
  return %y, %z : tensor<8x16xf32>, tensor<8x3xf32>
}
func.func @decompose_all(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %i1: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%i1 : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %f1 = transform.structured.match ops{["func.func"]} attributes {sym_name = "decompose"} in %root : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %f1 {
      transform.apply_patterns.structured.decompose {keep_vectorizable}
    } : !transform.any_op
    %f2 = transform.structured.match ops{["func.func"]} attributes {sym_name = "decompose_all"} in %root : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %f2 {
      transform.apply_patterns.structured.decompose
    } : !transform.any_op
    transform.yield
  }
}

// -----

// Vector kernels for a buffer-form monarch.
// CHECK-LABEL: func.func @vectorize(
// CHECK-NOT:     structured.monarch
// CHECK:         vector.fma {{.*}} : vector<16xf32>
func.func @vectorize(%x: memref<64x64xf32>, %w1: memref<8x8x8xf32>, %w2: memref<8x8x8xf32>, %y: memref<64x64xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<64x64xf32>, memref<8x8x8xf32>, memref<8x8x8xf32>) outs(%y : memref<64x64xf32>)
  return
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %f = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %f {
      transform.apply_patterns.structured.to_vector {lanes = 32, row_block = 4}
    } : !transform.any_op
    transform.yield
  }
}
