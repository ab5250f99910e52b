// RUN: struct-opt %s | FileCheck %s
// CHECK: structured.monarch
func.func @f(%x: tensor<2x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<2x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<2x16xf32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}
