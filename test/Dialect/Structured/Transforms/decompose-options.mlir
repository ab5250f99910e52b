// Options of structured-decompose.
// RUN: struct-opt %s --structured-decompose | FileCheck %s --check-prefix=DEFAULT
// RUN: struct-opt %s --structured-decompose="runtime-checks=false deallocate-temporaries=false" | FileCheck %s --check-prefix=NOCHECKS

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
