// RUN: struct-opt %s --structured-select-tiles="threads=2 vector-width=16 vector-registers=32" -split-input-file | FileCheck %s
// RUN: not struct-opt %s --structured-select-tiles="model=learned threads=2 vector-width=16 vector-registers=32" -split-input-file 2>&1 | FileCheck %s --check-prefix=BADMODEL

// The structured-select-tiles pass: blockdiag, monarch and btt ops that
// convert-structured-to-vector can lower get a batch tile for structured-tile
// and a [lanes, row_block] kernel shape from the analytical cost model.
// Threads and vector width are fixed so that the choice does not depend on
// the host's thread count.

// BADMODEL: error: unknown cost model 'learned'; expected 'analytical'

// 2048 rows over 2 threads: one tile per thread, 1024 rows rounded up to a
// multiple of the lanes (3 vectors = 48); 8 · 3 + 3 + 1 = 28 registers.
// CHECK-LABEL: func.func @monarch_static(
// CHECK:         structured.monarch
// CHECK-SAME:      outs(%{{.*}} : tensor<2048x4096xf32>)
// CHECK-SAME:      {structured.kernel = array<i64: 48, 8>, structured.tile_sizes = array<i64: 1056, 0>}
// CHECK-SAME:      -> tensor<2048x4096xf32>
func.func @monarch_static(%x: tensor<2048x4096xf32>, %w1: tensor<64x64x64xf32>, %w2: tensor<64x64x64xf32>, %init: tensor<2048x4096xf32>) -> tensor<2048x4096xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<2048x4096xf32>, tensor<64x64x64xf32>, tensor<64x64x64xf32>) outs(%init : tensor<2048x4096xf32>) -> tensor<2048x4096xf32>
  return %y : tensor<2048x4096xf32>
}

// -----

// CHECK-LABEL: func.func @btt_static(
// CHECK:         structured.btt
// CHECK-SAME:      {structured.kernel = array<i64: 64, 4>, structured.tile_sizes = array<i64: 256, 0>}
// CHECK-SAME:      -> tensor<512x1024xf32>
func.func @btt_static(%x: tensor<512x1024xf32>, %w1: tensor<32x4x32x32xf32>, %w2: tensor<32x32x32x4xf32>, %init: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<512x1024xf32>, tensor<32x4x32x32xf32>, tensor<32x32x32x4xf32>) outs(%init : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %y : tensor<512x1024xf32>
}

// -----

// Memref-form and bf16 ops are annotated too.
// CHECK-LABEL: func.func @blockdiag_memref_bf16(
// CHECK:         structured.blockdiag
// CHECK-SAME:      outs(%{{.*}} : memref<512x1024xbf16>) {structured.kernel = array<i64: 64, 6>, structured.tile_sizes = array<i64: 256, 0>}{{$}}
func.func @blockdiag_memref_bf16(%x: memref<512x1024xbf16>, %w: memref<16x64x64xbf16>, %init: memref<512x1024xbf16>) {
  structured.blockdiag ins(%x, %w : memref<512x1024xbf16>, memref<16x64x64xbf16>) outs(%init : memref<512x1024xbf16>)
  return
}

// -----

// 3-D batch: 8 × 256 = 2048 rows; the 1056-row tile becomes 4 slices of 256
// rows of the first batch dim, the second batch dim and the output blocks are
// not tiled.
// CHECK-LABEL: func.func @monarch_3d_batch(
// CHECK:         structured.monarch
// CHECK-SAME:      {structured.kernel = array<i64: 48, 8>, structured.tile_sizes = array<i64: 4, 0, 0>}
// CHECK-SAME:      -> tensor<8x256x1024xf32>
func.func @monarch_3d_batch(%x: tensor<8x256x1024xf32>, %w1: tensor<32x32x32xf32>, %w2: tensor<32x32x32xf32>, %init: tensor<8x256x1024xf32>) -> tensor<8x256x1024xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x256x1024xf32>, tensor<32x32x32xf32>, tensor<32x32x32xf32>) outs(%init : tensor<8x256x1024xf32>) -> tensor<8x256x1024xf32>
  return %y : tensor<8x256x1024xf32>
}

// -----

