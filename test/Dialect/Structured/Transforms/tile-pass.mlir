// RUN: struct-opt %s --structured-tile -split-input-file -verify-diagnostics | FileCheck %s
// RUN: struct-opt %s --structured-tile="loop=for" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=FOR
// RUN: struct-opt %s --structured-tile="tile-sizes=32" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=OPT
// RUN: not struct-opt %s --structured-tile="loop=while" -split-input-file 2>&1 | FileCheck %s --check-prefix=BADLOOP

// The structured-tile pass: ops with a structured.tile_sizes attribute (one
// size per loop of the iteration domain: batch dims, then output blocks) are
// tiled through their TilingInterface and lose the attribute. The error
// splits at the end are checked by -verify-diagnostics in every RUN.

// BADLOOP: error: unknown loop kind 'while'; expected 'forall' or 'for'

// CHECK-DAG:   #[[MIN64:map[0-9]*]] = affine_map<(d0)[s0] -> (-d0 + s0, 64)>
// CHECK-LABEL: func.func @monarch_batch_forall(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x16xf32>, %[[W1:[^:]*]]: tensor<4x4x4xf32>, %[[W2:[^:]*]]: tensor<4x4x4xf32>, %[[I:[^:]*]]: tensor<?x16xf32>)
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK:         %[[N:.*]] = tensor.dim %[[I]], %[[C0]] : tensor<?x16xf32>
// CHECK:         %[[R:.*]] = scf.forall (%[[B:.*]]) = (0) to (%[[N]]) step (64) shared_outs(%[[O:.*]] = %[[I]]) -> (tensor<?x16xf32>) {
// CHECK:           %[[SZ:.*]] = affine.min #[[MIN64]](%[[B]])[%[[N]]]
// CHECK-DAG:       %[[IT:.*]] = tensor.extract_slice %[[O]][%[[B]], 0] [%[[SZ]], 16] [1, 1] : tensor<?x16xf32> to tensor<?x16xf32>
// CHECK-DAG:       %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], 0] [%[[SZ]], 16] [1, 1] : tensor<?x16xf32> to tensor<?x16xf32>
// CHECK:           %[[T:.*]] = structured.monarch ins(%[[XT]], %{{.*}}, %{{.*}} : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%[[IT]] : tensor<?x16xf32>) -> tensor<?x16xf32>
// CHECK-NOT:       structured.tile_sizes
// CHECK:           scf.forall.in_parallel {
// CHECK-NEXT:        tensor.parallel_insert_slice %[[T]] into %[[O]][%[[B]], 0] [%[[SZ]], 16] [1, 1] : tensor<?x16xf32> into tensor<?x16xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]] : tensor<?x16xf32>

// FOR-LABEL:   func.func @monarch_batch_forall(
// FOR-SAME:      %[[X:[^:]*]]: tensor<?x16xf32>, %{{[^:]*}}: tensor<4x4x4xf32>, %{{[^:]*}}: tensor<4x4x4xf32>, %[[I:[^:]*]]: tensor<?x16xf32>)
// FOR:           %[[N:.*]] = tensor.dim %[[I]], %{{.*}} : tensor<?x16xf32>
// FOR-DAG:       %[[LB:.*]] = arith.constant 0 : index
// FOR-DAG:       %[[STEP:.*]] = arith.constant 64 : index
// FOR:           %[[R:.*]] = scf.for %[[B:.*]] = %[[LB]] to %[[N]] step %[[STEP]] iter_args(%[[O:.*]] = %[[I]]) -> (tensor<?x16xf32>) {
// FOR:             %[[IT:.*]] = tensor.extract_slice %[[O]][%[[B]], 0] [%[[SZ:.*]], 16] [1, 1]
// FOR:             %[[T:.*]] = structured.monarch ins({{.*}}) outs(%[[IT]] : tensor<?x16xf32>) -> tensor<?x16xf32>
// FOR-NEXT:        %[[INS:.*]] = tensor.insert_slice %[[T]] into %[[O]][%[[B]], 0] [%[[SZ]], 16] [1, 1] : tensor<?x16xf32> into tensor<?x16xf32>
// FOR-NEXT:        scf.yield %[[INS]] : tensor<?x16xf32>
// FOR-NEXT:      }
// FOR-NEXT:      return %[[R]] : tensor<?x16xf32>
// FOR-NOT:       scf.forall

