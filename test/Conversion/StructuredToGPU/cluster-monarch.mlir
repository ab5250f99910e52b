// convert-structured-to-gpu=cluster-stages=true: both stages of a bf16
// Monarch in one kernel over thread-block clusters (GpuClusterMonarchPlan.h).
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=cluster-stages=true | FileCheck %s
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu="cluster-stages=true round-intermediate=true" | FileCheck %s --check-prefix=ROUND
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu | FileCheck %s --check-prefix=OFF
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu="cluster-stages=true ctas-per-sm=2" | FileCheck %s --check-prefix=OUTLINE

// n = 4096: clusters of 8 CTAs (CTA ρ owns blocks [8ρ, 8ρ + 8) of both
// factors) along x, the 15 clusters that fit 132 SMs along y, 8 warps. No
// intermediate buffer: CTA ρ writes its first-stage results (three bf16
// parts of the f32 values, eight consecutive terms per store) into the
// shared memory of the CTA owning the second-stage block (mapa), behind a
// cluster barrier whose wait follows the previous tile's second stage.
// CHECK-LABEL: func.func @monarch_4096(
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     scf.if
// CHECK:         %[[TILES:.*]] = arith.ceildivui %{{.*}}, %c16
// CHECK:         %[[FIT:.*]] = arith.minui %[[TILES]], %c15
// CHECK:         %[[GRID:.*]] = arith.maxui %[[FIT]], %c1
// CHECK:         gpu.launch clusters({{.*}}) in ({{.*}} = %c8, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) blocks({{.*}}) in ({{.*}} = %c8, {{.*}} = %[[GRID]], {{.*}}) threads({{.*}}) in ({{.*}} = %c256, {{.*}}) dynamic_shared_memory_size %c202752_i32
// CHECK:           cf.assert {{.*}} "structured GPU kernels need buffers aligned to 16 bytes"
// CHECK:           memref.view {{.*}} to memref<16x16x72xbf16, #gpu.address_space<workgroup>>
// CHECK:           memref.view {{.*}} to memref<72x16x72xbf16, #gpu.address_space<workgroup>>
// CHECK:           nvvm.mapa {{.*}} : !llvm.ptr<3> -> !llvm.ptr<7>
// CHECK:           nvvm.cluster.arrive {aligned}
// CHECK-NEXT:      nvvm.cluster.wait {aligned}
// CHECK:           scf.for
// CHECK:             nvgpu.device_async_wait
// CHECK-NEXT:        gpu.barrier
// CHECK-COUNT-32:    nvvm.mma.sync
// CHECK-NOT:         nvvm.mma.sync
// CHECK-COUNT-12:    llvm.store {{.*}} {alignment = 16 : i64} : vector<8xbf16>, !llvm.ptr<7>
// CHECK:             nvvm.cluster.arrive {aligned}
// CHECK-COUNT-96:    nvvm.mma.sync
// CHECK-NOT:         nvvm.mma.sync
// CHECK:             vector.store {{.*}} : memref<?x4096xbf16>, vector<8xbf16>
// CHECK:             nvvm.cluster.wait {aligned}
// CHECK:           }
// CHECK-COUNT-96:  nvvm.mma.sync
// CHECK-NOT:       nvvm.mma.sync
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// ROUND-LABEL: func.func @monarch_4096(
// ROUND:         gpu.launch clusters
// ROUND-COUNT-4:   llvm.store {{.*}} : vector<8xbf16>, !llvm.ptr<7>
// ROUND-NOT:       llvm.store
// ROUND:           nvvm.cluster.arrive
// OFF-LABEL: func.func @monarch_4096(
// OFF-NOT:     clusters
// OFF:         memref.alloc
// OFF-NOT:     clusters
// OUTLINE-LABEL: func.func @monarch_4096(
// OUTLINE:         gpu.launch_func @monarch_4096_monarch::@monarch_4096_monarch clusters in (%c8{{.*}}, %c1{{.*}}, %c1{{.*}}) blocks in (%c8
func.func @monarch_4096(%x: memref<?x4096xbf16>, %w1: memref<64x64x64xbf16>, %w2: memref<64x64x64xbf16>, %y: memref<?x4096xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x4096xbf16>, memref<64x64x64xbf16>, memref<64x64x64xbf16>) outs(%y : memref<?x4096xbf16>)
  return
}

// -----

// Shapes without a cluster kernel keep their two stage kernels: 128 blocks
// (clusters of 16 are not portable), f16 with an exact intermediate (bf16
// parts), f32.
// CHECK-LABEL: func.func @monarch_16384(
// CHECK-NOT:     clusters
// CHECK:         memref.alloc
// CHECK-COUNT-2: gpu.launch blocks
// CHECK-LABEL: func.func @monarch_f16(
// CHECK-NOT:     clusters
// CHECK-COUNT-2: gpu.launch blocks
// CHECK-LABEL: func.func @monarch_f32(
// CHECK-NOT:     clusters
// CHECK-COUNT-2: gpu.launch blocks
// A rounded f16 intermediate has one: clusters of 4 CTAs.
// ROUND-LABEL: func.func @monarch_f16(
// ROUND:         gpu.launch clusters({{.*}}) in ({{.*}} = %c4
func.func @monarch_16384(%x: memref<?x16384xbf16>, %w1: memref<128x128x128xbf16>, %w2: memref<128x128x128xbf16>, %y: memref<?x16384xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x16384xbf16>, memref<128x128x128xbf16>, memref<128x128x128xbf16>) outs(%y : memref<?x16384xbf16>)
  return
}
func.func @monarch_f16(%x: memref<?x1024xf16>, %w1: memref<32x32x32xf16>, %w2: memref<32x32x32xf16>, %y: memref<?x1024xf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x1024xf16>, memref<32x32x32xf16>, memref<32x32x32xf16>) outs(%y : memref<?x1024xf16>)
  return
}
func.func @monarch_f32(%x: memref<?x1024xf32>, %w1: memref<32x32x32xf32>, %w2: memref<32x32x32xf32>, %y: memref<?x1024xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x1024xf32>, memref<32x32x32xf32>, memref<32x32x32xf32>) outs(%y : memref<?x1024xf32>)
  return
}
