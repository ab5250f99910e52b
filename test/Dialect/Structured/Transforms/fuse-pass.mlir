// structured-fuse: a structured op, its elementwise producers and consumers
// and the structured ops of a chain run in one scf.forall over batch tiles.
// RUN: struct-opt %s --structured-fuse -split-input-file | FileCheck %s
// RUN: struct-opt %s --structured-fuse=batch-tile=4 -split-input-file | FileCheck %s --check-prefix=OPTION

// Bias and activation after a monarch: one loop, the monarch writes a
// tile-sized temporary, the generic writes the tile of the result.
// CHECK-LABEL: func.func @monarch_bias_relu(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<64x16xf32>, {{.*}}, %[[BIAS:[a-z0-9]+]]: tensor<16xf32>, %[[INIT:[a-z0-9]+]]: tensor<64x16xf32>
// CHECK-NOT:     structured.monarch
// CHECK-NOT:     linalg.generic
// CHECK:         %[[R:.*]] = scf.forall (%[[B:.*]]) = (0) to (64) step (16) shared_outs(%[[O:.*]] = %[[INIT]])
// CHECK:           %[[T:.*]] = tensor.empty() : tensor<16x16xf32>
// CHECK:           %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], 0] [16, 16] [1, 1]
// CHECK:           %[[Y:.*]] = structured.monarch ins(%[[XT]], {{.*}}) outs(%[[T]] : tensor<16x16xf32>) -> tensor<16x16xf32>
// CHECK-NOT:       structured.tile_sizes
// CHECK:           %[[OT:.*]] = tensor.extract_slice %[[O]][%[[B]], 0] [16, 16] [1, 1]
// CHECK:           %[[Z:.*]] = linalg.generic {{.*}} ins(%[[Y]], %[[BIAS]] : tensor<16x16xf32>, tensor<16xf32>) outs(%[[OT]] : tensor<16x16xf32>)
// CHECK:           tensor.parallel_insert_slice %[[Z]] into %[[O]][%[[B]], 0] [16, 16] [1, 1]
// CHECK:         return %[[R]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @monarch_bias_relu(%x: tensor<64x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %bias: tensor<16xf32>, %init: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %e = tensor.empty() : tensor<64x16xf32>
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<64x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%e : tensor<64x16xf32>) {structured.tile_sizes = array<i64: 16, 0>} -> tensor<64x16xf32>
  %z = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%y, %bias : tensor<64x16xf32>, tensor<16xf32>) outs(%init : tensor<64x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<64x16xf32>
  return %z : tensor<64x16xf32>
}

// -----

// Gating → monarch → activation → btt → residual with a dynamic batch: the
// whole chain in one loop, tiled by the smaller of the two ops' tiles.
// CHECK-LABEL: func.func @chain(
// CHECK-NOT:     linalg.
// CHECK-NOT:     structured.
// CHECK:         scf.forall (%{{.*}}) = (0) to (%{{.*}}) step (8)
// CHECK:           linalg.mul
// CHECK:           structured.monarch
// CHECK:           linalg.exp
// CHECK:           structured.btt
// CHECK:           linalg.add
// CHECK:           scf.forall.in_parallel
// CHECK-NOT:     linalg.
// CHECK-NOT:     structured.
// CHECK:         return
func.func @chain(%x: tensor<?x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %v1: tensor<4x2x4x4xf32>, %v2: tensor<4x4x4x2xf32>, %gate: tensor<?x16xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %x, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%b) : tensor<?x16xf32>
  %g = linalg.mul ins(%x, %gate : tensor<?x16xf32>, tensor<?x16xf32>) outs(%e : tensor<?x16xf32>) -> tensor<?x16xf32>
  %y = structured.monarch ins(%g, %w1, %w2 : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%e : tensor<?x16xf32>) {structured.tile_sizes = array<i64: 32, 0>} -> tensor<?x16xf32>
  %a = linalg.exp ins(%y : tensor<?x16xf32>) outs(%e : tensor<?x16xf32>) -> tensor<?x16xf32>
  %z = structured.btt ins(%a, %v1, %v2 : tensor<?x16xf32>, tensor<4x2x4x4xf32>, tensor<4x4x4x2xf32>) outs(%e : tensor<?x16xf32>) {structured.tile_sizes = array<i64: 8, 0>} -> tensor<?x16xf32>
  %r = linalg.add ins(%z, %x : tensor<?x16xf32>, tensor<?x16xf32>) outs(%init : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %r : tensor<?x16xf32>
}

// -----

// A monarch whose result is also returned is not fused (it would be
// computed twice); it keeps its tile sizes for structured-tile.
// CHECK-LABEL: func.func @shared_result(
// CHECK-NOT:     scf.forall
// CHECK:         %[[Y:.*]] = structured.monarch {{.*}} {structured.tile_sizes = array<i64: 16, 0>}
// CHECK:         linalg.exp ins(%[[Y]]
func.func @shared_result(%x: tensor<64x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<64x16xf32>) -> (tensor<64x16xf32>, tensor<64x16xf32>) {
  %e = tensor.empty() : tensor<64x16xf32>
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<64x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%e : tensor<64x16xf32>) {structured.tile_sizes = array<i64: 16, 0>} -> tensor<64x16xf32>
  %z = linalg.exp ins(%y : tensor<64x16xf32>) outs(%init : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %y, %z : tensor<64x16xf32>, tensor<64x16xf32>
}

// -----

// Without tile sizes a group is left alone, unless batch-tile gives one.
// CHECK-LABEL: func.func @no_tile(
// CHECK-NOT:     scf.forall
// CHECK:         structured.monarch
// CHECK:         linalg.exp
// OPTION-LABEL: func.func @no_tile(
// OPTION:         scf.forall (%{{.*}}) = (0) to (64) step (4)
// OPTION:           structured.monarch
// OPTION:           linalg.exp
func.func @no_tile(%x: tensor<64x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %e = tensor.empty() : tensor<64x16xf32>
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<64x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%e : tensor<64x16xf32>) -> tensor<64x16xf32>
  %z = linalg.exp ins(%y : tensor<64x16xf32>) outs(%init : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %z : tensor<64x16xf32>
}

// -----

// A lone structured op is structured-tile's business.
// CHECK-LABEL: func.func @alone(
// CHECK-NOT:     scf.forall
// CHECK:         structured.monarch {{.*}} {structured.tile_sizes = array<i64: 16, 0>}
func.func @alone(%x: tensor<64x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<64x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<64x16xf32>) {structured.tile_sizes = array<i64: 16, 0>} -> tensor<64x16xf32>
  return %y : tensor<64x16xf32>
}
