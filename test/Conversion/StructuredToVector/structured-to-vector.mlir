// RUN: struct-opt %s --convert-structured-to-vector -split-input-file | FileCheck %s --check-prefixes=CHECK,KERNEL
// RUN: struct-opt %s --convert-structured-to-vector -split-input-file | FileCheck %s --check-prefix=GONE
// RUN: struct-opt %s --convert-structured-to-vector=runtime-checks=false -split-input-file | FileCheck %s --check-prefix=NOCHECKS
// RUN: struct-opt %s --convert-structured-to-vector="lanes=16 row-block=4" -split-input-file | FileCheck %s --check-prefixes=OPT,KERNEL
// RUN: not struct-opt %s --convert-structured-to-vector="lanes=20" -split-input-file 2>&1 | FileCheck %s --check-prefix=BADLANES
// RUN: not struct-opt %s --convert-structured-to-vector="row-block=0" -split-input-file 2>&1 | FileCheck %s --check-prefix=BADROWS
// RUN: struct-opt %S/Inputs/bad-kernel-attr.mlir --convert-structured-to-vector -split-input-file -verify-diagnostics

// convert-structured-to-vector: buffer-form blockdiag, monarch and btt with
// f32/f16/bf16 elements become batch-in-lanes vector code. Each group of
// `lanes` batch rows is packed transposed into f32 `features × lanes`
// buffers; each stage is a loop over register tiles of `row-block` output
// rows whose reduction loop carries row-block · lanes / 16 accumulators
// (vector<16xf32>, vector-width = 16) and does one vector.fma per accumulator.

// BADLANES: error: convert-structured-to-vector: lanes (20) must be a positive multiple of vector-width (16) and row-block (12) positive
// BADROWS: error: convert-structured-to-vector: lanes (32) must be a positive multiple of vector-width (16) and row-block (0) positive

// Every lowered function is free of structured ops (and of the 16×16
// transposes, which the pass lowers to shuffles).
// GONE-LABEL:  func.func @monarch_f32(
// GONE-NOT:      structured.
// GONE-NOT:      vector.transpose
// GONE:          return
// GONE-LABEL:  func.func @btt_f32(
// GONE-NOT:      structured.
// GONE-NOT:      vector.transpose
// GONE:          return
// GONE-LABEL:  func.func @blockdiag_f32(
// GONE-NOT:      structured.
// GONE-NOT:      vector.transpose
// GONE:          return
// GONE-LABEL:  func.func @monarch_bf16(
// GONE-NOT:      structured.
// GONE-NOT:      vector.transpose
// GONE:          return
// GONE-LABEL:  func.func @monarch_3d_batch(
// GONE-NOT:      structured.
// GONE-NOT:      vector.transpose
// GONE:          return
// GONE-LABEL:  func.func @kernel_attribute(
// GONE-NOT:      structured.
// GONE-NOT:      vector.transpose
// GONE:          return
// GONE-LABEL:  func.func @not_converted(

