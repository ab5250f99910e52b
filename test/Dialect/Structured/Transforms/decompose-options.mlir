// Options of structured-decompose.
// RUN: struct-opt %s --structured-decompose | FileCheck %s --check-prefix=DEFAULT
// RUN: struct-opt %s --structured-decompose="runtime-checks=false deallocate-temporaries=false" | FileCheck %s --check-prefix=NOCHECKS
// RUN: struct-opt %s --structured-decompose="parallel-checks=true" | FileCheck %s --check-prefix=PARALLEL
// RUN: struct-opt %s --structured-decompose="keep-gpu-kernels=true" | FileCheck %s --check-prefix=KEEPGPU
// RUN: struct-opt %s --structured-decompose="keep-vectorizable=true" | FileCheck %s --check-prefix=KEEPGPU

// DEFAULT-LABEL: func.func @moe_memref(
// DEFAULT:         cf.assert
// DEFAULT:         %[[Z:.*]] = memref.alloc() : memref<8x1x4x4xf32>
// DEFAULT:         memref.load
// DEFAULT:         memref.dealloc %[[Z]]

// NOCHECKS-LABEL: func.func @moe_memref(
// NOCHECKS-NOT:    cf.assert
// NOCHECKS:        memref.alloc() : memref<8x1x4x4xf32>
// NOCHECKS-NOT:    memref.dealloc
func.func @moe_memref(%x: memref<8x16xf32>, %w1: memref<4x8x4x4xf32>, %w2: memref<4x4x4x8xf32>, %idx: memref<8x1xi64>, %gate: memref<8x1xf32>, %init: memref<8x16xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<8x16xf32>, memref<4x8x4x4xf32>, memref<4x4x4x8xf32>, memref<8x1xi64>, memref<8x1xf32>) outs(%init : memref<8x16xf32>)
  return
}

// With parallel-checks the checks are one parallel loop (a kernel in the
// NVVM pipeline: a device-side assertion); a loop whose bounds may fold to
// 1 gets an idle iteration, so that it stays a loop.
// PARALLEL-LABEL: func.func @moe_memref(
// PARALLEL:         %[[ROWS:.*]] = memref.dim %arg3, %c0
// PARALLEL:         %[[ROWS1:.*]] = arith.addi %[[ROWS]], %c1
// PARALLEL:         scf.parallel (%[[I:.*]], %[[J:.*]]) = (%c0{{.*}}, %c0{{.*}}) to (%[[ROWS1]], %{{.*}})
// PARALLEL:           scf.if
// PARALLEL:             memref.load %arg3[%[[I]], %[[J]]] : memref<8x1xi64>
// PARALLEL:             cf.assert %{{.*}}, "structured.btt_moe: expert index out of range [0, 8)"
// PARALLEL-NOT:     scf.for

// A btt_moe with GPU (or CPU vector) kernels stays for
// convert-structured-to-gpu (convert-structured-to-vector), also next to ops
// that are decomposed.
// KEEPGPU-LABEL: func.func @moe_and_permute(
// KEEPGPU:         structured.btt_moe ins(
// KEEPGPU-NOT:     structured.permute
func.func @moe_and_permute(%x: memref<?x256xbf16>, %w1: memref<8x4x32x32xbf16>, %w2: memref<16x16x16x4xbf16>, %idx: memref<?x2xi32>, %gate: memref<?x2xf32>, %y: memref<?x256xbf16>, %p: memref<4x6xf32>, %q: memref<4x6xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x256xbf16>, memref<8x4x32x32xbf16>, memref<16x16x16x4xbf16>, memref<?x2xi32>, memref<?x2xf32>) outs(%y : memref<?x256xbf16>)
  structured.permute ins(%p : memref<4x6xf32>) outs(%q : memref<4x6xf32>) {rows = 2, cols = 3}
  return
}
