// structured-to-nvvm-pipeline: structured ops on device memory become GPU
// kernels embedded in the module (here as PTX, format=isa, which needs no
// CUDA toolkit) and host code calling the mgpu* runtime functions; nothing
// structured, linalg or scf is left.
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa" | FileCheck %s
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa chip=sm_80 features=+ptx70" | FileCheck %s --check-prefix=SM80
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa emit-c-interface=true" | FileCheck %s --check-prefix=CIFACE

// CHECK-NOT:   structured.
// CHECK-LABEL: llvm.func @layer(
// CHECK:         llvm.call @mgpuStreamCreate()
// CHECK:         llvm.call @mgpuMemAlloc(
// CHECK:         gpu.launch_func <%{{.*}} : !llvm.ptr> @layer_kernel::@layer_kernel
// CHECK:         llvm.call @mgpuMemFree(
// CHECK:         llvm.call @mgpuStreamSynchronize(
// CHECK:       gpu.binary @layer_kernel {{.*}}#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// CHECK-SAME:    assembly = "{{.*}}.target sm_90
// CHECK-NOT:   structured.
// CHECK-NOT:   linalg.
// CHECK-NOT:   scf.
// SM80:        gpu.binary @layer_kernel {{.*}}chip = "sm_80", features = "+ptx70"
// CIFACE:      llvm.func @_mlir_ciface_layer(
func.func @layer(%x: memref<?x64xf32>, %w1: memref<8x8x8xf32>, %w2: memref<8x8x8xf32>, %y: memref<?x64xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x64xf32>, memref<8x8x8xf32>, memref<8x8x8xf32>) outs(%y : memref<?x64xf32>)
  return
}