// Monarch, n = 64 = 8 blocks of 8, q = 8 rows per block: a single register
// tile of 8 rows (row-block 12 is capped at 8) × 2 vectors = 16 accumulators.
// CHECK-LABEL: func.func @monarch_f32(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x64xf32>, %[[W1:[^:]*]]: memref<8x8x8xf32>, %[[W2:[^:]*]]: memref<8x8x8xf32>, %[[I:[^:]*]]: memref<?x64xf32>)
// CHECK:         %[[B:.*]] = memref.dim %[[X]], %{{.*}} : memref<?x64xf32>
// CHECK:         %[[XT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x32xf32>
// CHECK-NEXT:    %[[ZT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x32xf32>
// CHECK-NEXT:    %[[YT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x32xf32>
// CHECK:         %[[C32:.*]] = arith.constant 32 : index
// CHECK-NEXT:    scf.for %[[G:.*]] = %{{.*}} to %{{.*}} step %[[C32]] {
// Pack by 16×16 tiles; a partial group repeats its last row in the lanes it
// does not use.
// CHECK:             arith.minui
// CHECK:             vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<?x64xf32>, vector<16xf32>
// CHECK:             vector.shuffle
// CHECK:             vector.store %{{.*}}, %[[XT]][%{{.*}}, %{{.*}}] : memref<64x32xf32>, vector<16xf32>
// First factor: XT -> ZT.
// CHECK:           %[[A1:.*]]:16 = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// CHECK-COUNT-2:     vector.load %[[XT]][%{{.*}}, %{{.*}}] : memref<64x32xf32>, vector<16xf32>
// CHECK:             memref.load %[[W1]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<8x8x8xf32>
// CHECK-NEXT:        vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK-COUNT-16:    vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT:         vector.fma
// CHECK:             scf.yield {{.*}} : vector<16xf32>, {{.*}}
// CHECK-NEXT:      }
// CHECK:           vector.store %[[A1]]#0, %[[ZT]][%{{.*}}, %{{.*}}] : memref<64x32xf32>, vector<16xf32>
// CHECK:           vector.store %[[A1]]#15, %[[ZT]][%{{.*}}, %{{.*}}] : memref<64x32xf32>, vector<16xf32>
// Second factor: ZT -> YT.
// CHECK:           %[[A2:.*]]:16 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// CHECK-COUNT-2:     vector.load %[[ZT]][%{{.*}}, %{{.*}}] : memref<64x32xf32>, vector<16xf32>
// CHECK:             memref.load %[[W2]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<8x8x8xf32>
// CHECK-NEXT:        vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK-COUNT-16:    vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT:         vector.fma
// CHECK:             scf.yield
// CHECK-NEXT:      }
// CHECK:           vector.store %[[A2]]#15, %[[YT]][%{{.*}}, %{{.*}}] : memref<64x32xf32>, vector<16xf32>
// Unpack into init: the group's full 16-lane tiles through registers, the
// rest element by element.
// CHECK:             vector.load %[[YT]][%{{.*}}, %{{.*}}] : memref<64x32xf32>, vector<16xf32>
// CHECK:             vector.store %{{.*}}, %[[I]][%{{.*}}, %{{.*}}] : memref<?x64xf32>, vector<16xf32>
// CHECK:             memref.load %[[YT]][%{{.*}}, %{{.*}}] : memref<64x32xf32>
// CHECK:             memref.store %{{.*}}, %[[I]][%{{.*}}, %{{.*}}] : memref<?x64xf32>
// CHECK:         memref.dealloc %[[XT]] : memref<64x32xf32>
// CHECK-NEXT:    memref.dealloc %[[ZT]] : memref<64x32xf32>
// CHECK-NEXT:    memref.dealloc %[[YT]] : memref<64x32xf32>
// CHECK-NEXT:    return

// lanes=16 row-block=4: 16-wide buffers, 8 rows in two tiles of 4 rows × 1
// vector = 4 accumulators.
// OPT-LABEL:   func.func @monarch_f32(
// OPT:           %[[XT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x16xf32>
// OPT-NEXT:      %[[ZT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x16xf32>
// OPT-NEXT:      %[[YT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x16xf32>
// OPT:           %[[C16:.*]] = arith.constant 16 : index
// OPT-NEXT:      scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C16]] {
// OPT:             scf.for %{{.*}} = %c0{{(_[0-9]+)?}} to %c2{{(_[0-9]+)?}} step %c1{{(_[0-9]+)?}} {
// OPT:               %{{.*}}:4 = scf.for %{{.*}} iter_args(%{{.*}} = %{{[^,]*}}, %{{.*}} = %{{[^,]*}}, %{{.*}} = %{{[^,]*}}, %{{.*}} = %{{[^,]*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// OPT:                 vector.load %[[XT]]
// OPT-COUNT-4:         vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// OPT-NOT:             vector.fma
// OPT:                 scf.yield
// OPT-NOT:             iter_args
// OPT:           %{{.*}}:4 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// OPT:             vector.load %[[ZT]]
// OPT-COUNT-4:     vector.fma
// OPT-NOT:         vector.fma
// OPT:             scf.yield
// OPT:           memref.dealloc %[[XT]] : memref<64x16xf32>
// OPT-NEXT:      memref.dealloc %[[ZT]] : memref<64x16xf32>
// OPT-NEXT:      memref.dealloc %[[YT]] : memref<64x16xf32>
func.func @monarch_f32(%x: memref<?x64xf32>, %w1: memref<8x8x8xf32>, %w2: memref<8x8x8xf32>, %init: memref<?x64xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x64xf32>, memref<8x8x8xf32>, memref<8x8x8xf32>) outs(%init : memref<?x64xf32>)
  return
}

// -----