// The attribute wins over the tile-sizes option.
// OPT-LABEL:   func.func @monarch_batch_forall(
// OPT:           scf.forall (%{{.*}}) = (0) to (%{{.*}}) step (64)
// OPT-NOT:       structured.tile_sizes
// OPT:           return
func.func @monarch_batch_forall(%x: tensor<?x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<?x16xf32>) {structured.tile_sizes = array<i64: 64, 0>} -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// Without the attribute an op is left alone, unless the tile-sizes option is
// given; ops of other dialects are never tiled. Memref-form ops become loops
// over subviews without results.

// CHECK-LABEL: func.func @no_attribute(
// CHECK-NOT:     scf.forall
// CHECK:         %[[Y:.*]] = structured.monarch ins({{.*}}) outs(%{{.*}} : tensor<?x16xf32>) -> tensor<?x16xf32>
// CHECK-NOT:     scf.forall
// CHECK:         structured.monarch ins({{.*}}) outs(%{{.*}} : memref<?x16xf32>){{$}}
// CHECK-NEXT:    linalg.matmul
// CHECK-NEXT:    return %[[Y]]

// OPT-DAG:     #[[MIN32:map[0-9]*]] = affine_map<(d0)[s0] -> (-d0 + s0, 32)>
// OPT-LABEL:   func.func @no_attribute(
// OPT-SAME:      %[[X:[^:]*]]: tensor<?x16xf32>, %{{[^:]*}}: tensor<4x4x4xf32>, %{{[^:]*}}: tensor<4x4x4xf32>, %[[I:[^:]*]]: tensor<?x16xf32>, %[[MX:[^:]*]]: memref<?x16xf32>, %{{[^:]*}}: memref<4x4x4xf32>, %[[MI:[^:]*]]: memref<?x16xf32>,
// OPT:           %[[N:.*]] = tensor.dim %[[I]], %{{.*}} : tensor<?x16xf32>
// OPT:           %[[R:.*]] = scf.forall (%[[B:.*]]) = (0) to (%[[N]]) step (32) shared_outs(%[[O:.*]] = %[[I]]) -> (tensor<?x16xf32>) {
// OPT:             affine.min #[[MIN32]](%[[B]])[%[[N]]]
// OPT:             structured.monarch ins({{.*}} : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%{{.*}} : tensor<?x16xf32>) -> tensor<?x16xf32>
// OPT:             tensor.parallel_insert_slice
// OPT:           %[[M:.*]] = memref.dim %[[MI]], %{{.*}} : memref<?x16xf32>
// OPT:           scf.forall (%[[MB:.*]]) = (0) to (%[[M]]) step (32) {
// OPT:             %[[MSZ:.*]] = affine.min #[[MIN32]](%[[MB]])[%[[M]]]
// OPT-DAG:         %[[MIT:.*]] = memref.subview %[[MI]][%[[MB]], 0] [%[[MSZ]], 16] [1, 1] : memref<?x16xf32> to memref<?x16xf32, strided<[16, 1], offset: ?>>
// OPT-DAG:         %[[MXT:.*]] = memref.subview %[[MX]][%[[MB]], 0] [%[[MSZ]], 16] [1, 1] : memref<?x16xf32> to memref<?x16xf32, strided<[16, 1], offset: ?>>
// OPT:             structured.monarch ins(%[[MXT]], {{.*}}) outs(%[[MIT]] : memref<?x16xf32, strided<[16, 1], offset: ?>>){{$}}
// OPT-NEXT:      }
// OPT-NEXT:      linalg.matmul
// OPT-NEXT:      return %[[R]]
func.func @no_attribute(%x: tensor<?x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<?x16xf32>,
                        %mx: memref<?x16xf32>, %mw: memref<4x4x4xf32>, %minit: memref<?x16xf32>,
                        %a: memref<64x64xf32>, %c: memref<64x64xf32>) -> tensor<?x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<?x16xf32>) -> tensor<?x16xf32>
  structured.monarch ins(%mx, %mw, %mw : memref<?x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%minit : memref<?x16xf32>)
  linalg.matmul ins(%a, %a : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return %y : tensor<?x16xf32>
}

// -----

// All sizes zero: nothing to tile, but the attribute is still consumed (also
// under the tile-sizes option, which only applies to ops without it).

// CHECK-LABEL: func.func @zero_sizes(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x16xf32>, %[[W1:[^:]*]]: tensor<4x4x4xf32>, %[[W2:[^:]*]]: tensor<4x4x4xf32>, %[[I:[^:]*]]: tensor<?x16xf32>)
// CHECK-NEXT:    %[[Y:.*]] = structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%[[I]] : tensor<?x16xf32>) -> tensor<?x16xf32>
// CHECK-NEXT:    return %[[Y]]

