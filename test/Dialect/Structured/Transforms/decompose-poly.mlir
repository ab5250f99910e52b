// Decomposition of the polynomial maps.
// RUN: struct-opt %s -split-input-file --structured-decompose | FileCheck %s
// RUN: struct-opt %s -split-input-file --structured-decompose=keep-vectorizable | FileCheck %s --check-prefix=KEEP
// RUN: struct-opt %s -split-input-file --structured-decompose="causal-conv=direct" | FileCheck %s --check-prefix=DIRECT
// RUN: struct-opt %s -split-input-file --structured-decompose="keep-gpu-kernels causal-conv=direct" | FileCheck %s --check-prefix=DIRECT
// RUN: struct-opt %s -split-input-file --structured-decompose=keep-gpu-kernels | FileCheck %s --check-prefix=GPU
// RUN: not struct-opt %s --structured-decompose="causal-conv=fast" 2>&1 | FileCheck %s --check-prefix=BADOPT

// BADOPT: unknown causal-conv lowering 'fast'; expected 'fft' or 'direct'

// causal_conv becomes real f32 Monarch products (complex DFT factors embedded
// as 2×2 real blocks): L = 12 pads to M = 32 = 4·8. Forward: 8 blocks of
// 8×2 (T = 2 non-zero input rows per block), then 4 blocks of 10×16 (the
// H = 5 rows of the Hermitian half spectrum); inverse: 4 blocks of 16×10,
// then 8 blocks of 2×8 (U = 2 output rows). The weights are private globals
// filled once with cos/sin of exact integer phases; nothing is complex.
// CHECK-DAG:   memref.global "private" @__structured_dft_l12_fwd_w1 : memref<8x8x2xf32> = uninitialized
// CHECK-DAG:   memref.global "private" @__structured_dft_l12_fwd_w2 : memref<4x10x16xf32> = uninitialized
// CHECK-DAG:   memref.global "private" @__structured_dft_l12_inv_w1 : memref<4x16x10xf32> = uninitialized
// CHECK-DAG:   memref.global "private" @__structured_dft_l12_inv_w2 : memref<8x2x8xf32> = uninitialized
// CHECK-DAG:   memref.global "private" @__structured_dft_l12_fwd_w1_ready : memref<i1> = dense<false>
// CHECK-LABEL: func.func @causal_conv(
// CHECK-NOT:     complex
// CHECK:         %[[READY:.*]] = memref.load
// CHECK:         scf.if
// CHECK:           linalg.generic
// CHECK:             math.cos
// CHECK:             math.sin
// CHECK:         bufferization.to_tensor {{.*}} restrict
// CHECK-NOT:     structured.
// CHECK-NOT:     complex
// CHECK:         return
// KEEP-LABEL:  func.func @causal_conv(
// KEEP-COUNT-3:  structured.monarch {{.*}} : tensor<{{.*}}xf32>, tensor<{{.*}}xf32>, tensor<{{.*}}xf32>)
// KEEP-NOT:      structured.
// KEEP:          return
// keep-gpu-kernels leaves causal_conv to its fused FFT kernels (not with
// causal-conv=direct, the DIRECT run above with keep-gpu-kernels).
// GPU-LABEL:   func.func @causal_conv(
// GPU-NEXT:      %[[Y:.*]] = structured.causal_conv
// GPU-NEXT:      return %[[Y]]
func.func @causal_conv(%u: tensor<?x3x12xf32>, %k: tensor<3x12xf32>, %init: tensor<?x3x12xf32>) -> tensor<?x3x12xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<?x3x12xf32>, tensor<3x12xf32>) outs(%init : tensor<?x3x12xf32>) -> tensor<?x3x12xf32>
  return %y : tensor<?x3x12xf32>
}

// The direct O(L²) sum: one generic with a reduction over s, masked for s > t.
// DIRECT-LABEL: func.func @causal_conv(
// DIRECT:         linalg.generic
// DIRECT-SAME:      iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// DIRECT:           arith.cmpi ule
// DIRECT:           arith.select
// DIRECT-NOT:     complex.
// DIRECT:         return

// -----

