// btt_moe through structured-to-nvvm-pipeline with runtime-checks, PTX
// output (no GPU needed): the sorted path next to an op that is decomposed,
// and the reference loops of an unaligned btt_moe, whose index checks are a
// device-side assertion. Static shapes of one row and one choice: every
// parallel loop stays a kernel (none is folded into host code, which could
// not read the device buffers).
// RUN: struct-opt %s --split-input-file --structured-to-nvvm-pipeline="format=isa runtime-checks=true" | FileCheck %s

// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK-NOT:     structured.
// CHECK-DAG:     gpu.binary @layer_btt_moe_stage1 {{.*}}mma.sync.aligned.m16n8k16
// CHECK-DAG:     gpu.binary @layer_btt_moe_stage2 {{.*}}mma.sync.aligned.m16n8k16
// CHECK-DAG:     gpu.binary @layer_kernel{{.*}}atom.global.add.u32
func.func @layer(%x: memref<1x256xbf16>, %w1: memref<8x4x32x32xbf16>, %w2: memref<16x16x16x4xbf16>, %idx: memref<1x1xi32>, %gate: memref<1x1xf32>, %y: memref<1x256xbf16>, %p: memref<4x6xf32>, %q: memref<4x6xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<1x256xbf16>, memref<8x4x32x32xbf16>, memref<16x16x16x4xbf16>, memref<1x1xi32>, memref<1x1xf32>) outs(%y : memref<1x256xbf16>)
  structured.permute ins(%p : memref<4x6xf32>) outs(%q : memref<4x6xf32>) {rows = 2, cols = 3}
  return
}

// -----

// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK-NOT:     structured.
// CHECK-NOT:     btt_moe_stage
// CHECK:         gpu.binary @layer_kernel{{.*}}__assertfail
func.func @layer(%x: memref<1x6xf32>, %w1: memref<2x2x3x3xf32>, %w2: memref<3x2x2x2xf32>, %idx: memref<1x1xi32>, %gate: memref<1x1xf32>, %y: memref<1x6xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<1x6xf32>, memref<2x2x3x3xf32>, memref<3x2x2x2xf32>, memref<1x1xi32>, memref<1x1xf32>) outs(%y : memref<1x6xf32>)
  return
}
