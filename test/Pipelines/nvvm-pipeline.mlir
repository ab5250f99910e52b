// structured-to-nvvm-pipeline: structured ops on device memory become GPU
// kernels embedded in the module (here as PTX, format=isa, which needs no
// CUDA toolkit) and host code calling the mgpu* runtime functions; nothing
// structured, linalg or scf is left.
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa" | FileCheck %s
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa chip=sm_80 features=+ptx70" | FileCheck %s --check-prefix=SM80
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa emit-c-interface=true" | FileCheck %s --check-prefix=CIFACE

// Monarch becomes two stage kernels (convert-structured-to-gpu), outlined
// with their own names; f32 uses FMAs, bf16 tensor cores (mma.sync with f32
// accumulation; the second stage multiplies three parts of the f32
// intermediate) compiled for two CTAs per SM.
// CHECK-NOT:   structured.
// CHECK-LABEL: llvm.func @layer(
// CHECK:         llvm.call @mgpuStreamCreate()
// CHECK:         llvm.call @mgpuMemAlloc(
// CHECK:         gpu.launch_func <%{{.*}} : !llvm.ptr> @layer_monarch_stage1::@layer_monarch_stage1
// CHECK:         gpu.launch_func <%{{.*}} : !llvm.ptr> @layer_monarch_stage2::@layer_monarch_stage2
// CHECK:         llvm.call @mgpuMemFree(
// CHECK:         llvm.call @mgpuStreamSynchronize(
// CHECK-LABEL: llvm.func @layer_bf16(
// CHECK:         gpu.launch_func <%{{.*}} : !llvm.ptr> @layer_bf16_monarch_stage1::@layer_bf16_monarch_stage1
// CHECK:         gpu.launch_func <%{{.*}} : !llvm.ptr> @layer_bf16_monarch_stage2::@layer_bf16_monarch_stage2
// CHECK:       gpu.binary @layer_monarch_stage1 {{.*}}#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// CHECK-SAME:    assembly = "{{.*}}.target sm_90
// CHECK:       gpu.binary @layer_monarch_stage2
// CHECK-NOT:   structured.
// CHECK-NOT:   linalg.
// CHECK-NOT:   scf.
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa" | FileCheck %s --check-prefix=PTX
// PTX:         gpu.binary @layer_monarch_stage1 {{.*}}fma.rn.f32
// PTX-NOT:     gpu.binary
// PTX-NOT:     mma.sync
// PTX:         gpu.binary @layer_monarch_stage2
// PTX:         gpu.binary @layer_bf16_monarch_stage1 {{.*}}.minnctapersm 2{{.*}}mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX:         gpu.binary @layer_bf16_monarch_stage2 {{.*}}mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// causal_conv's FFT kernels are compiled for three CTAs per SM
// (fft-ctas-per-sm); each reads its copy of the twiddle table, a visible
// (not internal) global.
// PTX-NOT:     causal_conv_twiddles
// PTX:         gpu.binary @layer_conv_causal_conv_kernel_dft {{.*}}.visible .global .align 16 .b8 __structured_fft_twiddles_1024[{{[0-9]+}}] = {0, 0, 128, 63, 0, 0, 0, 128,{{.*}}.minnctapersm 3
// PTX:         gpu.binary @layer_conv_causal_conv {{.*}}.visible .global .align 16 .b8 __structured_fft_twiddles_1024[{{.*}}.minnctapersm 3
// SM80:        gpu.binary @layer_monarch_stage1 {{.*}}chip = "sm_80", features = "+ptx70"
// CIFACE:      llvm.func @_mlir_ciface_layer(
//
// kernels=false keeps the decomposition's loop kernels (one per loop nest).
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa kernels=false" | FileCheck %s --check-prefix=LOOPS
// LOOPS-LABEL: llvm.func @layer(
// LOOPS:         gpu.launch_func <%{{.*}} : !llvm.ptr> @layer_kernel::@layer_kernel
// LOOPS-NOT:   mma.sync
func.func @layer(%x: memref<?x64xf32>, %w1: memref<8x8x8xf32>, %w2: memref<8x8x8xf32>, %y: memref<?x64xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x64xf32>, memref<8x8x8xf32>, memref<8x8x8xf32>) outs(%y : memref<?x64xf32>)
  return
}
func.func @layer_bf16(%x: memref<?x1024xbf16>, %w1: memref<32x32x32xbf16>, %w2: memref<32x32x32xbf16>, %y: memref<?x1024xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x1024xbf16>, memref<32x32x32xbf16>, memref<32x32x32xbf16>) outs(%y : memref<?x1024xbf16>)
  return
}
func.func @layer_conv(%x: memref<?x4x1000xf32>, %k: memref<4x1000xf32>, %y: memref<?x4x1000xf32>) {
  structured.causal_conv ins(%x, %k : memref<?x4x1000xf32>, memref<4x1000xf32>) outs(%y : memref<?x4x1000xf32>)
  return
}
