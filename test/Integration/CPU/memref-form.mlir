// Memref (buffer) forms: @layer writes its result into the init buffer and
// returns nothing; the harness copies the inputs into fresh buffers, calls it
// and prints init.
// RUN: %python -m structured_harness --op blockdiag --func blockdiag --seed 411 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op blockdiag --func blockdiag_dynamic --batch 6 --seed 412 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func permute --seed 413 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func permute_dynamic --batch 2x5 --seed 414 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --func monarch --seed 415 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --func monarch_dynamic --batch 5 --seed 416 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt --func btt --seed 417 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op blockdiag --func blockdiag_bf16 --seed 418 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @blockdiag(%x: memref<8x24xf32>, %w: memref<4x3x6xf32>, %init: memref<8x12xf32>) {
  structured.blockdiag ins(%x, %w : memref<8x24xf32>, memref<4x3x6xf32>) outs(%init : memref<8x12xf32>)
  return
}

func.func @blockdiag_dynamic(%x: memref<?x21xf32>, %w: memref<3x5x7xf32>, %init: memref<?x15xf32>) {
  structured.blockdiag ins(%x, %w : memref<?x21xf32>, memref<3x5x7xf32>) outs(%init : memref<?x15xf32>)
  return
}

func.func @permute(%x: memref<4x12xf32>, %init: memref<4x12xf32>) {
  structured.permute ins(%x : memref<4x12xf32>) outs(%init : memref<4x12xf32>) {rows = 3 : i64, cols = 4 : i64}
  return
}

func.func @permute_dynamic(%x: memref<?x?x35xf32>, %init: memref<?x?x35xf32>) {
  structured.permute ins(%x : memref<?x?x35xf32>) outs(%init : memref<?x?x35xf32>) {rows = 7 : i64, cols = 5 : i64}
  return
}

// Ops whose decomposition needs temporary buffers (the Monarch/BTT
// intermediate, the f32 accumulator of low-precision types).
func.func @monarch(%x: memref<6x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %init: memref<6x16xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<6x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%init : memref<6x16xf32>)
  return
}

func.func @monarch_dynamic(%x: memref<?x12xf32>, %w1: memref<3x5x4xf32>, %w2: memref<5x7x3xf32>, %init: memref<?x35xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x12xf32>, memref<3x5x4xf32>, memref<5x7x3xf32>) outs(%init : memref<?x35xf32>)
  return
}

func.func @btt(%x: memref<4x16xf32>, %w1: memref<4x3x4x4xf32>, %w2: memref<4x4x4x3xf32>, %init: memref<4x16xf32>) {
  structured.btt ins(%x, %w1, %w2 : memref<4x16xf32>, memref<4x3x4x4xf32>, memref<4x4x4x3xf32>) outs(%init : memref<4x16xf32>)
  return
}

func.func @blockdiag_bf16(%x: memref<8x24xbf16>, %w: memref<4x3x6xbf16>, %init: memref<8x12xbf16>) {
  structured.blockdiag ins(%x, %w : memref<8x24xbf16>, memref<4x3x6xbf16>) outs(%init : memref<8x12xbf16>)
  return
}
