// causal_conv -> poly_eval/poly_interp -> monarch on complex values, one
// level per decomposition round.
// RUN: struct-opt %s --structured-decompose | FileCheck %s
// RUN: struct-opt %s --structured-decompose="causal-conv=direct" | FileCheck %s --check-prefix=DIRECT
// RUN: not struct-opt %s --structured-decompose="causal-conv=fast" 2>&1 | FileCheck %s --check-prefix=BADOPT

// BADOPT: unknown causal-conv lowering 'fast'; expected 'fft' or 'direct'

// The final IR is linalg only; L = 12 pads to M = 32 = 4·8: the DFT weights
// are 8 copies of DFT_4 and 4 blocks of 8x8 twiddled DFT_8, computed by
// linalg.generic with cos/sin of exact integer phases.
// CHECK-LABEL: func.func @causal_conv(
// CHECK-NOT:     structured.
// CHECK-DAG:     tensor.empty() : tensor<8x4x4xcomplex<f32>>
// CHECK-DAG:     tensor.empty() : tensor<4x8x8xcomplex<f32>>
// CHECK-DAG:     math.cos
// CHECK-DAG:     math.sin
// CHECK-DAG:     complex.mul
// CHECK-DAG:     complex.re
// CHECK-NOT:     tensor<32x32x
func.func @causal_conv(%u: tensor<?x3x12xf32>, %k: tensor<3x12xf32>, %init: tensor<?x3x12xf32>) -> tensor<?x3x12xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<?x3x12xf32>, tensor<3x12xf32>) outs(%init : tensor<?x3x12xf32>) -> tensor<?x3x12xf32>
  return %y : tensor<?x3x12xf32>
}

// Complexity: L = 1024 pads to M = 2048 = 64·32, so each DFT is 32 copies of
// DFT_64 and 64 twiddled DFT_32 blocks (64·32·32 + 32·64·64 = 196608 complex
// MACs per sequence, against 2048² = 4194304 for a dense DFT); no M×M matrix
// appears anywhere.
// CHECK-LABEL: func.func @causal_conv_1024(
// CHECK-NOT:     structured.
// CHECK-NOT:     2048x2048
// CHECK-DAG:     tensor.empty() : tensor<32x64x64xcomplex<f32>>
// CHECK-DAG:     tensor.empty() : tensor<64x32x32xcomplex<f32>>
// CHECK-NOT:     2048x2048
// CHECK:         return
func.func @causal_conv_1024(%u: tensor<2x3x1024xf32>, %k: tensor<3x1024xf32>, %init: tensor<2x3x1024xf32>) -> tensor<2x3x1024xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<2x3x1024xf32>, tensor<3x1024xf32>) outs(%init : tensor<2x3x1024xf32>) -> tensor<2x3x1024xf32>
  return %y : tensor<2x3x1024xf32>
}

// The direct O(L²) sum: one generic with a reduction over s, masked for s > t.
// DIRECT-LABEL: func.func @causal_conv(
// DIRECT:         linalg.generic
// DIRECT-SAME:      iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// DIRECT:           arith.cmpi ule
// DIRECT:           arith.select
// DIRECT-NOT:     complex.
