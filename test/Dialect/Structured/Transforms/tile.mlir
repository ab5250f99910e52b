// RUN: struct-opt %s --transform-interpreter -split-input-file | FileCheck %s

// Tiling through the upstream transform dialect and the ops' TilingInterface.
// The iteration domain is (batch dims..., output blocks): blockdiag blocks are
// the k blocks of w, permute blocks are its cols (rows features each), and
// Monarch/BTT blocks are the s rows of w2's blocks (l features each).

// CHECK-DAG:   #[[X2:map[0-9]*]] = affine_map<(d0) -> (d0 * 2)>
// CHECK-DAG:   #[[X4:map[0-9]*]] = affine_map<(d0) -> (d0 * 4)>
// CHECK-LABEL: func.func @blockdiag_for_batch_and_blocks(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x16xf32>, %[[W:[^:]*]]: tensor<4x2x4xf32>, %[[I:[^:]*]]: tensor<8x8xf32>)
// CHECK:         %[[R:.*]] = scf.for %[[B:.*]] = %c0{{(_[0-9]+)?}} to %c8 step %c4{{(_[0-9]+)?}} iter_args(%[[A0:.*]] = %[[I]]) -> (tensor<8x8xf32>) {
// CHECK-NEXT:      %[[R1:.*]] = scf.for %[[K:.*]] = %c0{{(_[0-9]+)?}} to %c4{{(_[0-9]+)?}} step %c2{{(_[0-9]+)?}} iter_args(%[[A1:.*]] = %[[A0]]) -> (tensor<8x8xf32>) {
// CHECK-NEXT:        %[[OO:.*]] = affine.apply #[[X2]](%[[K]])
// CHECK-NEXT:        %[[IT:.*]] = tensor.extract_slice %[[A1]][%[[B]], %[[OO]]] [4, 4] [1, 1] : tensor<8x8xf32> to tensor<4x4xf32>
// CHECK-NEXT:        %[[XO:.*]] = affine.apply #[[X4]](%[[K]])
// CHECK-NEXT:        %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], %[[XO]]] [4, 8] [1, 1] : tensor<8x16xf32> to tensor<4x8xf32>
// CHECK-NEXT:        %[[WT:.*]] = tensor.extract_slice %[[W]][%[[K]], 0, 0] [2, 2, 4] [1, 1, 1] : tensor<4x2x4xf32> to tensor<2x2x4xf32>
// CHECK-NEXT:        %[[T:.*]] = structured.blockdiag ins(%[[XT]], %[[WT]] : tensor<4x8xf32>, tensor<2x2x4xf32>) outs(%[[IT]] : tensor<4x4xf32>) -> tensor<4x4xf32>
// CHECK-NEXT:        %[[OO2:.*]] = affine.apply #[[X2]](%[[K]])
// CHECK-NEXT:        %[[INS:.*]] = tensor.insert_slice %[[T]] into %[[A1]][%[[B]], %[[OO2]]] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<8x8xf32>
// CHECK-NEXT:        scf.yield %[[INS]] : tensor<8x8xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      scf.yield %[[R1]] : tensor<8x8xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]] : tensor<8x8xf32>
func.func @blockdiag_for_batch_and_blocks(%x: tensor<8x16xf32>, %w: tensor<4x2x4xf32>, %init: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x16xf32>, tensor<4x2x4xf32>) outs(%init : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.blockdiag"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops:2 = transform.structured.tile_using_for %0 tile_sizes [4, 2] : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// On memrefs the tiles are subviews and the tiled op has no result.
// CHECK-DAG:   #[[X2:map[0-9]*]] = affine_map<(d0) -> (d0 * 2)>
// CHECK-DAG:   #[[X4:map[0-9]*]] = affine_map<(d0) -> (d0 * 4)>
// CHECK-LABEL: func.func @blockdiag_for_blocks_memref(
// CHECK-SAME:    %[[X:[^:]*]]: memref<8x16xf32>, %[[W:[^:]*]]: memref<4x2x4xf32>, %[[I:[^:]*]]: memref<8x8xf32>)
// CHECK:         scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      %[[OO:.*]] = affine.apply #[[X2]](%[[K]])
// CHECK-NEXT:      %[[IT:.*]] = memref.subview %[[I]][0, %[[OO]]] [8, 4] [1, 1] : memref<8x8xf32> to memref<8x4xf32, strided<[8, 1], offset: ?>>
// CHECK-NEXT:      %[[XO:.*]] = affine.apply #[[X4]](%[[K]])
// CHECK-NEXT:      %[[XT:.*]] = memref.subview %[[X]][0, %[[XO]]] [8, 8] [1, 1] : memref<8x16xf32> to memref<8x8xf32, strided<[16, 1], offset: ?>>
// CHECK-NEXT:      %[[WT:.*]] = memref.subview %[[W]][%[[K]], 0, 0] [2, 2, 4] [1, 1, 1] : memref<4x2x4xf32> to memref<2x2x4xf32, strided<[8, 4, 1], offset: ?>>
// CHECK-NEXT:      structured.blockdiag ins(%[[XT]], %[[WT]] : memref<8x8xf32, strided<[16, 1], offset: ?>>, memref<2x2x4xf32, strided<[8, 4, 1], offset: ?>>) outs(%[[IT]] : memref<8x4xf32, strided<[8, 1], offset: ?>>){{$}}
// CHECK-NEXT:    }
// CHECK-NEXT:    return
func.func @blockdiag_for_blocks_memref(%x: memref<8x16xf32>, %w: memref<4x2x4xf32>, %init: memref<8x8xf32>) {
  structured.blockdiag ins(%x, %w : memref<8x16xf32>, memref<4x2x4xf32>) outs(%init : memref<8x8xf32>)
  return
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.blockdiag"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_for %0 tile_sizes [0, 2] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// A batch tile that does not divide the batch gives partial (dynamic) tiles.
// CHECK-DAG:   #[[X3:map[0-9]*]] = affine_map<(d0) -> (d0 * 3)>
// CHECK-DAG:   #[[MIN:map[0-9]*]] = affine_map<(d0) -> (-d0 + 8, 3)>
// CHECK-LABEL: func.func @blockdiag_forall_partial_batch(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x16xbf16>, %[[W:[^:]*]]: tensor<4x2x4xbf16>, %[[I:[^:]*]]: tensor<8x8xbf16>)
// CHECK:         %[[R:.*]] = scf.forall (%[[IV:.*]]) in (3) shared_outs(%[[O:.*]] = %[[I]]) -> (tensor<8x8xbf16>) {
// CHECK-NEXT:      %[[B:.*]] = affine.apply #[[X3]](%[[IV]])
// CHECK:           %[[SZ:.*]] = affine.min #[[MIN]](%[[B]])
// CHECK-NEXT:      %[[IT:.*]] = tensor.extract_slice %[[O]][%[[B]], 0] [%[[SZ]], 8] [1, 1] : tensor<8x8xbf16> to tensor<?x8xbf16>
// CHECK-NEXT:      %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], 0] [%[[SZ]], 16] [1, 1] : tensor<8x16xbf16> to tensor<?x16xbf16>
// CHECK-NEXT:      %[[WT:.*]] = tensor.extract_slice %[[W]][0, 0, 0] [4, 2, 4] [1, 1, 1] : tensor<4x2x4xbf16> to tensor<4x2x4xbf16>
// CHECK-NEXT:      %[[T:.*]] = structured.blockdiag ins(%[[XT]], %[[WT]] : tensor<?x16xbf16>, tensor<4x2x4xbf16>) outs(%[[IT]] : tensor<?x8xbf16>) -> tensor<?x8xbf16>
// CHECK-NEXT:      scf.forall.in_parallel {
// CHECK-NEXT:        tensor.parallel_insert_slice %[[T]] into %[[O]][%[[B]], 0] [%[[SZ]], 8] [1, 1] : tensor<?x8xbf16> into tensor<8x8xbf16>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]] : tensor<8x8xbf16>
func.func @blockdiag_forall_partial_batch(%x: tensor<8x16xbf16>, %w: tensor<4x2x4xbf16>, %init: tensor<8x8xbf16>) -> tensor<8x8xbf16> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x16xbf16>, tensor<4x2x4xbf16>) outs(%init : tensor<8x8xbf16>) -> tensor<8x8xbf16>
  return %y : tensor<8x8xbf16>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.blockdiag"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_forall %0 tile_sizes [3, 0] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// Monarch over the s dimension of w2: 10 blocks of l = 3 features, tiled by 5,
// and over a dynamic batch by 4. x and w1 are used whole.
// CHECK-DAG:   #[[NB:map[0-9]*]] = affine_map<()[s0] -> (s0 ceildiv 4)>
// CHECK-DAG:   #[[X4:map[0-9]*]] = affine_map<(d0) -> (d0 * 4)>
// CHECK-DAG:   #[[X5:map[0-9]*]] = affine_map<(d0) -> (d0 * 5)>
// CHECK-DAG:   #[[MIN:map[0-9]*]] = affine_map<(d0)[s0] -> (-d0 + s0, 4)>
// CHECK-DAG:   #[[X3:map[0-9]*]] = affine_map<(d0) -> (d0 * 3)>
// CHECK-LABEL: func.func @monarch_forall_batch_and_s(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x16xf32>, %[[W1:[^:]*]]: tensor<4x6x4xf32>, %[[W2:[^:]*]]: tensor<3x10x8xf32>, %[[I:[^:]*]]: tensor<?x30xf32>)
// CHECK:         %[[D:.*]] = tensor.dim %[[I]], %{{.*}} : tensor<?x30xf32>
// CHECK-NEXT:    %[[N:.*]] = affine.apply #[[NB]]()[%[[D]]]
// CHECK-NEXT:    %[[R:.*]] = scf.forall (%[[IB:.*]], %[[IU:.*]]) in (%[[N]], 2) shared_outs(%[[O:.*]] = %[[I]]) -> (tensor<?x30xf32>) {
// CHECK-NEXT:      %[[B:.*]] = affine.apply #[[X4]](%[[IB]])
// CHECK-NEXT:      %[[U:.*]] = affine.apply #[[X5]](%[[IU]])
// CHECK-NEXT:      %[[SZ:.*]] = affine.min #[[MIN]](%[[B]])[%[[D]]]
// CHECK-NEXT:      %[[OO:.*]] = affine.apply #[[X3]](%[[U]])
// CHECK-NEXT:      %[[IT:.*]] = tensor.extract_slice %[[O]][%[[B]], %[[OO]]] [%[[SZ]], 15] [1, 1] : tensor<?x30xf32> to tensor<?x15xf32>
// CHECK-NEXT:      %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], 0] [%[[SZ]], 16] [1, 1] : tensor<?x16xf32> to tensor<?x16xf32>
// CHECK-NEXT:      %[[W2T:.*]] = tensor.extract_slice %[[W2]][0, %[[U]], 0] [3, 5, 8] [1, 1, 1] : tensor<3x10x8xf32> to tensor<3x5x8xf32>
// CHECK-NEXT:      %[[T:.*]] = structured.monarch ins(%[[XT]], %[[W1]], %[[W2T]] : tensor<?x16xf32>, tensor<4x6x4xf32>, tensor<3x5x8xf32>) outs(%[[IT]] : tensor<?x15xf32>) -> tensor<?x15xf32>
// CHECK-NEXT:      %[[OO2:.*]] = affine.apply #[[X3]](%[[U]])
// CHECK-NEXT:      scf.forall.in_parallel {
// CHECK-NEXT:        tensor.parallel_insert_slice %[[T]] into %[[O]][%[[B]], %[[OO2]]] [%[[SZ]], 15] [1, 1] : tensor<?x15xf32> into tensor<?x30xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]] : tensor<?x30xf32>
func.func @monarch_forall_batch_and_s(%x: tensor<?x16xf32>, %w1: tensor<4x6x4xf32>, %w2: tensor<3x10x8xf32>, %init: tensor<?x30xf32>) -> tensor<?x30xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x16xf32>, tensor<4x6x4xf32>, tensor<3x10x8xf32>) outs(%init : tensor<?x30xf32>) -> tensor<?x30xf32>
  return %y : tensor<?x30xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.monarch"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_forall %0 tile_sizes [4, 5] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// Monarch with scf.for over the s dimension only (4 blocks of 4, tiles of 2).