// OPT-LABEL:   func.func @zero_sizes(
// OPT-NOT:       scf.forall
// OPT-NOT:       structured.tile_sizes
// OPT:           return
func.func @zero_sizes(%x: tensor<?x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<?x16xf32>) {structured.tile_sizes = array<i64: 0, 0>} -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// BTT over batch and output blocks: w2 is sliced along its s blocks, init and
// the result along features (l = 4 features per block).

// CHECK-DAG:   #[[X4:map[0-9]*]] = affine_map<(d0) -> (d0 * 4)>
// CHECK-LABEL: func.func @btt_batch_and_blocks(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x16xf32>, %[[W1:[^:]*]]: tensor<4x2x4x4xf32>, %[[W2:[^:]*]]: tensor<4x4x4x2xf32>, %[[I:[^:]*]]: tensor<8x16xf32>)
// CHECK:         %[[R:.*]] = scf.forall (%[[B:.*]], %[[K:.*]]) = (0, 0) to (8, 4) step (4, 2) shared_outs(%[[O:.*]] = %[[I]]) -> (tensor<8x16xf32>) {
// CHECK:           %[[OO:.*]] = affine.apply #[[X4]](%[[K]])
// CHECK:           %[[IT:.*]] = tensor.extract_slice %[[O]][%[[B]], %[[OO]]] [4, 8] [1, 1] : tensor<8x16xf32> to tensor<4x8xf32>
// CHECK:           %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], 0] [4, 16] [1, 1] : tensor<8x16xf32> to tensor<4x16xf32>
// CHECK:           %[[W2T:.*]] = tensor.extract_slice %[[W2]][0, %[[K]], 0, 0] [4, 2, 4, 2] [1, 1, 1, 1] : tensor<4x4x4x2xf32> to tensor<4x2x4x2xf32>
// CHECK:           %[[T:.*]] = structured.btt ins(%[[XT]], %[[W1]], %[[W2T]] : tensor<4x16xf32>, tensor<4x2x4x4xf32>, tensor<4x2x4x2xf32>) outs(%[[IT]] : tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NOT:       structured.tile_sizes
// CHECK:           %[[OO2:.*]] = affine.apply #[[X4]](%[[K]])
// CHECK:           scf.forall.in_parallel {
// CHECK-NEXT:        tensor.parallel_insert_slice %[[T]] into %[[O]][%[[B]], %[[OO2]]] [4, 8] [1, 1] : tensor<4x8xf32> into tensor<8x16xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]] : tensor<8x16xf32>

// FOR-LABEL:   func.func @btt_batch_and_blocks(
// FOR:           scf.for
// FOR:             scf.for
// FOR:               structured.btt ins({{.*}}) outs(%{{.*}} : tensor<4x8xf32>) -> tensor<4x8xf32>
// FOR:               tensor.insert_slice
// FOR:               scf.yield
// FOR:             scf.yield
func.func @btt_batch_and_blocks(%x: tensor<8x16xf32>, %w1: tensor<4x2x4x4xf32>, %w2: tensor<4x4x4x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x2x4x4xf32>, tensor<4x4x4x2xf32>) outs(%init : tensor<8x16xf32>) {structured.tile_sizes = array<i64: 4, 2>} -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// Fewer sizes than loops: the missing ones are 0 (blockdiag blocks untiled).

// CHECK-LABEL: func.func @blockdiag_batch(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x16xf32>, %[[W:[^:]*]]: tensor<4x2x4xf32>, %[[I:[^:]*]]: tensor<8x8xf32>)
// CHECK:         %[[R:.*]] = scf.forall (%[[B:.*]]) = (0) to (8) step (4) shared_outs(%[[O:.*]] = %[[I]]) -> (tensor<8x8xf32>) {
// CHECK-DAG:       %[[IT:.*]] = tensor.extract_slice %[[O]][%[[B]], 0] [4, 8] [1, 1] : tensor<8x8xf32> to tensor<4x8xf32>
// CHECK-DAG:       %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], 0] [4, 16] [1, 1] : tensor<8x16xf32> to tensor<4x16xf32>
// CHECK:           %[[T:.*]] = structured.blockdiag ins(%[[XT]], %{{.*}} : tensor<4x16xf32>, tensor<4x2x4xf32>) outs(%[[IT]] : tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NOT:       structured.tile_sizes
// CHECK:           scf.forall.in_parallel {
// CHECK-NEXT:        tensor.parallel_insert_slice %[[T]] into %[[O]][%[[B]], 0] [4, 8] [1, 1] : tensor<4x8xf32> into tensor<8x8xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]] : tensor<8x8xf32>
func.func @blockdiag_batch(%x: tensor<8x16xf32>, %w: tensor<4x2x4xf32>, %init: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x16xf32>, tensor<4x2x4xf32>) outs(%init : tensor<8x8xf32>) {structured.tile_sizes = array<i64: 4>} -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}