// BTT, rank 2: x has 16 features (4 blocks of 4), the intermediate
// R · k · q = 2 · 4 · 4 = 32, the output l · s = 16. The second stage reduces
// over (c, ρ) = 4 · 2 = 8 and splits the reduction index with divui/remui.
// CHECK-LABEL: func.func @btt_f32(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x16xf32>, %[[W1:[^:]*]]: memref<4x2x4x4xf32>, %[[W2:[^:]*]]: memref<4x4x4x2xf32>, %[[I:[^:]*]]: memref<?x16xf32>)
// CHECK:         %[[XT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x32xf32>
// CHECK-NEXT:    %[[ZT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<32x32xf32>
// CHECK-NEXT:    %[[YT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x32xf32>
// CHECK:         scf.for
// CHECK:           %{{.*}}:8 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// CHECK:             vector.load %[[XT]]
// CHECK:             memref.load %[[W1]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<4x2x4x4xf32>
// CHECK-NEXT:        vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK-COUNT-8:     vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT:         vector.fma
// CHECK:             scf.yield
// CHECK:           vector.store %{{.*}}, %[[ZT]]
// CHECK:           %{{.*}}:8 = scf.for %[[T:[^ ]*]] = %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// CHECK:             arith.divui %[[T]], %{{.*}} : index
// CHECK-NEXT:        arith.remui %[[T]], %{{.*}} : index
// CHECK:             vector.load %[[ZT]]
// CHECK:             memref.load %[[W2]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<4x4x4x2xf32>
// CHECK-COUNT-8:     vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT:         vector.fma
// CHECK:             scf.yield
// CHECK:           vector.store %{{.*}}, %[[YT]]
// CHECK:           vector.store %{{.*}}, %[[I]][%{{.*}}, %{{.*}}] : memref<?x16xf32>, vector<16xf32>
// CHECK:         memref.dealloc %[[XT]] : memref<16x32xf32>
// CHECK-NEXT:    memref.dealloc %[[ZT]] : memref<32x32xf32>
// CHECK-NEXT:    memref.dealloc %[[YT]] : memref<16x32xf32>
// CHECK-NEXT:    return
func.func @btt_f32(%x: memref<?x16xf32>, %w1: memref<4x2x4x4xf32>, %w2: memref<4x4x4x2xf32>, %init: memref<?x16xf32>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x16xf32>, memref<4x2x4x4xf32>, memref<4x4x4x2xf32>) outs(%init : memref<?x16xf32>)
  return
}

// -----

// Blockdiag has one stage and no intermediate buffer. q = 16 rows per block:
// one full tile of 12 rows (24 accumulators) and a remainder tile of 4 rows
// (8 accumulators).
// CHECK-LABEL: func.func @blockdiag_f32(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x32xf32>, %[[W:[^:]*]]: memref<4x16x8xf32>, %[[I:[^:]*]]: memref<?x64xf32>)
// CHECK:         %[[XT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<32x32xf32>
// CHECK-NEXT:    %[[YT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x32xf32>
// CHECK-NOT:     memref.alloc
// CHECK:         scf.for
// CHECK:           %{{.*}}:24 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// CHECK:             memref.load %[[W]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<4x16x8xf32>
// CHECK-COUNT-24:    vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT:         vector.fma
// CHECK:             scf.yield
// CHECK:           vector.store %{{.*}}, %[[YT]]
// CHECK:           %{{.*}}:8 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// CHECK-COUNT-8:     vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT:         vector.fma
// CHECK:             scf.yield
// CHECK:           vector.store %{{.*}}, %[[I]][%{{.*}}, %{{.*}}] : memref<?x64xf32>, vector<16xf32>
// CHECK:         memref.dealloc %[[XT]] : memref<32x32xf32>
// CHECK-NEXT:    memref.dealloc %[[YT]] : memref<64x32xf32>
// CHECK-NEXT:    return
func.func @blockdiag_f32(%x: memref<?x32xf32>, %w: memref<4x16x8xf32>, %init: memref<?x64xf32>) {
  structured.blockdiag ins(%x, %w : memref<?x32xf32>, memref<4x16x8xf32>) outs(%init : memref<?x64xf32>)
  return
}

// -----

