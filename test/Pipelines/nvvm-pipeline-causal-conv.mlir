// causal_conv on the GPU: the real Monarch DFTs with their weights computed
// by kernels on every call (no host globals, which kernels cannot read), or
// the direct sum.
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa" | FileCheck %s
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa causal-conv=direct" | FileCheck %s --check-prefix=DIRECT
// CHECK-NOT:   memref.global
// CHECK-LABEL: llvm.func @layer(
// CHECK-COUNT-3: llvm.call @mgpuMemAlloc(
// CHECK:       gpu.binary
// CHECK-NOT:   memref.global
// DIRECT:      gpu.binary
func.func @layer(%u: memref<?x4x97xf32>, %k: memref<4x97xf32>, %y: memref<?x4x97xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x4x97xf32>, memref<4x97xf32>) outs(%y : memref<?x4x97xf32>)
  return
}