// CHECK-DAG:   #[[X4:map[0-9]*]] = affine_map<(d0) -> (d0 * 4)>
// CHECK-LABEL: func.func @monarch_for_s(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x16xf32>, %[[W1:[^:]*]]: tensor<4x4x4xf32>, %[[W2:[^:]*]]: tensor<4x4x4xf32>, %[[I:[^:]*]]: tensor<8x16xf32>)
// CHECK:         scf.for %[[U:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A:.*]] = %[[I]]) -> (tensor<8x16xf32>) {
// CHECK-NEXT:      %[[OO:.*]] = affine.apply #[[X4]](%[[U]])
// CHECK-NEXT:      %[[IT:.*]] = tensor.extract_slice %[[A]][0, %[[OO]]] [8, 8] [1, 1] : tensor<8x16xf32> to tensor<8x8xf32>
// CHECK-NEXT:      %[[XT:.*]] = tensor.extract_slice %[[X]][0, 0] [8, 16] [1, 1] : tensor<8x16xf32> to tensor<8x16xf32>
// CHECK-NEXT:      %[[W2T:.*]] = tensor.extract_slice %[[W2]][0, %[[U]], 0] [4, 2, 4] [1, 1, 1] : tensor<4x4x4xf32> to tensor<4x2x4xf32>
// CHECK-NEXT:      %[[T:.*]] = structured.monarch ins(%[[XT]], %[[W1]], %[[W2T]] : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x2x4xf32>) outs(%[[IT]] : tensor<8x8xf32>) -> tensor<8x8xf32>
// CHECK:           tensor.insert_slice %[[T]] into %[[A]][0, %{{.*}}] [8, 8] [1, 1] : tensor<8x8xf32> into tensor<8x16xf32>
func.func @monarch_for_s(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.monarch"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_for %0 tile_sizes [0, 2] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// BTT with a 3-D batch: tiles of 1 × 2 (partial) × 2 blocks of l = 4 features.
// CHECK-DAG:   #[[MIN:map[0-9]*]] = affine_map<(d0) -> (-d0 + 3, 2)>
// CHECK-DAG:   #[[X4:map[0-9]*]] = affine_map<(d0) -> (d0 * 4)>
// CHECK-LABEL: func.func @btt_for_3d_batch(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x3x16xbf16>, %[[W1:[^:]*]]: tensor<4x2x4x4xbf16>, %[[W2:[^:]*]]: tensor<4x4x4x2xbf16>, %[[I:[^:]*]]: tensor<2x3x16xbf16>)
// CHECK:         scf.for %[[B0:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A0:.*]] = %[[I]]) -> (tensor<2x3x16xbf16>) {
// CHECK-NEXT:      scf.for %[[B1:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A1:.*]] = %[[A0]]) -> (tensor<2x3x16xbf16>) {
// CHECK-NEXT:        scf.for %[[U:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A2:.*]] = %[[A1]]) -> (tensor<2x3x16xbf16>) {
// CHECK:               %[[SZ:.*]] = affine.min #[[MIN]](%[[B1]])
// CHECK-NEXT:          %[[OO:.*]] = affine.apply #[[X4]](%[[U]])
// CHECK-NEXT:          %[[IT:.*]] = tensor.extract_slice %[[A2]][%[[B0]], %[[B1]], %[[OO]]] [1, %[[SZ]], 8] [1, 1, 1] : tensor<2x3x16xbf16> to tensor<1x?x8xbf16>
// CHECK-NEXT:          %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B0]], %[[B1]], 0] [1, %[[SZ]], 16] [1, 1, 1] : tensor<2x3x16xbf16> to tensor<1x?x16xbf16>
// CHECK-NEXT:          %[[W2T:.*]] = tensor.extract_slice %[[W2]][0, %[[U]], 0, 0] [4, 2, 4, 2] [1, 1, 1, 1] : tensor<4x4x4x2xbf16> to tensor<4x2x4x2xbf16>
// CHECK-NEXT:          %[[T:.*]] = structured.btt ins(%[[XT]], %[[W1]], %[[W2T]] : tensor<1x?x16xbf16>, tensor<4x2x4x4xbf16>, tensor<4x2x4x2xbf16>) outs(%[[IT]] : tensor<1x?x8xbf16>) -> tensor<1x?x8xbf16>
// CHECK:               tensor.insert_slice %[[T]] into %[[A2]][%[[B0]], %[[B1]], %{{.*}}] [1, %[[SZ]], 8] [1, 1, 1] : tensor<1x?x8xbf16> into tensor<2x3x16xbf16>
func.func @btt_for_3d_batch(%x: tensor<2x3x16xbf16>, %w1: tensor<4x2x4x4xbf16>, %w2: tensor<4x4x4x2xbf16>, %init: tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<2x3x16xbf16>, tensor<4x2x4x4xbf16>, tensor<4x4x4x2xbf16>) outs(%init : tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16>
  return %y : tensor<2x3x16xbf16>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.btt"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops:3 = transform.structured.tile_using_for %0 tile_sizes [1, 2, 2] : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// Permute over cols: x viewed as rows×cols, a slice of columns, flattened
// again; the tiled permute has cols = tile size and covers rows·tile outputs.
// CHECK-DAG:   #[[X3:map[0-9]*]] = affine_map<(d0) -> (d0 * 3)>
// CHECK-LABEL: func.func @permute_for_cols(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x12xf32>, %[[I:[^:]*]]: tensor<8x12xf32>)
// CHECK:         %[[R:.*]] = scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A:.*]] = %[[I]]) -> (tensor<8x12xf32>) {
// CHECK-NEXT:      %[[OO:.*]] = affine.apply #[[X3]](%[[C]])
// CHECK-NEXT:      %[[IT:.*]] = tensor.extract_slice %[[A]][0, %[[OO]]] [8, 6] [1, 1] : tensor<8x12xf32> to tensor<8x6xf32>
// CHECK-NEXT:      %[[XT:.*]] = tensor.extract_slice %[[X]][0, 0] [8, 12] [1, 1] : tensor<8x12xf32> to tensor<8x12xf32>
// CHECK-NEXT:      %[[XE:.*]] = tensor.expand_shape %[[XT]] {{\[}}[0], [1, 2]] output_shape [8, 3, 4] : tensor<8x12xf32> into tensor<8x3x4xf32>
// CHECK-NEXT:      %[[COLS:.*]] = tensor.extract_slice %[[XE]][0, 0, %[[C]]] [8, 3, 2] [1, 1, 1] : tensor<8x3x4xf32> to tensor<8x3x2xf32>
// CHECK-NEXT:      %[[XC:.*]] = tensor.collapse_shape %[[COLS]] {{\[}}[0], [1, 2]] : tensor<8x3x2xf32> into tensor<8x6xf32>
// CHECK-NEXT:      %[[T:.*]] = structured.permute ins(%[[XC]] : tensor<8x6xf32>) outs(%[[IT]] : tensor<8x6xf32>) {cols = 2 : i64, rows = 3 : i64} -> tensor<8x6xf32>
// CHECK-NEXT:      %[[OO2:.*]] = affine.apply #[[X3]](%[[C]])
// CHECK-NEXT:      %[[INS:.*]] = tensor.insert_slice %[[T]] into %[[A]][0, %[[OO2]]] [8, 6] [1, 1] : tensor<8x6xf32> into tensor<8x12xf32>
// CHECK-NEXT:      scf.yield %[[INS]] : tensor<8x12xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]] : tensor<8x12xf32>
func.func @permute_for_cols(%x: tensor<8x12xf32>, %init: tensor<8x12xf32>) -> tensor<8x12xf32> {
  %y = structured.permute ins(%x : tensor<8x12xf32>) outs(%init : tensor<8x12xf32>) {rows = 3, cols = 4} -> tensor<8x12xf32>
  return %y : tensor<8x12xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.permute"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_for %0 tile_sizes [0, 2] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// Permute over cols with scf.forall and a batch tile, on a dynamic batch.
// CHECK-LABEL: func.func @permute_forall_batch_and_cols(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x12xf16>, %[[I:[^:]*]]: tensor<?x12xf16>)
// CHECK:         scf.forall (%{{.*}}, %{{.*}}) in (%{{.*}}, 4) shared_outs(%[[O:.*]] = %[[I]]) -> (tensor<?x12xf16>) {
// CHECK:           %[[IT:.*]] = tensor.extract_slice %[[O]][%{{.*}}, %{{.*}}] [%[[SZ:.*]], 3] [1, 1] : tensor<?x12xf16> to tensor<?x3xf16>
// CHECK-NEXT:      %[[XT:.*]] = tensor.extract_slice %[[X]][%{{.*}}, 0] [%[[SZ]], 12] [1, 1] : tensor<?x12xf16> to tensor<?x12xf16>
// CHECK:           %[[XE:.*]] = tensor.expand_shape %[[XT]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 3, 4] : tensor<?x12xf16> into tensor<?x3x4xf16>
// CHECK:           %[[COLS:.*]] = tensor.extract_slice %[[XE]][0, 0, %{{.*}}] [%{{.*}}, 3, 1] [1, 1, 1] : tensor<?x3x4xf16> to tensor<?x3x1xf16>
// CHECK-NEXT:      %[[XC:.*]] = tensor.collapse_shape %[[COLS]] {{\[}}[0], [1, 2]] : tensor<?x3x1xf16> into tensor<?x3xf16>
// CHECK-NEXT:      %[[T:.*]] = structured.permute ins(%[[XC]] : tensor<?x3xf16>) outs(%[[IT]] : tensor<?x3xf16>) {cols = 1 : i64, rows = 3 : i64} -> tensor<?x3xf16>
// CHECK:           scf.forall.in_parallel {
// CHECK-NEXT:        tensor.parallel_insert_slice %[[T]] into %[[O]][%{{.*}}, %{{.*}}] [%[[SZ]], 3] [1, 1] : tensor<?x3xf16> into tensor<?x12xf16>
func.func @permute_forall_batch_and_cols(%x: tensor<?x12xf16>, %init: tensor<?x12xf16>) -> tensor<?x12xf16> {
  %y = structured.permute ins(%x : tensor<?x12xf16>) outs(%init : tensor<?x12xf16>) {rows = 3, cols = 4} -> tensor<?x12xf16>
  return %y : tensor<?x12xf16>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.permute"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_forall %0 tile_sizes [16, 1] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// On memrefs a permute tiles over the batch only (whole column blocks).
// CHECK-LABEL: func.func @permute_forall_batch_memref(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x12xf32>, %[[I:[^:]*]]: memref<?x12xf32>)
// CHECK:         scf.forall (%{{.*}}) in (%{{.*}}) {
// CHECK:           %[[IT:.*]] = memref.subview %[[I]][%[[B:.*]], 0] [%[[SZ:.*]], 12] [1, 1] : memref<?x12xf32> to memref<?x12xf32, strided<[12, 1], offset: ?>>
// CHECK-NEXT:      %[[XT:.*]] = memref.subview %[[X]][%[[B]], 0] [%[[SZ]], 12] [1, 1] : memref<?x12xf32> to memref<?x12xf32, strided<[12, 1], offset: ?>>
// CHECK-NEXT:      structured.permute ins(%[[XT]] : memref<?x12xf32, strided<[12, 1], offset: ?>>) outs(%[[IT]] : memref<?x12xf32, strided<[12, 1], offset: ?>>) {cols = 4 : i64, rows = 3 : i64}{{$}}
func.func @permute_forall_batch_memref(%x: memref<?x12xf32>, %init: memref<?x12xf32>) {
  structured.permute ins(%x : memref<?x12xf32>) outs(%init : memref<?x12xf32>) {rows = 3, cols = 4}
  return
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%arg0: !transform.any_op {transform.readonly}) {
    %0 = transform.structured.match ops{["structured.permute"]} in %arg0 : (!transform.any_op) -> !transform.any_op
    %1, %loops = transform.structured.tile_using_forall %0 tile_sizes [4] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// btt_moe tiles like btt; idx and gate follow the batch tile.
// CHECK-LABEL: func.func @tile_btt_moe(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x16xf32>, %[[W1:[^:]*]]: tensor<4x8x4x4xf32>, %[[W2:[^:]*]]: tensor<4x4x4x8xf32>, %[[IDX:[^:]*]]: tensor<8x2xi32>, %[[G:[^:]*]]: tensor<8x2xf32>
// CHECK:         scf.for %[[B:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK:           scf.for %[[U:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK-DAG:         %[[XT:.*]] = tensor.extract_slice %[[X]][%[[B]], 0] [4, 16] [1, 1]
// CHECK-DAG:         %[[W2T:.*]] = tensor.extract_slice %[[W2]][0, %[[U]], 0, 0] [4, 2, 4, 8] [1, 1, 1, 1]
// CHECK-DAG:         %[[IT:.*]] = tensor.extract_slice %[[IDX]][%[[B]], 0] [4, 2] [1, 1]
// CHECK-DAG:         %[[GT:.*]] = tensor.extract_slice %[[G]][%[[B]], 0] [4, 2] [1, 1]
// CHECK:             structured.btt_moe ins(%[[XT]], %[[W1]], %[[W2T]], %[[IT]], %[[GT]] : tensor<4x16xf32>, tensor<4x8x4x4xf32>, tensor<4x2x4x8xf32>, tensor<4x2xi32>, tensor<4x2xf32>) outs(%{{.*}} : tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @tile_btt_moe(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<8x2xi32>, %gate: tensor<8x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<8x2xi32>, tensor<8x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["structured.btt_moe"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:2 = transform.structured.tile_using_for %op tile_sizes [4, 2] : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}