// bf16: loads are extended to f32, buffers and accumulation stay f32, the
// results are truncated back.
// CHECK-LABEL: func.func @monarch_bf16(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x64xbf16>, %[[W1:[^:]*]]: memref<8x8x8xbf16>, %[[W2:[^:]*]]: memref<8x8x8xbf16>, %[[I:[^:]*]]: memref<?x64xbf16>)
// CHECK-COUNT-3: memref.alloc() {alignment = 64 : i64} : memref<64x32xf32>
// CHECK:             %[[V:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<?x64xbf16>, vector<16xbf16>
// CHECK-NEXT:        arith.extf %[[V]] : vector<16xbf16> to vector<16xf32>
// CHECK:           %{{.*}}:16 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// CHECK:             %[[W:.*]] = memref.load %[[W1]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<8x8x8xbf16>
// CHECK-NEXT:        %[[WF:.*]] = arith.extf %[[W]] : bf16 to f32
// CHECK-NEXT:        vector.broadcast %[[WF]] : f32 to vector<16xf32>
// CHECK-COUNT-16:    vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:           %{{.*}}:16 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// CHECK:             memref.load %[[W2]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<8x8x8xbf16>
// CHECK-NEXT:        arith.extf %{{.*}} : bf16 to f32
// CHECK-COUNT-16:    vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:             %[[R:.*]] = arith.truncf %{{.*}} : vector<16xf32> to vector<16xbf16>
// CHECK-NEXT:        vector.store %[[R]], %[[I]][%{{.*}}, %{{.*}}] : memref<?x64xbf16>, vector<16xbf16>
// CHECK:             %[[RS:.*]] = arith.truncf %{{.*}} : f32 to bf16
// CHECK-NEXT:        memref.store %[[RS]], %[[I]][%{{.*}}, %{{.*}}] : memref<?x64xbf16>
// CHECK-COUNT-3: memref.dealloc %{{.*}} : memref<64x32xf32>
// CHECK-NEXT:    return
func.func @monarch_bf16(%x: memref<?x64xbf16>, %w1: memref<8x8x8xbf16>, %w2: memref<8x8x8xbf16>, %init: memref<?x64xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x64xbf16>, memref<8x8x8xbf16>, memref<8x8x8xbf16>) outs(%init : memref<?x64xbf16>)
  return
}

// -----

// Several batch dims are flattened: the group loop runs over their product
// and the batch row is delinearized.
// CHECK-LABEL: func.func @monarch_3d_batch(
// CHECK-SAME:    %[[X:[^:]*]]: memref<2x?x64xf32>
// CHECK:         %[[D0:.*]] = memref.dim %[[X]], %{{.*}} : memref<2x?x64xf32>
// CHECK:         %[[P0:.*]] = arith.muli %{{.*}}, %[[D0]] : index
// CHECK:         %[[D1:.*]] = memref.dim %[[X]], %{{.*}} : memref<2x?x64xf32>
// CHECK:         %[[P1:.*]] = arith.muli %[[P0]], %[[D1]] : index
// CHECK-COUNT-3: memref.alloc() {alignment = 64 : i64} : memref<64x32xf32>
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[P1]] step %{{.*}} {
// CHECK:           affine.delinearize_index %{{.*}} into (%[[D0]], %[[D1]]) : index, index
// CHECK-COUNT-2:   %{{.*}}:16 = scf.for %{{.*}} iter_args
// CHECK-COUNT-3: memref.dealloc
func.func @monarch_3d_batch(%x: memref<2x?x64xf32>, %w1: memref<8x8x8xf32>, %w2: memref<8x8x8xf32>, %init: memref<2x?x64xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<2x?x64xf32>, memref<8x8x8xf32>, memref<8x8x8xf32>) outs(%init : memref<2x?x64xf32>)
  return
}

// -----

// A structured.kernel shape (from structured-select-tiles) overrides the pass
// options: 48 lanes = 3 vectors; q = 8 rows give a tile of 6 rows (18
// accumulators) and a remainder of 2 rows (6 accumulators).
// KERNEL-LABEL: func.func @kernel_attribute(
// KERNEL:         %[[XT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x48xf32>
// KERNEL-NEXT:    %[[ZT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x48xf32>
// KERNEL-NEXT:    %[[YT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x48xf32>
// KERNEL:         %[[C48:.*]] = arith.constant 48 : index
// KERNEL-NEXT:    scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C48]] {
// KERNEL:           %{{.*}}:18 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// KERNEL-COUNT-3:     vector.load %[[XT]]
// KERNEL-COUNT-18:    vector.fma
// KERNEL-NOT:         vector.fma
// KERNEL:             scf.yield
// KERNEL:           %{{.*}}:6 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// KERNEL-COUNT-3:     vector.load %[[XT]]
// KERNEL-COUNT-6:     vector.fma
// KERNEL-NOT:         vector.fma
// KERNEL:             scf.yield
// KERNEL:           %{{.*}}:18 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// KERNEL:           %{{.*}}:6 = scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}}) {
// KERNEL:         memref.dealloc %[[XT]] : memref<64x48xf32>
// KERNEL-NEXT:    memref.dealloc %[[ZT]] : memref<64x48xf32>
// KERNEL-NEXT:    memref.dealloc %[[YT]] : memref<64x48xf32>
// KERNEL-NEXT:    return
func.func @kernel_attribute(%x: memref<?x64xf32>, %w1: memref<8x8x8xf32>, %w2: memref<8x8x8xf32>, %init: memref<?x64xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x64xf32>, memref<8x8x8xf32>, memref<8x8x8xf32>) outs(%init : memref<?x64xf32>) {structured.kernel = array<i64: 48, 6>}
  return
}

