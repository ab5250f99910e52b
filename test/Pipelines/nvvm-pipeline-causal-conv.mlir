// causal_conv on the GPU. Up to L = 16384: fused FFT kernels, the kernels'
// spectra in a device buffer and the twiddle table a global of each
// kernel's module (none left in host code). Longer: the real Monarch DFTs
// with their weights computed by kernels on every call (no host globals,
// which kernels cannot read).
// causal-conv=direct: the direct sum, never the FFT kernels.
// RUN: struct-opt %s --split-input-file --structured-to-nvvm-pipeline="format=isa" | FileCheck %s
// RUN: struct-opt %s --split-input-file --structured-to-nvvm-pipeline="format=isa causal-conv=direct" | FileCheck %s --check-prefix=DIRECT
// CHECK-NOT:       memref.global
// CHECK-NOT:       llvm.mlir.global
// CHECK-LABEL:     llvm.func @short(
// CHECK-COUNT-1:     llvm.call @mgpuMemAlloc(
// CHECK-NOT:         llvm.call @mgpuMemAlloc(
// CHECK:           llvm.return
// CHECK-NOT:       causal_conv_twiddles
// CHECK:           gpu.binary @short_causal_conv_kernel_dft {{.*}}__structured_fft_twiddles_128
// CHECK:           gpu.binary @short_causal_conv {{\[}}{{.*}}__structured_fft_twiddles_128
// DIRECT-LABEL:    llvm.func @short(
// DIRECT-NOT:      causal_conv_twiddles
// DIRECT:          gpu.binary
// DIRECT-NOT:      causal_conv_twiddles
func.func @short(%u: memref<?x4x97xf32>, %k: memref<4x97xf32>, %y: memref<?x4x97xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x4x97xf32>, memref<4x97xf32>) outs(%y : memref<?x4x97xf32>)
  return
}

// -----

// CHECK-NOT:       memref.global
// CHECK-LABEL:     llvm.func @long(
// CHECK-COUNT-3:     llvm.call @mgpuMemAlloc(
// CHECK-NOT:       causal_conv_twiddles
// CHECK:           gpu.binary
// CHECK-NOT:       causal_conv_twiddles
// CHECK-NOT:       memref.global
// DIRECT:          gpu.binary
func.func @long(%u: memref<?x2x17000xf32>, %k: memref<2x17000xf32>, %y: memref<?x2x17000xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x2x17000xf32>, memref<2x17000xf32>) outs(%y : memref<?x2x17000xf32>)
  return
}
