// RUN: struct-opt %s -canonicalize -split-input-file | FileCheck %s

//===----------------------------------------------------------------------===//
// Identity permutations fold away.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @identity_rows_1(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x6xf32>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[X]] : tensor<8x6xf32>
func.func @identity_rows_1(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 1, cols = 6} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

// CHECK-LABEL: func.func @identity_cols_1(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x3x12xbf16>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[X]] : tensor<?x3x12xbf16>
func.func @identity_cols_1(%x: tensor<?x3x12xbf16>, %init: tensor<?x3x12xbf16>) -> tensor<?x3x12xbf16> {
  %y = structured.permute ins(%x : tensor<?x3x12xbf16>) outs(%init : tensor<?x3x12xbf16>) {rows = 12, cols = 1} -> tensor<?x3x12xbf16>
  return %y : tensor<?x3x12xbf16>
}

// -----

// A non-identity permutation stays.
// CHECK-LABEL: func.func @not_identity(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x6xf32>, %[[I:[^:]*]]: tensor<8x6xf32>
// CHECK:         %[[Y:.*]] = structured.permute ins(%[[X]] : tensor<8x6xf32>) outs(%[[I]] : tensor<8x6xf32>) {cols = 3 : i64, rows = 2 : i64} -> tensor<8x6xf32>
// CHECK:         return %[[Y]]
func.func @not_identity(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Inverse pairs fold.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @inverse_pair(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x6xf32>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[X]] : tensor<8x6xf32>
func.func @inverse_pair(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  %p = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  %y = structured.permute ins(%p : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 3, cols = 2} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

// Square inverse pair on a 3-D batch: {4, 4} is its own inverse.
// CHECK-LABEL: func.func @self_inverse(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x3x16xf16>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[X]] : tensor<2x3x16xf16>
func.func @self_inverse(%x: tensor<2x3x16xf16>, %init: tensor<2x3x16xf16>) -> tensor<2x3x16xf16> {
  %p = structured.permute ins(%x : tensor<2x3x16xf16>) outs(%init : tensor<2x3x16xf16>) {rows = 4, cols = 4} -> tensor<2x3x16xf16>
  %y = structured.permute ins(%p : tensor<2x3x16xf16>) outs(%init : tensor<2x3x16xf16>) {rows = 4, cols = 4} -> tensor<2x3x16xf16>
  return %y : tensor<2x3x16xf16>
}

// -----

// When the source and the result types differ, the inverse pair becomes a
// tensor.cast.
// CHECK-LABEL: func.func @inverse_pair_cast(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x6xf32>
// CHECK-NOT:     structured.permute
// CHECK:         %[[C:.*]] = tensor.cast %[[X]] : tensor<?x6xf32> to tensor<8x6xf32>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[C]] : tensor<8x6xf32>
func.func @inverse_pair_cast(%x: tensor<?x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  %p = structured.permute ins(%x : tensor<?x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  %y = structured.permute ins(%p : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 3, cols = 2} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// permute ∘ permute composes into one stride permutation when it is one.
//===----------------------------------------------------------------------===//

// n = 64: i -> 2i -> 8i (mod 63), and 8 divides 64.
// CHECK-LABEL: func.func @compose_64(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x64xf32>, %[[I:[^:]*]]: tensor<8x64xf32>
// CHECK:         %[[Y:.*]] = structured.permute ins(%[[X]] : tensor<8x64xf32>) outs(%[[I]] : tensor<8x64xf32>) {cols = 8 : i64, rows = 8 : i64} -> tensor<8x64xf32>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[Y]] : tensor<8x64xf32>
func.func @compose_64(%x: tensor<8x64xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %p = structured.permute ins(%x : tensor<8x64xf32>) outs(%init : tensor<8x64xf32>) {rows = 2, cols = 32} -> tensor<8x64xf32>
  %y = structured.permute ins(%p : tensor<8x64xf32>) outs(%init : tensor<8x64xf32>) {rows = 4, cols = 16} -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

// n = 12: 2·2 = 4 (mod 11), and 4 divides 12.
// CHECK-LABEL: func.func @compose_12(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x12xbf16>, %[[I1:[^:]*]]: tensor<?x12xbf16>, %[[I2:[^:]*]]: tensor<?x12xbf16>
// CHECK:         %[[Y:.*]] = structured.permute ins(%[[X]] : tensor<?x12xbf16>) outs(%[[I2]] : tensor<?x12xbf16>) {cols = 3 : i64, rows = 4 : i64} -> tensor<?x12xbf16>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[Y]] : tensor<?x12xbf16>
func.func @compose_12(%x: tensor<?x12xbf16>, %i1: tensor<?x12xbf16>, %i2: tensor<?x12xbf16>) -> tensor<?x12xbf16> {
  %p = structured.permute ins(%x : tensor<?x12xbf16>) outs(%i1 : tensor<?x12xbf16>) {rows = 2, cols = 6} -> tensor<?x12xbf16>
  %y = structured.permute ins(%p : tensor<?x12xbf16>) outs(%i2 : tensor<?x12xbf16>) {rows = 2, cols = 6} -> tensor<?x12xbf16>
  return %y : tensor<?x12xbf16>
}

// -----

// n = 24: 2·3 = 6 (mod 23), and 6 divides 24.
// CHECK-LABEL: func.func @compose_24(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x24xf32>, %[[I:[^:]*]]: tensor<4x24xf32>
// CHECK:         %[[Y:.*]] = structured.permute ins(%[[X]] : tensor<4x24xf32>) outs(%[[I]] : tensor<4x24xf32>) {cols = 4 : i64, rows = 6 : i64} -> tensor<4x24xf32>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[Y]] : tensor<4x24xf32>
func.func @compose_24(%x: tensor<4x24xf32>, %init: tensor<4x24xf32>) -> tensor<4x24xf32> {
  %p = structured.permute ins(%x : tensor<4x24xf32>) outs(%init : tensor<4x24xf32>) {rows = 2, cols = 12} -> tensor<4x24xf32>
  %y = structured.permute ins(%p : tensor<4x24xf32>) outs(%init : tensor<4x24xf32>) {rows = 3, cols = 8} -> tensor<4x24xf32>
  return %y : tensor<4x24xf32>
}

// -----

// Three permutes of n = 64 with rows 2, 2, 2 compose into rows = 8.
// CHECK-LABEL: func.func @compose_three(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x64xf32>, %[[I:[^:]*]]: tensor<8x64xf32>
// CHECK:         %[[Y:.*]] = structured.permute ins(%[[X]] : tensor<8x64xf32>) outs(%[[I]] : tensor<8x64xf32>) {cols = 8 : i64, rows = 8 : i64} -> tensor<8x64xf32>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[Y]] : tensor<8x64xf32>
func.func @compose_three(%x: tensor<8x64xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %p = structured.permute ins(%x : tensor<8x64xf32>) outs(%init : tensor<8x64xf32>) {rows = 2, cols = 32} -> tensor<8x64xf32>
  %q = structured.permute ins(%p : tensor<8x64xf32>) outs(%init : tensor<8x64xf32>) {rows = 2, cols = 32} -> tensor<8x64xf32>
  %y = structured.permute ins(%q : tensor<8x64xf32>) outs(%init : tensor<8x64xf32>) {rows = 2, cols = 32} -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

// n = 64: 8·8 = 64 ≡ 1 (mod 63): the pair is the identity.
// CHECK-LABEL: func.func @compose_to_identity(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x64xf32>
// CHECK-NOT:     structured.permute
// CHECK:         return %[[X]] : tensor<8x64xf32>
func.func @compose_to_identity(%x: tensor<8x64xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %p = structured.permute ins(%x : tensor<8x64xf32>) outs(%init : tensor<8x64xf32>) {rows = 8, cols = 8} -> tensor<8x64xf32>
  %y = structured.permute ins(%p : tensor<8x64xf32>) outs(%init : tensor<8x64xf32>) {rows = 8, cols = 8} -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

// n = 18: 2·2 = 4 (mod 17), and 4 does not divide 18: both permutes stay.
// CHECK-LABEL: func.func @no_compose_18(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x18xf32>, %[[I:[^:]*]]: tensor<8x18xf32>
// CHECK:         %[[P:.*]] = structured.permute ins(%[[X]] : tensor<8x18xf32>) outs(%[[I]] : tensor<8x18xf32>) {cols = 9 : i64, rows = 2 : i64} -> tensor<8x18xf32>
// CHECK-NEXT:    %[[Y:.*]] = structured.permute ins(%[[P]] : tensor<8x18xf32>) outs(%[[I]] : tensor<8x18xf32>) {cols = 9 : i64, rows = 2 : i64} -> tensor<8x18xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<8x18xf32>
func.func @no_compose_18(%x: tensor<8x18xf32>, %init: tensor<8x18xf32>) -> tensor<8x18xf32> {
  %p = structured.permute ins(%x : tensor<8x18xf32>) outs(%init : tensor<8x18xf32>) {rows = 2, cols = 9} -> tensor<8x18xf32>
  %y = structured.permute ins(%p : tensor<8x18xf32>) outs(%init : tensor<8x18xf32>) {rows = 2, cols = 9} -> tensor<8x18xf32>
  return %y : tensor<8x18xf32>
}

// -----

// n = 12: 3·3 = 9 (mod 11), and 9 does not divide 12: both permutes stay.
// CHECK-LABEL: func.func @no_compose_12(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x12xf32>, %[[I:[^:]*]]: tensor<8x12xf32>
// CHECK:         %[[P:.*]] = structured.permute ins(%[[X]] : tensor<8x12xf32>) outs(%[[I]] : tensor<8x12xf32>) {cols = 4 : i64, rows = 3 : i64} -> tensor<8x12xf32>
// CHECK-NEXT:    %[[Y:.*]] = structured.permute ins(%[[P]] : tensor<8x12xf32>) outs(%[[I]] : tensor<8x12xf32>) {cols = 4 : i64, rows = 3 : i64} -> tensor<8x12xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<8x12xf32>
func.func @no_compose_12(%x: tensor<8x12xf32>, %init: tensor<8x12xf32>) -> tensor<8x12xf32> {
  %p = structured.permute ins(%x : tensor<8x12xf32>) outs(%init : tensor<8x12xf32>) {rows = 3, cols = 4} -> tensor<8x12xf32>
  %y = structured.permute ins(%p : tensor<8x12xf32>) outs(%init : tensor<8x12xf32>) {rows = 3, cols = 4} -> tensor<8x12xf32>
  return %y : tensor<8x12xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Permutes on memrefs are never folded: they must still copy.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @memref_permutes_stay(
// CHECK-SAME:    %[[X:[^:]*]]: memref<8x6xf32>, %[[T:[^:]*]]: memref<8x6xf32>, %[[I:[^:]*]]: memref<8x6xf32>
// CHECK:         structured.permute ins(%[[X]] : memref<8x6xf32>) outs(%[[T]] : memref<8x6xf32>) {cols = 6 : i64, rows = 1 : i64}
// CHECK-NEXT:    structured.permute ins(%[[X]] : memref<8x6xf32>) outs(%[[T]] : memref<8x6xf32>) {cols = 3 : i64, rows = 2 : i64}
// CHECK-NEXT:    structured.permute ins(%[[T]] : memref<8x6xf32>) outs(%[[I]] : memref<8x6xf32>) {cols = 2 : i64, rows = 3 : i64}
// CHECK-NEXT:    return
func.func @memref_permutes_stay(%x: memref<8x6xf32>, %t: memref<8x6xf32>, %init: memref<8x6xf32>) {
  structured.permute ins(%x : memref<8x6xf32>) outs(%t : memref<8x6xf32>) {rows = 1, cols = 6}
  structured.permute ins(%x : memref<8x6xf32>) outs(%t : memref<8x6xf32>) {rows = 2, cols = 3}
  structured.permute ins(%t : memref<8x6xf32>) outs(%init : memref<8x6xf32>) {rows = 3, cols = 2}
  return
}

// -----

//===----------------------------------------------------------------------===//
// Rank-1 BTT is Monarch.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @btt_rank1_tensor(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x16xbf16>, %[[W1:[^:]*]]: tensor<4x1x4x4xbf16>, %[[W2:[^:]*]]: tensor<4x4x4x1xbf16>, %[[I:[^:]*]]: tensor<?x16xbf16>
// CHECK-DAG:     %[[C1:.*]] = tensor.collapse_shape %[[W1]] {{\[}}[0, 1], [2], [3]] : tensor<4x1x4x4xbf16> into tensor<4x4x4xbf16>
// CHECK-DAG:     %[[C2:.*]] = tensor.collapse_shape %[[W2]] {{\[}}[0], [1], [2, 3]] : tensor<4x4x4x1xbf16> into tensor<4x4x4xbf16>
// CHECK:         %[[Y:.*]] = structured.monarch ins(%[[X]], %[[C1]], %[[C2]] : tensor<?x16xbf16>, tensor<4x4x4xbf16>, tensor<4x4x4xbf16>) outs(%[[I]] : tensor<?x16xbf16>) -> tensor<?x16xbf16>
// CHECK-NOT:     structured.btt
// CHECK:         return %[[Y]] : tensor<?x16xbf16>
func.func @btt_rank1_tensor(%x: tensor<?x16xbf16>, %w1: tensor<4x1x4x4xbf16>, %w2: tensor<4x4x4x1xbf16>, %init: tensor<?x16xbf16>) -> tensor<?x16xbf16> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<?x16xbf16>, tensor<4x1x4x4xbf16>, tensor<4x4x4x1xbf16>) outs(%init : tensor<?x16xbf16>) -> tensor<?x16xbf16>
  return %y : tensor<?x16xbf16>
}

// -----

// Rectangular rank-1 BTT: w1 4×1×6×4, w2 3×10×8×1.
// CHECK-LABEL: func.func @btt_rank1_memref_rectangular(
// CHECK-SAME:    %[[X:[^:]*]]: memref<8x16xf32>, %[[W1:[^:]*]]: memref<4x1x6x4xf32>, %[[W2:[^:]*]]: memref<3x10x8x1xf32>, %[[I:[^:]*]]: memref<8x30xf32>
// CHECK-DAG:     %[[C1:.*]] = memref.collapse_shape %[[W1]] {{\[}}[0, 1], [2], [3]] : memref<4x1x6x4xf32> into memref<4x6x4xf32>
// CHECK-DAG:     %[[C2:.*]] = memref.collapse_shape %[[W2]] {{\[}}[0], [1], [2, 3]] : memref<3x10x8x1xf32> into memref<3x10x8xf32>
// CHECK:         structured.monarch ins(%[[X]], %[[C1]], %[[C2]] : memref<8x16xf32>, memref<4x6x4xf32>, memref<3x10x8xf32>) outs(%[[I]] : memref<8x30xf32>){{$}}
// CHECK-NOT:     structured.btt
// CHECK:         return
func.func @btt_rank1_memref_rectangular(%x: memref<8x16xf32>, %w1: memref<4x1x6x4xf32>, %w2: memref<3x10x8x1xf32>, %init: memref<8x30xf32>) {
  structured.btt ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x1x6x4xf32>, memref<3x10x8x1xf32>) outs(%init : memref<8x30xf32>)
  return
}

// -----

// Strided weights keep their layout through the collapse.
// CHECK-LABEL: func.func @btt_rank1_memref_strided(
// CHECK-SAME:    %[[W1:[^:]*]]: memref<4x1x4x4xf32, strided<[32, 16, 4, 1]>>, %[[W2:[^:]*]]: memref<4x4x4x1xf32, strided<[64, 16, 4, 2]>>
// CHECK-DAG:     %[[C1:.*]] = memref.collapse_shape %[[W1]] {{\[}}[0, 1], [2], [3]] : memref<4x1x4x4xf32, strided<[32, 16, 4, 1]>> into memref<4x4x4xf32, strided<[32, 4, 1]>>
// CHECK-DAG:     %[[C2:.*]] = memref.collapse_shape %[[W2]] {{\[}}[0], [1], [2, 3]] : memref<4x4x4x1xf32, strided<[64, 16, 4, 2]>> into memref<4x4x4xf32, strided<[64, 16, 4]>>
// CHECK:         structured.monarch ins(%{{.*}}, %[[C1]], %[[C2]] : memref<8x16xf32>, memref<4x4x4xf32, strided<[32, 4, 1]>>, memref<4x4x4xf32, strided<[64, 16, 4]>>) outs(%{{.*}} : memref<8x16xf32>){{$}}
func.func @btt_rank1_memref_strided(%x: memref<8x16xf32>, %w1: memref<4x1x4x4xf32, strided<[32, 16, 4, 1]>>, %w2: memref<4x4x4x1xf32, strided<[64, 16, 4, 2]>>, %init: memref<8x16xf32>) {
  structured.btt ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x1x4x4xf32, strided<[32, 16, 4, 1]>>, memref<4x4x4x1xf32, strided<[64, 16, 4, 2]>>) outs(%init : memref<8x16xf32>)
  return
}

// -----

// Rank 2 stays a BTT.
// CHECK-LABEL: func.func @btt_rank2_stays(
// CHECK-NOT:     collapse_shape
// CHECK-NOT:     structured.monarch
// CHECK:         structured.btt ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<4x2x4x4xf32>, tensor<4x4x4x2xf32>) outs(%{{.*}} : tensor<8x16xf32>) -> tensor<8x16xf32>
func.func @btt_rank2_stays(%x: tensor<8x16xf32>, %w1: tensor<4x2x4x4xf32>, %w2: tensor<4x4x4x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x2x4x4xf32>, tensor<4x4x4x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// blockdiag -> permute{r, l} -> blockdiag -> permute{l, s} is one Monarch.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @form_monarch_square(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x16xf32>, %[[W1:[^:]*]]: tensor<4x4x4xf32>, %[[W2:[^:]*]]: tensor<4x4x4xf32>, %[[T:[^:]*]]: tensor<8x16xf32>, %[[I:[^:]*]]: tensor<8x16xf32>
// CHECK-NEXT:    %[[Y:.*]] = structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%[[I]] : tensor<8x16xf32>) -> tensor<8x16xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<8x16xf32>
func.func @form_monarch_square(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %t: tensor<8x16xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %a = structured.blockdiag ins(%x, %w1 : tensor<8x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<8x16xf32>) -> tensor<8x16xf32>
  %b = structured.permute ins(%a : tensor<8x16xf32>) outs(%t : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
  %c = structured.blockdiag ins(%b, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<8x16xf32>) -> tensor<8x16xf32>
  %y = structured.permute ins(%c : tensor<8x16xf32>) outs(%init : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// Rectangular: w1 4×6×4 (16 -> 24), w2 3×10×8 (l = 3, s = 10, r = 8):
// permute{r = 8, l = 3} then permute{l = 3, s = 10}.
// CHECK-LABEL: func.func @form_monarch_rectangular(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x3x16xf32>, %[[W1:[^:]*]]: tensor<4x6x4xf32>, %[[W2:[^:]*]]: tensor<3x10x8xf32>, %[[T:[^:]*]]: tensor<?x3x24xf32>, %[[U:[^:]*]]: tensor<?x3x30xf32>, %[[I:[^:]*]]: tensor<?x3x30xf32>
// CHECK-NEXT:    %[[Y:.*]] = structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : tensor<?x3x16xf32>, tensor<4x6x4xf32>, tensor<3x10x8xf32>) outs(%[[I]] : tensor<?x3x30xf32>) -> tensor<?x3x30xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<?x3x30xf32>
func.func @form_monarch_rectangular(%x: tensor<?x3x16xf32>, %w1: tensor<4x6x4xf32>, %w2: tensor<3x10x8xf32>, %t: tensor<?x3x24xf32>, %u: tensor<?x3x30xf32>, %init: tensor<?x3x30xf32>) -> tensor<?x3x30xf32> {
  %a = structured.blockdiag ins(%x, %w1 : tensor<?x3x16xf32>, tensor<4x6x4xf32>) outs(%t : tensor<?x3x24xf32>) -> tensor<?x3x24xf32>
  %b = structured.permute ins(%a : tensor<?x3x24xf32>) outs(%t : tensor<?x3x24xf32>) {rows = 8, cols = 3} -> tensor<?x3x24xf32>
  %c = structured.blockdiag ins(%b, %w2 : tensor<?x3x24xf32>, tensor<3x10x8xf32>) outs(%u : tensor<?x3x30xf32>) -> tensor<?x3x30xf32>
  %y = structured.permute ins(%c : tensor<?x3x30xf32>) outs(%init : tensor<?x3x30xf32>) {rows = 3, cols = 10} -> tensor<?x3x30xf32>
  return %y : tensor<?x3x30xf32>
}

// -----

// The same chain on bf16 rounds its intermediates to bf16 while monarch keeps
// them in f32: not the same map, so it is left alone.
// CHECK-LABEL: func.func @no_monarch_from_bf16_chain(
// CHECK-NOT:     structured.monarch
// CHECK-COUNT-2: structured.blockdiag
func.func @no_monarch_from_bf16_chain(%x: tensor<?x3x16xbf16>, %w1: tensor<4x6x4xbf16>, %w2: tensor<3x10x8xbf16>, %t: tensor<?x3x24xbf16>, %u: tensor<?x3x30xbf16>, %init: tensor<?x3x30xbf16>) -> tensor<?x3x30xbf16> {
  %a = structured.blockdiag ins(%x, %w1 : tensor<?x3x16xbf16>, tensor<4x6x4xbf16>) outs(%t : tensor<?x3x24xbf16>) -> tensor<?x3x24xbf16>
  %b = structured.permute ins(%a : tensor<?x3x24xbf16>) outs(%t : tensor<?x3x24xbf16>) {rows = 8, cols = 3} -> tensor<?x3x24xbf16>
  %c = structured.blockdiag ins(%b, %w2 : tensor<?x3x24xbf16>, tensor<3x10x8xbf16>) outs(%u : tensor<?x3x30xbf16>) -> tensor<?x3x30xbf16>
  %y = structured.permute ins(%c : tensor<?x3x30xbf16>) outs(%init : tensor<?x3x30xbf16>) {rows = 3, cols = 10} -> tensor<?x3x30xbf16>
  return %y : tensor<?x3x30xbf16>
}
// -----

// The middle permutation is {l, r} instead of {r, l}: no Monarch.
// CHECK-LABEL: func.func @no_monarch_wrong_middle_permute(
// CHECK-NOT:     structured.monarch
// CHECK:         structured.blockdiag
// CHECK-NEXT:    structured.permute {{.*}} {cols = 8 : i64, rows = 3 : i64}
// CHECK-NEXT:    structured.blockdiag
// CHECK-NEXT:    structured.permute {{.*}} {cols = 10 : i64, rows = 3 : i64}
// CHECK-NOT:     structured.monarch
func.func @no_monarch_wrong_middle_permute(%x: tensor<8x16xf32>, %w1: tensor<4x6x4xf32>, %w2: tensor<3x10x8xf32>, %t: tensor<8x24xf32>, %init: tensor<8x30xf32>) -> tensor<8x30xf32> {
  %a = structured.blockdiag ins(%x, %w1 : tensor<8x16xf32>, tensor<4x6x4xf32>) outs(%t : tensor<8x24xf32>) -> tensor<8x24xf32>
  %b = structured.permute ins(%a : tensor<8x24xf32>) outs(%t : tensor<8x24xf32>) {rows = 3, cols = 8} -> tensor<8x24xf32>
  %c = structured.blockdiag ins(%b, %w2 : tensor<8x24xf32>, tensor<3x10x8xf32>) outs(%init : tensor<8x30xf32>) -> tensor<8x30xf32>
  %y = structured.permute ins(%c : tensor<8x30xf32>) outs(%init : tensor<8x30xf32>) {rows = 3, cols = 10} -> tensor<8x30xf32>
  return %y : tensor<8x30xf32>
}

// -----

// The last permutation is {s, l} instead of {l, s}: no Monarch.
// CHECK-LABEL: func.func @no_monarch_wrong_last_permute(
// CHECK-NOT:     structured.monarch
// CHECK:         structured.blockdiag
// CHECK-NEXT:    structured.permute {{.*}} {cols = 3 : i64, rows = 8 : i64}
// CHECK-NEXT:    structured.blockdiag
// CHECK-NEXT:    structured.permute {{.*}} {cols = 3 : i64, rows = 10 : i64}
// CHECK-NOT:     structured.monarch
func.func @no_monarch_wrong_last_permute(%x: tensor<8x16xf32>, %w1: tensor<4x6x4xf32>, %w2: tensor<3x10x8xf32>, %t: tensor<8x24xf32>, %init: tensor<8x30xf32>) -> tensor<8x30xf32> {
  %a = structured.blockdiag ins(%x, %w1 : tensor<8x16xf32>, tensor<4x6x4xf32>) outs(%t : tensor<8x24xf32>) -> tensor<8x24xf32>
  %b = structured.permute ins(%a : tensor<8x24xf32>) outs(%t : tensor<8x24xf32>) {rows = 8, cols = 3} -> tensor<8x24xf32>
  %c = structured.blockdiag ins(%b, %w2 : tensor<8x24xf32>, tensor<3x10x8xf32>) outs(%init : tensor<8x30xf32>) -> tensor<8x30xf32>
  %y = structured.permute ins(%c : tensor<8x30xf32>) outs(%init : tensor<8x30xf32>) {rows = 10, cols = 3} -> tensor<8x30xf32>
  return %y : tensor<8x30xf32>
}

// -----

// The first blockdiag has another use: no Monarch.
// CHECK-LABEL: func.func @no_monarch_first_blockdiag_reused(
// CHECK-NOT:     structured.monarch
// CHECK:         %[[A:.*]] = structured.blockdiag
// CHECK-NEXT:    structured.permute ins(%[[A]]
// CHECK-NEXT:    structured.blockdiag
// CHECK-NEXT:    %[[Y:.*]] = structured.permute
// CHECK-NEXT:    return %[[Y]], %[[A]]
func.func @no_monarch_first_blockdiag_reused(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %t: tensor<8x16xf32>, %init: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %a = structured.blockdiag ins(%x, %w1 : tensor<8x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<8x16xf32>) -> tensor<8x16xf32>
  %b = structured.permute ins(%a : tensor<8x16xf32>) outs(%t : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
  %c = structured.blockdiag ins(%b, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<8x16xf32>) -> tensor<8x16xf32>
  %y = structured.permute ins(%c : tensor<8x16xf32>) outs(%init : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
  return %y, %a : tensor<8x16xf32>, tensor<8x16xf32>
}

// -----

// The middle permute has another use: no Monarch.
// CHECK-LABEL: func.func @no_monarch_middle_permute_reused(
// CHECK-NOT:     structured.monarch
// CHECK:         structured.blockdiag
// CHECK-NEXT:    %[[B:.*]] = structured.permute
// CHECK-NEXT:    structured.blockdiag ins(%[[B]]
// CHECK-NEXT:    %[[Y:.*]] = structured.permute
// CHECK-NEXT:    return %[[Y]], %[[B]]
func.func @no_monarch_middle_permute_reused(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %t: tensor<8x16xf32>, %init: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %a = structured.blockdiag ins(%x, %w1 : tensor<8x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<8x16xf32>) -> tensor<8x16xf32>
  %b = structured.permute ins(%a : tensor<8x16xf32>) outs(%t : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
  %c = structured.blockdiag ins(%b, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<8x16xf32>) -> tensor<8x16xf32>
  %y = structured.permute ins(%c : tensor<8x16xf32>) outs(%init : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
  return %y, %b : tensor<8x16xf32>, tensor<8x16xf32>
}

// -----

// The second blockdiag has another use: no Monarch.
// CHECK-LABEL: func.func @no_monarch_second_blockdiag_reused(
// CHECK-NOT:     structured.monarch
// CHECK:         structured.blockdiag
// CHECK-NEXT:    structured.permute
// CHECK-NEXT:    %[[C:.*]] = structured.blockdiag
// CHECK-NEXT:    %[[Y:.*]] = structured.permute ins(%[[C]]
// CHECK-NEXT:    return %[[Y]], %[[C]]
func.func @no_monarch_second_blockdiag_reused(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %t: tensor<8x16xf32>, %init: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %a = structured.blockdiag ins(%x, %w1 : tensor<8x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<8x16xf32>) -> tensor<8x16xf32>
  %b = structured.permute ins(%a : tensor<8x16xf32>) outs(%t : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
  %c = structured.blockdiag ins(%b, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>) outs(%t : tensor<8x16xf32>) -> tensor<8x16xf32>
  %y = structured.permute ins(%c : tensor<8x16xf32>) outs(%init : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
  return %y, %c : tensor<8x16xf32>, tensor<8x16xf32>
}

// -----

// The chain on memrefs is not rewritten.
// CHECK-LABEL: func.func @no_monarch_on_memrefs(
// CHECK-NOT:     structured.monarch
// CHECK:         structured.blockdiag
// CHECK-NEXT:    structured.permute
// CHECK-NEXT:    structured.blockdiag
// CHECK-NEXT:    structured.permute
// CHECK-NEXT:    return
func.func @no_monarch_on_memrefs(%x: memref<8x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %t: memref<8x16xf32>, %u: memref<8x16xf32>, %init: memref<8x16xf32>) {
  structured.blockdiag ins(%x, %w1 : memref<8x16xf32>, memref<4x4x4xf32>) outs(%t : memref<8x16xf32>)
  structured.permute ins(%t : memref<8x16xf32>) outs(%u : memref<8x16xf32>) {rows = 4, cols = 4}
  structured.blockdiag ins(%u, %w2 : memref<8x16xf32>, memref<4x4x4xf32>) outs(%t : memref<8x16xf32>)
  structured.permute ins(%t : memref<8x16xf32>) outs(%init : memref<8x16xf32>) {rows = 4, cols = 4}
  return
}

// -----

// A dynamic intermediate batch hides that the outer batch sizes disagree
// (4 vs 8); composing the permutes would build an invalid op, so they stay.
// CHECK-LABEL: func.func @no_compose_across_batch_mismatch(
// CHECK-COUNT-2: structured.permute
func.func @no_compose_across_batch_mismatch(%x: tensor<4x64xf32>, %i1: tensor<?x64xf32>, %i2: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %p = structured.permute ins(%x : tensor<4x64xf32>) outs(%i1 : tensor<?x64xf32>) {rows = 2, cols = 32} -> tensor<?x64xf32>
  %q = structured.permute ins(%p : tensor<?x64xf32>) outs(%i2 : tensor<8x64xf32>) {rows = 4, cols = 16} -> tensor<8x64xf32>
  return %q : tensor<8x64xf32>
}

// -----

// CHECK-LABEL: func.func @no_inverse_fold_across_batch_mismatch(
// CHECK-COUNT-2: structured.permute
func.func @no_inverse_fold_across_batch_mismatch(%x: tensor<4x16xf32>, %i1: tensor<?x16xf32>, %i2: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %p = structured.permute ins(%x : tensor<4x16xf32>) outs(%i1 : tensor<?x16xf32>) {rows = 4, cols = 4} -> tensor<?x16xf32>
  %q = structured.permute ins(%p : tensor<?x16xf32>) outs(%i2 : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
  return %q : tensor<8x16xf32>
}

// -----

// An identity permute between static and dynamic batch becomes a cast.
// CHECK-LABEL: func.func @identity_permute_to_cast(
// CHECK-SAME:    %[[X:.*]]: tensor<?x6xf32>
// CHECK-NEXT:    %[[C:.*]] = tensor.cast %[[X]] : tensor<?x6xf32> to tensor<8x6xf32>
// CHECK-NEXT:    return %[[C]]
func.func @identity_permute_to_cast(%x: tensor<?x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  %y = structured.permute ins(%x : tensor<?x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 6, cols = 1} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

// Einsum instances that are named ops.
// CHECK-LABEL: func.func @einsum_monarch(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x16xf32>, %[[A:[^:]*]]: tensor<4x4x4xf32>, %[[B:[^:]*]]: tensor<4x4x4xf32>, %[[I:[^:]*]]: tensor<?x16xf32>
// CHECK-NEXT:    %[[Y:.*]] = structured.monarch ins(%[[X]], %[[A]], %[[B]] : {{.*}}) outs(%[[I]] : tensor<?x16xf32>)
// CHECK-NEXT:    return %[[Y]]
func.func @einsum_monarch(%x: tensor<?x16xf32>, %a: tensor<4x4x4xf32>, %b: tensor<4x4x4xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %y = structured.einsum_linear ins(%x, %a, %b : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<?x16xf32>) {spec = "bkp,kqp,qlk->blq"} -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// Other letters, rectangular blocks, factors listed in the other order.
// CHECK-LABEL: func.func @einsum_monarch_swapped(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x12xf32>, %[[B:[^:]*]]: tensor<5x7x3xf32>, %[[A:[^:]*]]: tensor<3x5x4xf32>
// CHECK:         structured.monarch ins(%[[X]], %[[A]], %[[B]] : tensor<8x12xf32>, tensor<3x5x4xf32>, tensor<5x7x3xf32>)
func.func @einsum_monarch_swapped(%x: tensor<8x12xf32>, %b: tensor<5x7x3xf32>, %a: tensor<3x5x4xf32>, %init: tensor<8x35xf32>) -> tensor<8x35xf32> {
  %y = structured.einsum_linear ins(%x, %b, %a : tensor<8x12xf32>, tensor<5x7x3xf32>, tensor<3x5x4xf32>) outs(%init : tensor<8x35xf32>) {spec = "zAC,DEA,ADC->zED"} -> tensor<8x35xf32>
  return %y : tensor<8x35xf32>
}

// -----

// CHECK-LABEL: func.func @einsum_btt(
// CHECK:         structured.btt ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x12xf32>, tensor<3x2x5x4xf32>, tensor<5x7x3x2xf32>)
func.func @einsum_btt(%x: tensor<8x12xf32>, %a: tensor<3x2x5x4xf32>, %b: tensor<5x7x3x2xf32>, %init: tensor<8x35xf32>) -> tensor<8x35xf32> {
  %y = structured.einsum_linear ins(%x, %a, %b : tensor<8x12xf32>, tensor<3x2x5x4xf32>, tensor<5x7x3x2xf32>) outs(%init : tensor<8x35xf32>) {spec = "bkp,kRqp,qlkR->blq"} -> tensor<8x35xf32>
  return %y : tensor<8x35xf32>
}

// -----

// Low rank is a Monarch matrix with one block in each factor.
// CHECK-LABEL: func.func @einsum_lowrank(
// CHECK-SAME:    %[[X:[^:]*]]: memref<8x6xf32>, %[[A:[^:]*]]: memref<2x6xf32>, %[[B:[^:]*]]: memref<5x2xf32>
// CHECK-DAG:     %[[A1:.*]] = memref.expand_shape %[[A]] {{\[}}[0, 1], [2]] output_shape [1, 2, 6] : memref<2x6xf32> into memref<1x2x6xf32>
// CHECK-DAG:     %[[B1:.*]] = memref.expand_shape %[[B]] {{\[}}[0, 1], [2]] output_shape [1, 5, 2] : memref<5x2xf32> into memref<1x5x2xf32>
// CHECK:         structured.monarch ins(%[[X]], %[[A1]], %[[B1]] : memref<8x6xf32>, memref<1x2x6xf32>, memref<1x5x2xf32>)
func.func @einsum_lowrank(%x: memref<8x6xf32>, %a: memref<2x6xf32>, %b: memref<5x2xf32>, %init: memref<8x5xf32>) {
  structured.einsum_linear ins(%x, %a, %b : memref<8x6xf32>, memref<2x6xf32>, memref<5x2xf32>) outs(%init : memref<8x5xf32>) {spec = "bi,ri,or->bo"}
  return
}

// -----

// Kronecker and Tensor-Train maps stay einsums (decomposition handles them).
// CHECK-LABEL: func.func @einsum_kron_stays(
// CHECK:         structured.einsum_linear
// CHECK-NOT:     structured.monarch
func.func @einsum_kron_stays(%x: tensor<8x8xf32>, %a: tensor<3x2xf32>, %b: tensor<5x4xf32>, %init: tensor<8x15xf32>) -> tensor<8x15xf32> {
  %y = structured.einsum_linear ins(%x, %a, %b : tensor<8x8xf32>, tensor<3x2xf32>, tensor<5x4xf32>) outs(%init : tensor<8x15xf32>) {spec = "bij,ki,lj->bkl"} -> tensor<8x15xf32>
  return %y : tensor<8x15xf32>
}

// -----

// Same letters as Monarch but the output order transposed: not Monarch.
// CHECK-LABEL: func.func @einsum_not_monarch(
// CHECK:         structured.einsum_linear
func.func @einsum_not_monarch(%x: tensor<8x16xf32>, %a: tensor<4x4x4xf32>, %b: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.einsum_linear ins(%x, %a, %b : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) {spec = "bkp,kqp,qlk->bql"} -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}
