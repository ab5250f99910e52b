// Sizes beyond what the DFT lowering supports give a diagnostic, not a hang
// or an overflow.
// RUN: not struct-opt %s --structured-decompose -split-input-file 2>&1 | FileCheck %s

// CHECK: error: 'structured.causal_conv' op length 4611686018427387904 is too large for the FFT lowering
func.func @huge_conv(%u: tensor<1x1x4611686018427387904xf32>, %k: tensor<1x4611686018427387904xf32>, %i: tensor<1x1x4611686018427387904xf32>) -> tensor<1x1x4611686018427387904xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<1x1x4611686018427387904xf32>, tensor<1x4611686018427387904xf32>) outs(%i : tensor<1x1x4611686018427387904xf32>) -> tensor<1x1x4611686018427387904xf32>
  return %y : tensor<1x1x4611686018427387904xf32>
}

// -----

// CHECK: error: 'structured.poly_eval' op transform size 9223372036854775807 is too large for the DFT lowering
func.func @huge_eval(%x: tensor<1x3xf32>, %i: tensor<1x9223372036854775807xcomplex<f32>>) -> tensor<1x9223372036854775807xcomplex<f32>> {
  %y = structured.poly_eval ins(%x : tensor<1x3xf32>) outs(%i : tensor<1x9223372036854775807xcomplex<f32>>) -> tensor<1x9223372036854775807xcomplex<f32>>
  return %y : tensor<1x9223372036854775807xcomplex<f32>>
}
