// structured-fold-permutations: permutes fold into the indexing of
// einsum_linear and elementwise neighbours, or into Monarch products; no
// structured.permute and no linalg.transpose is left where one folds.
// RUN: struct-opt %s --structured-fold-permutations -split-input-file | FileCheck %s

// x' = permute{3, 4}(x) viewed as [c = 4, r = 3] is x viewed as [r, c].
// CHECK-LABEL: func.func @einsum_input_aligned(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<8x12xf32>, %[[F:[a-z0-9]+]]: tensor<5x4x3xf32>
// CHECK-NOT:     structured.permute
// CHECK:         structured.einsum_linear ins(%[[X]], %[[F]] : tensor<8x12xf32>, tensor<5x4x3xf32>) {{.*}} {spec = "brc,ocr->bo"}
func.func @einsum_input_aligned(%x: tensor<8x12xf32>, %f: tensor<5x4x3xf32>, %e: tensor<8x12xf32>, %init: tensor<8x5xf32>) -> tensor<8x5xf32> {
  %p = structured.permute ins(%x : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
  %y = structured.einsum_linear ins(%p, %f : tensor<8x12xf32>, tensor<5x4x3xf32>) outs(%init : tensor<8x5xf32>) {spec = "bcr,ocr->bo"} -> tensor<8x5xf32>
  return %y : tensor<8x5xf32>
}

// -----

// The permutation cuts the letter i (12 = 4 × 3): i keeps the outer 4, a new
// letter takes the inner 3, and the factor is reshaped to match.
// CHECK-LABEL: func.func @einsum_input_split(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<8x12xf32>, %[[F:[a-z0-9]+]]: tensor<5x12xf32>
// CHECK-NOT:     structured.permute
// CHECK:         %[[F2:.*]] = tensor.expand_shape %[[F]] {{\[}}[0], [1, 2]] output_shape [5, 4, 3] : tensor<5x12xf32> into tensor<5x4x3xf32>
// CHECK:         structured.einsum_linear ins(%[[X]], %[[F2]] : {{.*}} {spec = "bai,oia->bo"}
func.func @einsum_input_split(%x: tensor<8x12xf32>, %f: tensor<5x12xf32>, %e: tensor<8x12xf32>, %init: tensor<8x5xf32>) -> tensor<8x5xf32> {
  %p = structured.permute ins(%x : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
  %y = structured.einsum_linear ins(%p, %f : tensor<8x12xf32>, tensor<5x12xf32>) outs(%init : tensor<8x5xf32>) {spec = "bi,oi->bo"} -> tensor<8x5xf32>
  return %y : tensor<8x5xf32>
}

// -----

// The output side: the einsum writes [c, r] into the permute's destination.
// CHECK-LABEL: func.func @einsum_output(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<?x6xf32>, %[[F:[a-z0-9]+]]: tensor<3x4x6xf32>, %{{.*}}: tensor<?x12xf32>, %[[E:[a-z0-9]+]]: tensor<?x12xf32>
// CHECK-NOT:     structured.permute
// CHECK:         structured.einsum_linear ins(%[[X]], %[[F]] : tensor<?x6xf32>, tensor<3x4x6xf32>) outs(%[[E]] : tensor<?x12xf32>) {spec = "bi,rci->bcr"}
func.func @einsum_output(%x: tensor<?x6xf32>, %f: tensor<3x4x6xf32>, %init: tensor<?x12xf32>, %e: tensor<?x12xf32>) -> tensor<?x12xf32> {
  %y = structured.einsum_linear ins(%x, %f : tensor<?x6xf32>, tensor<3x4x6xf32>) outs(%init : tensor<?x12xf32>) {spec = "bi,rci->brc"} -> tensor<?x12xf32>
  %p = structured.permute ins(%y : tensor<?x12xf32>) outs(%e : tensor<?x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<?x12xf32>
  return %p : tensor<?x12xf32>
}

// -----

// The output permutation cuts the letter o (6 = 2 × 3).
// CHECK-LABEL: func.func @einsum_output_split(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<4x5xf32>, %[[F:[a-z0-9]+]]: tensor<6x5xf32>
// CHECK:         %[[F2:.*]] = tensor.expand_shape %[[F]] {{\[}}[0, 1], [2]] output_shape [2, 3, 5] : tensor<6x5xf32> into tensor<2x3x5xf32>
// CHECK:         structured.einsum_linear ins(%[[X]], %[[F2]] : {{.*}} {spec = "bi,oai->bao"}
// CHECK-NOT:     structured.permute
func.func @einsum_output_split(%x: tensor<4x5xf32>, %f: tensor<6x5xf32>, %init: tensor<4x6xf32>, %e: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %y = structured.einsum_linear ins(%x, %f : tensor<4x5xf32>, tensor<6x5xf32>) outs(%init : tensor<4x6xf32>) {spec = "bi,oi->bo"} -> tensor<4x6xf32>
  %p = structured.permute ins(%y : tensor<4x6xf32>) outs(%e : tensor<4x6xf32>) {rows = 2 : i64, cols = 3 : i64} -> tensor<4x6xf32>
  return %p : tensor<4x6xf32>
}

// -----

// Folding the input permutation leaves the Monarch spec, which the einsum
// canonicalization names.
// CHECK-LABEL: func.func @einsum_becomes_monarch(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<8x16xf32>, %[[W1:[a-z0-9]+]]: tensor<4x4x4xf32>, %[[W2:[a-z0-9]+]]: tensor<4x4x4xf32>
// CHECK-NEXT:    %[[Y:.*]] = structured.monarch ins(%[[X]], %[[W1]], %[[W2]] :
// CHECK-NEXT:    return %[[Y]]
func.func @einsum_becomes_monarch(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %e: tensor<8x16xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %p = structured.permute ins(%x : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {rows = 4 : i64, cols = 4 : i64} -> tensor<8x16xf32>
  %y = structured.einsum_linear ins(%p, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) {spec = "bpk,kqp,qlk->blq"} -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// An elementwise consumer (bias add) with a dynamic batch: the feature loop
// f = c·3 + r becomes (c, r), x is read as [r, c] and the bias as [c, r].
// CHECK-DAG:   #[[SWAPPED:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG:   #[[BIAS:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @elementwise_consumer(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<?x12xf32>, %[[B:[a-z0-9]+]]: tensor<12xf32>, %{{.*}}: tensor<?x12xf32>, %[[INIT:[a-z0-9]+]]: tensor<?x12xf32>
// CHECK-NOT:     structured.permute
// CHECK-DAG:     %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 3, 4]
// CHECK-DAG:     %[[BE:.*]] = tensor.expand_shape %[[B]] {{\[}}[0, 1]] output_shape [4, 3]
// CHECK-DAG:     %[[IE:.*]] = tensor.expand_shape %[[INIT]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 4, 3]
// CHECK:         %[[G:.*]] = linalg.generic {indexing_maps = [#[[SWAPPED]], #[[BIAS]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[XE]], %[[BE]] : tensor<?x3x4xf32>, tensor<4x3xf32>) outs(%[[IE]] : tensor<?x4x3xf32>)
// CHECK:           arith.addf
// CHECK:         %[[R:.*]] = tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2]] : tensor<?x4x3xf32> into tensor<?x12xf32>
// CHECK:         return %[[R]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
func.func @elementwise_consumer(%x: tensor<?x12xf32>, %bias: tensor<12xf32>, %e: tensor<?x12xf32>, %init: tensor<?x12xf32>) -> tensor<?x12xf32> {
  %p = structured.permute ins(%x : tensor<?x12xf32>) outs(%e : tensor<?x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<?x12xf32>
  %y = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%p, %bias : tensor<?x12xf32>, tensor<12xf32>) outs(%init : tensor<?x12xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x12xf32>
  return %y : tensor<?x12xf32>
}

// -----

// A named elementwise producer: generalized, its feature loop f = r·4 + c
// becomes (r, c) and it writes the permute's destination as [c, r].
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[SWAPPED:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-LABEL: func.func @elementwise_producer(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<8x12xf32>, %{{.*}}: tensor<8x12xf32>, %[[E:[a-z0-9]+]]: tensor<8x12xf32>
// CHECK-NOT:     structured.permute
// CHECK-DAG:     %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [8, 3, 4]
// CHECK-DAG:     %[[EE:.*]] = tensor.expand_shape %[[E]] {{\[}}[0], [1, 2]] output_shape [8, 4, 3]
// CHECK:         %[[G:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[SWAPPED]]], {{.*}} ins(%[[XE]] : tensor<8x3x4xf32>) outs(%[[EE]] : tensor<8x4x3xf32>)
// CHECK:           math.exp
// CHECK:         tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2]] : tensor<8x4x3xf32> into tensor<8x12xf32>
func.func @elementwise_producer(%x: tensor<8x12xf32>, %t: tensor<8x12xf32>, %e: tensor<8x12xf32>) -> tensor<8x12xf32> {
  %a = linalg.exp ins(%x : tensor<8x12xf32>) outs(%t : tensor<8x12xf32>) -> tensor<8x12xf32>
  %p = structured.permute ins(%a : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
  return %p : tensor<8x12xf32>
}

// -----

// A blockdiag/permute chain is one Monarch product.
// CHECK-LABEL: func.func @chain_becomes_monarch(
// CHECK-NOT:     structured.permute
// CHECK:         structured.monarch
func.func @chain_becomes_monarch(%x: tensor<2x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %t: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %a = structured.blockdiag ins(%x, %w1 : tensor<2x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<2x16xf32>) -> tensor<2x16xf32>
  %b = structured.permute ins(%a : tensor<2x16xf32>) outs(%t : tensor<2x16xf32>) {rows = 4 : i64, cols = 4 : i64} -> tensor<2x16xf32>
  %c = structured.blockdiag ins(%b, %w2 : tensor<2x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<2x16xf32>) -> tensor<2x16xf32>
  %d = structured.permute ins(%c : tensor<2x16xf32>) outs(%t : tensor<2x16xf32>) {rows = 4 : i64, cols = 4 : i64} -> tensor<2x16xf32>
  return %d : tensor<2x16xf32>
}

// -----

// Left alone: a permute between function boundaries, one on buffers, one
// feeding an op that reads its loop indices, one after an op that reads its
// init (swapping the destination would change what it reads), and one whose
// destination is created after its producer.
// CHECK-LABEL: func.func @kept(
// CHECK-COUNT-5: structured.permute
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @kept(%x: tensor<8x12xf32>, %e: tensor<8x12xf32>, %mx: memref<8x12xf32>, %me: memref<8x12xf32>) -> (tensor<8x12xf32>, tensor<8x12xf32>, tensor<8x12xf32>, tensor<8x12xf32>) {
  %p = structured.permute ins(%x : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
  structured.permute ins(%mx : memref<8x12xf32>) outs(%me : memref<8x12xf32>) {rows = 3 : i64, cols = 4 : i64}
  %q = structured.permute ins(%x : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
  %i = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%q : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) {
  ^bb0(%a: f32, %o: f32):
    %j = linalg.index 1 : index
    %k = arith.index_cast %j : index to i32
    %f = arith.sitofp %k : i32 to f32
    %s = arith.addf %a, %f : f32
    linalg.yield %s : f32
  } -> tensor<8x12xf32>
  %acc = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<8x12xf32>
  %r = structured.permute ins(%acc : tensor<8x12xf32>) outs(%x : tensor<8x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
  %ex = linalg.exp ins(%x : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) -> tensor<8x12xf32>
  %late = tensor.empty() : tensor<8x12xf32>
  %s = structured.permute ins(%ex : tensor<8x12xf32>) outs(%late : tensor<8x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
  return %p, %i, %r, %s : tensor<8x12xf32>, tensor<8x12xf32>, tensor<8x12xf32>, tensor<8x12xf32>
}