// -----

// 3-D batch: only the first batch dimension is tiled; the dynamic second one
// is taken whole.

// CHECK-LABEL: func.func @monarch_3d_batch(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x?x16xf32>, %{{[^:]*}}: tensor<4x4x4xf32>, %{{[^:]*}}: tensor<4x4x4xf32>, %[[I:[^:]*]]: tensor<4x?x16xf32>)
// CHECK:         %[[D:.*]] = tensor.dim %[[I]], %{{.*}} : tensor<4x?x16xf32>
// CHECK:         %[[R:.*]] = scf.forall (%[[B:.*]]) = (0) to (4) step (2) shared_outs(%[[O:.*]] = %[[I]]) -> (tensor<4x?x16xf32>) {
// CHECK-DAG:       %[[IT:.*]] = tensor.extract_slice %[[O]][%[[B]], 0, 0] [2, %[[D]], 16] [1, 1, 1] : tensor<4x?x16xf32> to tensor<2x?x16xf32>
// CHECK-DAG:       %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], 0, 0] [2, %[[D]], 16] [1, 1, 1] : tensor<4x?x16xf32> to tensor<2x?x16xf32>
// CHECK:           %[[T:.*]] = structured.monarch ins(%[[XT]], {{.*}} : tensor<2x?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%[[IT]] : tensor<2x?x16xf32>) -> tensor<2x?x16xf32>
// CHECK-NOT:       structured.tile_sizes
// CHECK:           scf.forall.in_parallel {
// CHECK-NEXT:        tensor.parallel_insert_slice %[[T]] into %[[O]][%[[B]], 0, 0] [2, %[[D]], 16] [1, 1, 1] : tensor<2x?x16xf32> into tensor<4x?x16xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]] : tensor<4x?x16xf32>

// FOR-LABEL:   func.func @monarch_3d_batch(
// FOR:           %[[C4:.*]] = arith.constant 4 : index
// FOR:           %[[C2:.*]] = arith.constant 2 : index
// FOR:           scf.for %{{.*}} = %{{.*}} to %[[C4]] step %[[C2]] iter_args(%{{.*}} = %{{.*}}) -> (tensor<4x?x16xf32>) {
// FOR:             structured.monarch ins({{.*}}) outs(%{{.*}} : tensor<2x?x16xf32>) -> tensor<2x?x16xf32>
func.func @monarch_3d_batch(%x: tensor<4x?x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<4x?x16xf32>) -> tensor<4x?x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<4x?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<4x?x16xf32>) {structured.tile_sizes = array<i64: 2, 0, 0>} -> tensor<4x?x16xf32>
  return %y : tensor<4x?x16xf32>
}

// -----

// Errors (every RUN but BADLOOP reports them through -verify-diagnostics).

func.func @too_many_sizes(%x: tensor<8x16xf32>, %w: tensor<4x2x4xf32>, %init: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'structured.blockdiag' op has 2 loops to tile but got tile sizes [4, 2, 1]}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x16xf32>, tensor<4x2x4xf32>) outs(%init : tensor<8x8xf32>) {structured.tile_sizes = array<i64: 4, 2, 1>} -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}

// -----

func.func @negative_size(%x: tensor<?x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{'structured.monarch' op has 2 loops to tile but got tile sizes [-8, 0]}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<?x16xf32>) {structured.tile_sizes = array<i64: -8, 0>} -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

func.func @wrong_attribute_type(%x: tensor<?x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{'structured.monarch' op 'structured.tile_sizes' must be an array<i64>, got [4, 0]}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<?x16xf32>) {structured.tile_sizes = [4, 0]} -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// Block tile sizes must divide the block count: the TilingInterface reports
// it, then the pass.
func.func @block_tile_not_dividing(%x: tensor<8x16xf32>, %w: tensor<4x2x4xf32>, %init: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+4 {{'structured.blockdiag' op output blocks must be tiled by a constant size that divides 4}}
  // expected-error @+3 {{'structured.blockdiag' op faild to tile operation}}
  // expected-error @+2 {{'structured.blockdiag' op failed to generate tiling loops}}
  // expected-error @+1 {{'structured.blockdiag' op could not be tiled by [0, 3]}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x16xf32>, tensor<4x2x4xf32>) outs(%init : tensor<8x8xf32>) {structured.tile_sizes = array<i64: 0, 3>} -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}