// -----

// Left alone: tensor-form ops (structured-decompose or bufferization first),
// permute and complex elements. (Dynamic feature sizes, the other case the
// pass skips, are rejected by the verifiers of these ops.)
// CHECK-LABEL: func.func @not_converted(
// CHECK-NOT:     vector.fma
// CHECK:         %[[T:.*]] = structured.monarch ins(%{{.*}} : tensor<?x64xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>) outs(%{{.*}} : tensor<?x64xf32>) -> tensor<?x64xf32>
// CHECK-NEXT:    structured.permute ins(%{{.*}} : memref<?x16xf32>) outs(%{{.*}} : memref<?x16xf32>) {cols = 4 : i64, rows = 4 : i64}
// CHECK-NEXT:    structured.monarch ins(%{{.*}} : memref<?x16xcomplex<f32>>, memref<4x4x4xcomplex<f32>>, memref<4x4x4xcomplex<f32>>) outs(%{{.*}} : memref<?x16xcomplex<f32>>)
// CHECK-NEXT:    return %[[T]]
func.func @not_converted(%tx: tensor<?x64xf32>, %tw: tensor<8x8x8xf32>, %tinit: tensor<?x64xf32>,
                         %x: memref<?x16xf32>, %init: memref<?x16xf32>,
                         %cx: memref<?x16xcomplex<f32>>, %cw: memref<4x4x4xcomplex<f32>>, %cinit: memref<?x16xcomplex<f32>>) -> tensor<?x64xf32> {
  %t = structured.monarch ins(%tx, %tw, %tw : tensor<?x64xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>) outs(%tinit : tensor<?x64xf32>) -> tensor<?x64xf32>
  structured.permute ins(%x : memref<?x16xf32>) outs(%init : memref<?x16xf32>) {rows = 4, cols = 4}
  structured.monarch ins(%cx, %cw, %cw : memref<?x16xcomplex<f32>>, memref<4x4x4xcomplex<f32>>, memref<4x4x4xcomplex<f32>>) outs(%cinit : memref<?x16xcomplex<f32>>)
  return %t : tensor<?x64xf32>
}

// -----

// btt_moe: the (row, choice) pairs are counted and sorted by expert (with
// the index check first), then each expert's pairs run through the vector
// kernel of its factors, rows gathered into the lanes, results scaled by the
// gate and added; f16 results are summed in an f32 buffer and rounded once.
// CHECK-LABEL: func.func @moe(
// CHECK-NOT:     structured.btt_moe
// CHECK:         %[[SUM:.*]] = memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x16xf32>
// CHECK:         linalg.fill {{.*}} outs(%[[SUM]] : memref<?x16xf32>)
// CHECK:         scf.for
// CHECK:           cf.assert %{{.*}}, "structured.btt_moe: expert index out of range [0, 8)"
// CHECK:         scf.for %[[E:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           vector.fma
// CHECK:           memref.load %{{.*}}[%{{.*}}, %[[E]], %{{.*}}, %{{.*}}] : memref<4x8x4x4xf16>
// CHECK:           memref.load %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[E]]] : memref<4x4x4x8xf16>
// CHECK:           math.fma
// CHECK:         linalg.generic {{.*}} ins(%[[SUM]] : memref<?x16xf32>) outs(%{{.*}} : memref<?x16xf16>)
// CHECK:           arith.truncf
// CHECK-NOT:     structured.btt_moe
// NOCHECKS-LABEL: func.func @moe(
// NOCHECKS-NOT:     cf.assert
// NOCHECKS:         return
func.func @moe(%x: memref<?x16xf16>, %w1: memref<4x8x4x4xf16>, %w2: memref<4x4x4x8xf16>, %idx: memref<?x2xi32>, %gate: memref<?x2xf16>, %init: memref<?x16xf16>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x16xf16>, memref<4x8x4x4xf16>, memref<4x4x4x8xf16>, memref<?x2xi32>, memref<?x2xf16>) outs(%init : memref<?x16xf16>)
  return
}