// Dynamic batch: tiles of one group of lanes (a multiple of 16), so that
// whatever the batch, the tiles spread evenly over the threads.
// CHECK-LABEL: func.func @monarch_dynamic_batch(
// CHECK:         structured.monarch
// CHECK-SAME:      {structured.kernel = array<i64: [[#LANES:]], {{[1-9][0-9]*}}>,
// CHECK-SAME:      structured.tile_sizes = array<i64: [[#LANES]], 0>}
// CHECK-SAME:      -> tensor<?x1024xf32>
func.func @monarch_dynamic_batch(%x: tensor<?x1024xf32>, %w1: tensor<32x32x32xf32>, %w2: tensor<32x32x32xf32>, %init: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x1024xf32>, tensor<32x32x32xf32>, tensor<32x32x32xf32>) outs(%init : tensor<?x1024xf32>) -> tensor<?x1024xf32>
  return %y : tensor<?x1024xf32>
}

// -----

// An op that already has tile sizes is left alone: no kernel shape either.
// CHECK-LABEL: func.func @already_tiled(
// CHECK:         structured.monarch
// CHECK-SAME:      {structured.tile_sizes = array<i64: 128, 0>} -> tensor<2048x4096xf32>
// CHECK-NOT:     structured.kernel
// CHECK:         return
func.func @already_tiled(%x: tensor<2048x4096xf32>, %w1: tensor<64x64x64xf32>, %w2: tensor<64x64x64xf32>, %init: tensor<2048x4096xf32>) -> tensor<2048x4096xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<2048x4096xf32>, tensor<64x64x64xf32>, tensor<64x64x64xf32>) outs(%init : tensor<2048x4096xf32>) {structured.tile_sizes = array<i64: 128, 0>} -> tensor<2048x4096xf32>
  return %y : tensor<2048x4096xf32>
}

// -----

// btt_moe is costed like a BTT of rank K (its work grows with K, not R).
// Ops without a vector lowering get nothing: permute and complex elements.
// (Dynamic feature sizes, the other case the pass skips, are rejected by the
// verifiers of these ops.)
// CHECK-LABEL: func.func @not_selected(
// CHECK:         structured.btt_moe {{.*}} {structured.kernel = array<i64: {{[0-9]+}}, {{[0-9]+}}>, structured.tile_sizes = array<i64: {{[0-9]+}}, 0>}
// CHECK-NOT:     structured.kernel
// CHECK-NOT:     structured.tile_sizes
// CHECK:         structured.permute
// CHECK-SAME:      {cols = 4 : i64, rows = 4 : i64} -> tensor<2048x16xf32>
// CHECK-NOT:     structured.kernel
// CHECK-NOT:     structured.tile_sizes
// CHECK:         structured.monarch
// CHECK-SAME:      outs(%{{.*}} : tensor<2048x16xcomplex<f32>>) -> tensor<2048x16xcomplex<f32>>
// CHECK-NOT:     structured.kernel
// CHECK-NOT:     structured.tile_sizes
// CHECK:         return
func.func @not_selected(%x: tensor<2048x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<2048x2xi32>, %gate: tensor<2048x2xf32>, %init: tensor<2048x16xf32>,
                        %cx: tensor<2048x16xcomplex<f32>>, %cw: tensor<4x4x4xcomplex<f32>>, %cinit: tensor<2048x16xcomplex<f32>>) -> (tensor<2048x16xf32>, tensor<2048x16xf32>, tensor<2048x16xcomplex<f32>>) {
  %a = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<2048x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<2048x2xi32>, tensor<2048x2xf32>) outs(%init : tensor<2048x16xf32>) -> tensor<2048x16xf32>
  %b = structured.permute ins(%x : tensor<2048x16xf32>) outs(%init : tensor<2048x16xf32>) {rows = 4, cols = 4} -> tensor<2048x16xf32>
  %c = structured.monarch ins(%cx, %cw, %cw : tensor<2048x16xcomplex<f32>>, tensor<4x4x4xcomplex<f32>>, tensor<4x4x4xcomplex<f32>>) outs(%cinit : tensor<2048x16xcomplex<f32>>) -> tensor<2048x16xcomplex<f32>>
  return %a, %b, %c : tensor<2048x16xf32>, tensor<2048x16xf32>, tensor<2048x16xcomplex<f32>>
}