// Complexity: L = 1024 pads to M = 2048 = 32·64: per sequence
// 64·64·16 + 32·66·128 real MACs forward and 32·128·66 + 64·16·64 inverse
// (671744 in all, against 4·2048·2048 for dense complex DFTs); no M×M matrix
// appears anywhere.
// CHECK-DAG:   memref.global "private" @__structured_dft_l1024_fwd_w1 : memref<64x64x16xf32>
// CHECK-DAG:   memref.global "private" @__structured_dft_l1024_fwd_w2 : memref<32x66x128xf32>
// CHECK-DAG:   memref.global "private" @__structured_dft_l1024_inv_w1 : memref<32x128x66xf32>
// CHECK-DAG:   memref.global "private" @__structured_dft_l1024_inv_w2 : memref<64x16x64xf32>
// CHECK-LABEL: func.func @causal_conv_1024(
// CHECK-NOT:     2048x2048
// CHECK:         return
func.func @causal_conv_1024(%u: tensor<2x3x1024xf32>, %k: tensor<3x1024xf32>, %init: tensor<2x3x1024xf32>) -> tensor<2x3x1024xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<2x3x1024xf32>, tensor<3x1024xf32>) outs(%init : tensor<2x3x1024xf32>) -> tensor<2x3x1024xf32>
  return %y : tensor<2x3x1024xf32>
}

// -----

// poly_eval: a Monarch product on complex values, M = 32 = 4·8: 8 copies of
// DFT_4 and 4 blocks of 8×8 twiddled DFT_8, after the stride permutation.
// CHECK-LABEL: func.func @poly_eval(
// CHECK-DAG:     tensor.empty() : tensor<8x4x4xcomplex<f32>>
// CHECK-DAG:     tensor.empty() : tensor<4x8x8xcomplex<f32>>
// CHECK-DAG:     math.cos
// CHECK-DAG:     complex.mul
// CHECK-NOT:     tensor<32x32x
// CHECK:         return
func.func @poly_eval(%x: tensor<?x12xf32>, %init: tensor<?x32xcomplex<f32>>) -> tensor<?x32xcomplex<f32>> {
  %y = structured.poly_eval ins(%x : tensor<?x12xf32>) outs(%init : tensor<?x32xcomplex<f32>>) -> tensor<?x32xcomplex<f32>>
  return %y : tensor<?x32xcomplex<f32>>
}

// -----

// poly_interp: the inverse Monarch product, then the real part of the
// leading L values divided by M.
// CHECK-LABEL: func.func @poly_interp(
// CHECK-DAG:     tensor.empty() : tensor<8x4x4xcomplex<f32>>
// CHECK-DAG:     complex.re
// CHECK:         return
func.func @poly_interp(%x: tensor<?x32xcomplex<f32>>, %init: tensor<?x12xf32>) -> tensor<?x12xf32> {
  %y = structured.poly_interp ins(%x : tensor<?x32xcomplex<f32>>) outs(%init : tensor<?x12xf32>) -> tensor<?x12xf32>
  return %y : tensor<?x12xf32>
}

// -----

// A causal_conv inside a parallel loop (a batch tile per thread): the weights
// are filled once at the entry of the function, before the loop.
// CHECK-LABEL: func.func @in_loop(
// CHECK:         %[[READY:.*]] = memref.load %{{.*}}[] : memref<i1>
// CHECK:         %[[TODO:.*]] = arith.xori %[[READY]]
// CHECK:         scf.if %[[TODO]]
// CHECK:         scf.forall
// CHECK-NOT:       scf.if
// CHECK:         return
func.func @in_loop(%u: tensor<4x3x12xf32>, %k: tensor<3x12xf32>, %init: tensor<4x3x12xf32>) -> tensor<4x3x12xf32> {
  %r = scf.forall (%b) in (4) shared_outs(%o = %init) -> (tensor<4x3x12xf32>) {
    %us = tensor.extract_slice %u[%b, 0, 0] [1, 3, 12] [1, 1, 1] : tensor<4x3x12xf32> to tensor<1x3x12xf32>
    %os = tensor.extract_slice %o[%b, 0, 0] [1, 3, 12] [1, 1, 1] : tensor<4x3x12xf32> to tensor<1x3x12xf32>
    %y = structured.causal_conv ins(%us, %k : tensor<1x3x12xf32>, tensor<3x12xf32>) outs(%os : tensor<1x3x12xf32>) -> tensor<1x3x12xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %y into %o[%b, 0, 0] [1, 3, 12] [1, 1, 1] : tensor<1x3x12xf32> into tensor<4x3x12xf32>
    }
  }
  return %r : tensor<4x3x12xf32>
}
