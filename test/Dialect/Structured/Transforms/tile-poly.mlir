// Tiling the polynomial maps over their batch (and, for causal_conv, channel)
// dimensions; the kernel's rows follow the channel tile.
// RUN: struct-opt %s --transform-interpreter -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @tile_causal_conv(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x6x16xf32>, %[[K:[^:]*]]: tensor<6x16xf32>
// CHECK:         scf.for %[[B:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK:           scf.for %[[H:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK-DAG:         %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], %[[H]], 0] [2, 3, 16] [1, 1, 1]
// CHECK-DAG:         %[[KT:.*]] = tensor.extract_slice %[[K]][%[[H]], 0] [3, 16] [1, 1]
// CHECK:             structured.causal_conv ins(%[[XT]], %[[KT]] : tensor<2x3x16xf32>, tensor<3x16xf32>) outs(%{{.*}} : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
func.func @tile_causal_conv(%x: tensor<4x6x16xf32>, %k: tensor<6x16xf32>, %init: tensor<4x6x16xf32>) -> tensor<4x6x16xf32> {
  %y = structured.causal_conv ins(%x, %k : tensor<4x6x16xf32>, tensor<6x16xf32>) outs(%init : tensor<4x6x16xf32>) -> tensor<4x6x16xf32>
  return %y : tensor<4x6x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["structured.causal_conv"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:2 = transform.structured.tile_using_for %op tile_sizes [2, 3] : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// CHECK-LABEL: func.func @tile_poly_eval(
// CHECK:         scf.forall (%{{.*}}) in (2)
// CHECK:           structured.poly_eval ins(%{{.*}} : tensor<4x5xf32>) outs(%{{.*}} : tensor<4x8xcomplex<f32>>) -> tensor<4x8xcomplex<f32>>
func.func @tile_poly_eval(%x: tensor<8x5xf32>, %init: tensor<8x8xcomplex<f32>>) -> tensor<8x8xcomplex<f32>> {
  %y = structured.poly_eval ins(%x : tensor<8x5xf32>) outs(%init : tensor<8x8xcomplex<f32>>) -> tensor<8x8xcomplex<f32>>
  return %y : tensor<8x8xcomplex<f32>>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["structured.poly_eval"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loop = transform.structured.tile_using_forall %op tile_sizes [4, 0] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
