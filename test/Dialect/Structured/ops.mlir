// RUN: struct-opt %s | struct-opt | FileCheck %s
// RUN: struct-opt %s --mlir-print-op-generic | struct-opt | FileCheck %s

// Round trip of every structured op: custom and generic assembly, tensors and
// memrefs, static, dynamic and multi-dimensional batches, f32/f16/bf16, and
// rectangular Monarch/BTT maps.

//===----------------------------------------------------------------------===//
// structured.blockdiag
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @blockdiag_tensor(
// CHECK-SAME:    %[[X:.*]]: tensor<8x6xf32>, %[[W:.*]]: tensor<2x2x3xf32>, %[[I:.*]]: tensor<8x4xf32>)
// CHECK:         %[[Y:.*]] = structured.blockdiag ins(%[[X]], %[[W]] : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%[[I]] : tensor<8x4xf32>) -> tensor<8x4xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<8x4xf32>
func.func @blockdiag_tensor(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// CHECK-LABEL: func.func @blockdiag_tensor_dynamic_batch(
// CHECK-SAME:    %[[X:.*]]: tensor<?x16xf16>, %[[W:.*]]: tensor<4x8x4xf16>, %[[I:.*]]: tensor<?x32xf16>)
// CHECK:         %[[Y:.*]] = structured.blockdiag ins(%[[X]], %[[W]] : tensor<?x16xf16>, tensor<4x8x4xf16>) outs(%[[I]] : tensor<?x32xf16>) -> tensor<?x32xf16>
// CHECK-NEXT:    return %[[Y]] : tensor<?x32xf16>
func.func @blockdiag_tensor_dynamic_batch(%x: tensor<?x16xf16>, %w: tensor<4x8x4xf16>, %init: tensor<?x32xf16>) -> tensor<?x32xf16> {
  %y = structured.blockdiag ins(%x, %w : tensor<?x16xf16>, tensor<4x8x4xf16>) outs(%init : tensor<?x32xf16>) -> tensor<?x32xf16>
  return %y : tensor<?x32xf16>
}

// CHECK-LABEL: func.func @blockdiag_tensor_3d_batch(
// CHECK-SAME:    %[[X:.*]]: tensor<2x3x16xbf16>, %[[W:.*]]: tensor<4x4x4xbf16>, %[[I:.*]]: tensor<2x3x16xbf16>)
// CHECK:         %[[Y:.*]] = structured.blockdiag ins(%[[X]], %[[W]] : tensor<2x3x16xbf16>, tensor<4x4x4xbf16>) outs(%[[I]] : tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16>
// CHECK-NEXT:    return %[[Y]] : tensor<2x3x16xbf16>
func.func @blockdiag_tensor_3d_batch(%x: tensor<2x3x16xbf16>, %w: tensor<4x4x4xbf16>, %init: tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16> {
  %y = structured.blockdiag ins(%x, %w : tensor<2x3x16xbf16>, tensor<4x4x4xbf16>) outs(%init : tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16>
  return %y : tensor<2x3x16xbf16>
}

// Batch sizes may be dynamic in one operand and static in the other.
// CHECK-LABEL: func.func @blockdiag_tensor_mixed_batch(
// CHECK-SAME:    %[[X:.*]]: tensor<?x3x6xf32>, %[[W:.*]]: tensor<2x2x3xf32>, %[[I:.*]]: tensor<5x?x4xf32>)
// CHECK:         %[[Y:.*]] = structured.blockdiag ins(%[[X]], %[[W]] : tensor<?x3x6xf32>, tensor<2x2x3xf32>) outs(%[[I]] : tensor<5x?x4xf32>) -> tensor<5x?x4xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<5x?x4xf32>
func.func @blockdiag_tensor_mixed_batch(%x: tensor<?x3x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<5x?x4xf32>) -> tensor<5x?x4xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<?x3x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<5x?x4xf32>) -> tensor<5x?x4xf32>
  return %y : tensor<5x?x4xf32>
}

// CHECK-LABEL: func.func @blockdiag_memref(
// CHECK-SAME:    %[[X:.*]]: memref<8x6xf32>, %[[W:.*]]: memref<2x2x3xf32>, %[[I:.*]]: memref<8x4xf32>)
// CHECK:         structured.blockdiag ins(%[[X]], %[[W]] : memref<8x6xf32>, memref<2x2x3xf32>) outs(%[[I]] : memref<8x4xf32>){{$}}
// CHECK-NEXT:    return{{$}}
func.func @blockdiag_memref(%x: memref<8x6xf32>, %w: memref<2x2x3xf32>, %init: memref<8x4xf32>) {
  structured.blockdiag ins(%x, %w : memref<8x6xf32>, memref<2x2x3xf32>) outs(%init : memref<8x4xf32>)
  return
}

// CHECK-LABEL: func.func @blockdiag_memref_dynamic_batch(
// CHECK-SAME:    %[[X:.*]]: memref<?x2x6xbf16>, %[[W:.*]]: memref<2x2x3xbf16>, %[[I:.*]]: memref<?x2x4xbf16>)
// CHECK:         structured.blockdiag ins(%[[X]], %[[W]] : memref<?x2x6xbf16>, memref<2x2x3xbf16>) outs(%[[I]] : memref<?x2x4xbf16>){{$}}
func.func @blockdiag_memref_dynamic_batch(%x: memref<?x2x6xbf16>, %w: memref<2x2x3xbf16>, %init: memref<?x2x4xbf16>) {
  structured.blockdiag ins(%x, %w : memref<?x2x6xbf16>, memref<2x2x3xbf16>) outs(%init : memref<?x2x4xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// structured.permute
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @permute_tensor(
// CHECK-SAME:    %[[X:.*]]: tensor<8x6xf32>, %[[I:.*]]: tensor<8x6xf32>)
// CHECK:         %[[Y:.*]] = structured.permute ins(%[[X]] : tensor<8x6xf32>) outs(%[[I]] : tensor<8x6xf32>) {cols = 3 : i64, rows = 2 : i64} -> tensor<8x6xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<8x6xf32>
func.func @permute_tensor(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// CHECK-LABEL: func.func @permute_tensor_dynamic_batch(
// CHECK-SAME:    %[[X:.*]]: tensor<?x?x12xf16>, %[[I:.*]]: tensor<?x?x12xf16>)
// CHECK:         %[[Y:.*]] = structured.permute ins(%[[X]] : tensor<?x?x12xf16>) outs(%[[I]] : tensor<?x?x12xf16>) {cols = 4 : i64, rows = 3 : i64} -> tensor<?x?x12xf16>
// CHECK-NEXT:    return %[[Y]] : tensor<?x?x12xf16>
func.func @permute_tensor_dynamic_batch(%x: tensor<?x?x12xf16>, %init: tensor<?x?x12xf16>) -> tensor<?x?x12xf16> {
  %y = structured.permute ins(%x : tensor<?x?x12xf16>) outs(%init : tensor<?x?x12xf16>) {rows = 3 : i64, cols = 4 : i64} -> tensor<?x?x12xf16>
  return %y : tensor<?x?x12xf16>
}

// The identity permutations (rows = 1 or cols = 1) are valid ops.
// CHECK-LABEL: func.func @permute_tensor_3d_batch_identity(
// CHECK-SAME:    %[[X:.*]]: tensor<2x3x16xbf16>, %[[I:.*]]: tensor<2x3x16xbf16>)
// CHECK:         %[[Y:.*]] = structured.permute ins(%[[X]] : tensor<2x3x16xbf16>) outs(%[[I]] : tensor<2x3x16xbf16>) {cols = 16 : i64, rows = 1 : i64} -> tensor<2x3x16xbf16>
// CHECK-NEXT:    return %[[Y]] : tensor<2x3x16xbf16>
func.func @permute_tensor_3d_batch_identity(%x: tensor<2x3x16xbf16>, %init: tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16> {
  %y = structured.permute ins(%x : tensor<2x3x16xbf16>) outs(%init : tensor<2x3x16xbf16>) {rows = 1, cols = 16} -> tensor<2x3x16xbf16>
  return %y : tensor<2x3x16xbf16>
}

// CHECK-LABEL: func.func @permute_memref(
// CHECK-SAME:    %[[X:.*]]: memref<4x16xf32>, %[[I:.*]]: memref<4x16xf32>)
// CHECK:         structured.permute ins(%[[X]] : memref<4x16xf32>) outs(%[[I]] : memref<4x16xf32>) {cols = 2 : i64, rows = 8 : i64}{{$}}
// CHECK-NEXT:    return{{$}}
func.func @permute_memref(%x: memref<4x16xf32>, %init: memref<4x16xf32>) {
  structured.permute ins(%x : memref<4x16xf32>) outs(%init : memref<4x16xf32>) {rows = 8, cols = 2}
  return
}

// CHECK-LABEL: func.func @permute_memref_dynamic_batch(
// CHECK-SAME:    %[[X:.*]]: memref<?x16xbf16>, %[[I:.*]]: memref<?x16xbf16>)
// CHECK:         structured.permute ins(%[[X]] : memref<?x16xbf16>) outs(%[[I]] : memref<?x16xbf16>) {cols = 4 : i64, rows = 4 : i64}{{$}}
func.func @permute_memref_dynamic_batch(%x: memref<?x16xbf16>, %init: memref<?x16xbf16>) {
  structured.permute ins(%x : memref<?x16xbf16>) outs(%init : memref<?x16xbf16>) {rows = 4, cols = 4}
  return
}

//===----------------------------------------------------------------------===//
// structured.monarch
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @monarch_tensor(
// CHECK-SAME:    %[[X:.*]]: tensor<8x16xf32>, %[[W1:.*]]: tensor<4x4x4xf32>, %[[W2:.*]]: tensor<4x4x4xf32>, %[[I:.*]]: tensor<8x16xf32>)
// CHECK:         %[[Y:.*]] = structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%[[I]] : tensor<8x16xf32>) -> tensor<8x16xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<8x16xf32>
func.func @monarch_tensor(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// CHECK-LABEL: func.func @monarch_tensor_dynamic_batch_f16(
// CHECK-SAME:    %[[X:.*]]: tensor<?x1024xf16>, %[[W1:.*]]: tensor<32x32x32xf16>, %[[W2:.*]]: tensor<32x32x32xf16>, %[[I:.*]]: tensor<?x1024xf16>)
// CHECK:         %[[Y:.*]] = structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : tensor<?x1024xf16>, tensor<32x32x32xf16>, tensor<32x32x32xf16>) outs(%[[I]] : tensor<?x1024xf16>) -> tensor<?x1024xf16>
// CHECK-NEXT:    return %[[Y]] : tensor<?x1024xf16>
func.func @monarch_tensor_dynamic_batch_f16(%x: tensor<?x1024xf16>, %w1: tensor<32x32x32xf16>, %w2: tensor<32x32x32xf16>, %init: tensor<?x1024xf16>) -> tensor<?x1024xf16> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x1024xf16>, tensor<32x32x32xf16>, tensor<32x32x32xf16>) outs(%init : tensor<?x1024xf16>) -> tensor<?x1024xf16>
  return %y : tensor<?x1024xf16>
}

// CHECK-LABEL: func.func @monarch_tensor_3d_batch_bf16(
// CHECK-SAME:    %[[X:.*]]: tensor<2x3x16xbf16>, %[[W1:.*]]: tensor<4x4x4xbf16>, %[[W2:.*]]: tensor<4x4x4xbf16>, %[[I:.*]]: tensor<2x3x16xbf16>)
// CHECK:         %[[Y:.*]] = structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : tensor<2x3x16xbf16>, tensor<4x4x4xbf16>, tensor<4x4x4xbf16>) outs(%[[I]] : tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16>
// CHECK-NEXT:    return %[[Y]] : tensor<2x3x16xbf16>
func.func @monarch_tensor_3d_batch_bf16(%x: tensor<2x3x16xbf16>, %w1: tensor<4x4x4xbf16>, %w2: tensor<4x4x4xbf16>, %init: tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<2x3x16xbf16>, tensor<4x4x4xbf16>, tensor<4x4x4xbf16>) outs(%init : tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16>
  return %y : tensor<2x3x16xbf16>
}

// Rectangular, expanding: n = k·p = 4·4 = 16, k·q = 4·6 = 24 = l·r = 3·8,
// out = l·s = 3·10 = 30.
// CHECK-LABEL: func.func @monarch_tensor_expanding(
// CHECK-SAME:    %[[X:.*]]: tensor<8x16xf32>, %[[W1:.*]]: tensor<4x6x4xf32>, %[[W2:.*]]: tensor<3x10x8xf32>, %[[I:.*]]: tensor<8x30xf32>)
// CHECK:         %[[Y:.*]] = structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : tensor<8x16xf32>, tensor<4x6x4xf32>, tensor<3x10x8xf32>) outs(%[[I]] : tensor<8x30xf32>) -> tensor<8x30xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<8x30xf32>
func.func @monarch_tensor_expanding(%x: tensor<8x16xf32>, %w1: tensor<4x6x4xf32>, %w2: tensor<3x10x8xf32>, %init: tensor<8x30xf32>) -> tensor<8x30xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x6x4xf32>, tensor<3x10x8xf32>) outs(%init : tensor<8x30xf32>) -> tensor<8x30xf32>
  return %y : tensor<8x30xf32>
}

// Rectangular, shrinking: n = 8·8 = 64, k·q = 8·2 = 16 = l·r = 4·4,
// out = l·s = 4·3 = 12.
// CHECK-LABEL: func.func @monarch_tensor_shrinking(
// CHECK-SAME:    %[[X:.*]]: tensor<?x64xf16>, %[[W1:.*]]: tensor<8x2x8xf16>, %[[W2:.*]]: tensor<4x3x4xf16>, %[[I:.*]]: tensor<?x12xf16>)
// CHECK:         %[[Y:.*]] = structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : tensor<?x64xf16>, tensor<8x2x8xf16>, tensor<4x3x4xf16>) outs(%[[I]] : tensor<?x12xf16>) -> tensor<?x12xf16>
// CHECK-NEXT:    return %[[Y]] : tensor<?x12xf16>
func.func @monarch_tensor_shrinking(%x: tensor<?x64xf16>, %w1: tensor<8x2x8xf16>, %w2: tensor<4x3x4xf16>, %init: tensor<?x12xf16>) -> tensor<?x12xf16> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x64xf16>, tensor<8x2x8xf16>, tensor<4x3x4xf16>) outs(%init : tensor<?x12xf16>) -> tensor<?x12xf16>
  return %y : tensor<?x12xf16>
}

// CHECK-LABEL: func.func @monarch_memref(
// CHECK-SAME:    %[[X:.*]]: memref<8x16xf32>, %[[W1:.*]]: memref<4x4x4xf32>, %[[W2:.*]]: memref<4x4x4xf32>, %[[I:.*]]: memref<8x16xf32>)
// CHECK:         structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : memref<8x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%[[I]] : memref<8x16xf32>){{$}}
// CHECK-NEXT:    return{{$}}
func.func @monarch_memref(%x: memref<8x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %init: memref<8x16xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%init : memref<8x16xf32>)
  return
}

// CHECK-LABEL: func.func @monarch_memref_dynamic_3d_batch_rectangular(
// CHECK-SAME:    %[[X:.*]]: memref<?x3x16xbf16>, %[[W1:.*]]: memref<4x6x4xbf16>, %[[W2:.*]]: memref<3x10x8xbf16>, %[[I:.*]]: memref<?x3x30xbf16>)
// CHECK:         structured.monarch ins(%[[X]], %[[W1]], %[[W2]] : memref<?x3x16xbf16>, memref<4x6x4xbf16>, memref<3x10x8xbf16>) outs(%[[I]] : memref<?x3x30xbf16>){{$}}
func.func @monarch_memref_dynamic_3d_batch_rectangular(%x: memref<?x3x16xbf16>, %w1: memref<4x6x4xbf16>, %w2: memref<3x10x8xbf16>, %init: memref<?x3x30xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x3x16xbf16>, memref<4x6x4xbf16>, memref<3x10x8xbf16>) outs(%init : memref<?x3x30xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// structured.btt
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @btt_tensor(
// CHECK-SAME:    %[[X:.*]]: tensor<16x1024xf32>, %[[W1:.*]]: tensor<32x4x32x32xf32>, %[[W2:.*]]: tensor<32x32x32x4xf32>, %[[I:.*]]: tensor<16x1024xf32>)
// CHECK:         %[[Y:.*]] = structured.btt ins(%[[X]], %[[W1]], %[[W2]] : tensor<16x1024xf32>, tensor<32x4x32x32xf32>, tensor<32x32x32x4xf32>) outs(%[[I]] : tensor<16x1024xf32>) -> tensor<16x1024xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<16x1024xf32>
func.func @btt_tensor(%x: tensor<16x1024xf32>, %w1: tensor<32x4x32x32xf32>, %w2: tensor<32x32x32x4xf32>, %init: tensor<16x1024xf32>) -> tensor<16x1024xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<16x1024xf32>, tensor<32x4x32x32xf32>, tensor<32x32x32x4xf32>) outs(%init : tensor<16x1024xf32>) -> tensor<16x1024xf32>
  return %y : tensor<16x1024xf32>
}

// Rank 1 BTT is a valid op as written (canonicalization turns it into monarch).
// CHECK-LABEL: func.func @btt_tensor_dynamic_batch_rank1(
// CHECK-SAME:    %[[X:.*]]: tensor<?x16xbf16>, %[[W1:.*]]: tensor<4x1x4x4xbf16>, %[[W2:.*]]: tensor<4x4x4x1xbf16>, %[[I:.*]]: tensor<?x16xbf16>)
// CHECK:         %[[Y:.*]] = structured.btt ins(%[[X]], %[[W1]], %[[W2]] : tensor<?x16xbf16>, tensor<4x1x4x4xbf16>, tensor<4x4x4x1xbf16>) outs(%[[I]] : tensor<?x16xbf16>) -> tensor<?x16xbf16>
// CHECK-NEXT:    return %[[Y]] : tensor<?x16xbf16>
func.func @btt_tensor_dynamic_batch_rank1(%x: tensor<?x16xbf16>, %w1: tensor<4x1x4x4xbf16>, %w2: tensor<4x4x4x1xbf16>, %init: tensor<?x16xbf16>) -> tensor<?x16xbf16> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<?x16xbf16>, tensor<4x1x4x4xbf16>, tensor<4x4x4x1xbf16>) outs(%init : tensor<?x16xbf16>) -> tensor<?x16xbf16>
  return %y : tensor<?x16xbf16>
}

// CHECK-LABEL: func.func @btt_tensor_3d_batch_f16(
// CHECK-SAME:    %[[X:.*]]: tensor<2x3x16xf16>, %[[W1:.*]]: tensor<4x2x4x4xf16>, %[[W2:.*]]: tensor<4x4x4x2xf16>, %[[I:.*]]: tensor<2x3x16xf16>)
// CHECK:         %[[Y:.*]] = structured.btt ins(%[[X]], %[[W1]], %[[W2]] : tensor<2x3x16xf16>, tensor<4x2x4x4xf16>, tensor<4x4x4x2xf16>) outs(%[[I]] : tensor<2x3x16xf16>) -> tensor<2x3x16xf16>
// CHECK-NEXT:    return %[[Y]] : tensor<2x3x16xf16>
func.func @btt_tensor_3d_batch_f16(%x: tensor<2x3x16xf16>, %w1: tensor<4x2x4x4xf16>, %w2: tensor<4x4x4x2xf16>, %init: tensor<2x3x16xf16>) -> tensor<2x3x16xf16> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<2x3x16xf16>, tensor<4x2x4x4xf16>, tensor<4x4x4x2xf16>) outs(%init : tensor<2x3x16xf16>) -> tensor<2x3x16xf16>
  return %y : tensor<2x3x16xf16>
}

// Rectangular, expanding: n = 4·4 = 16, k·q = 4·6 = 24 = l·r = 3·8, out = 3·10.
// CHECK-LABEL: func.func @btt_tensor_expanding(
// CHECK-SAME:    %[[X:.*]]: tensor<8x16xf32>, %[[W1:.*]]: tensor<4x3x6x4xf32>, %[[W2:.*]]: tensor<3x10x8x3xf32>, %[[I:.*]]: tensor<8x30xf32>)
// CHECK:         %[[Y:.*]] = structured.btt ins(%[[X]], %[[W1]], %[[W2]] : tensor<8x16xf32>, tensor<4x3x6x4xf32>, tensor<3x10x8x3xf32>) outs(%[[I]] : tensor<8x30xf32>) -> tensor<8x30xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<8x30xf32>
func.func @btt_tensor_expanding(%x: tensor<8x16xf32>, %w1: tensor<4x3x6x4xf32>, %w2: tensor<3x10x8x3xf32>, %init: tensor<8x30xf32>) -> tensor<8x30xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x3x6x4xf32>, tensor<3x10x8x3xf32>) outs(%init : tensor<8x30xf32>) -> tensor<8x30xf32>
  return %y : tensor<8x30xf32>
}

// Rectangular, shrinking: n = 8·8 = 64, k·q = 8·2 = 16 = l·r = 4·4, out = 4·3.
// CHECK-LABEL: func.func @btt_tensor_shrinking(
// CHECK-SAME:    %[[X:.*]]: tensor<8x64xbf16>, %[[W1:.*]]: tensor<8x2x2x8xbf16>, %[[W2:.*]]: tensor<4x3x4x2xbf16>, %[[I:.*]]: tensor<8x12xbf16>)
// CHECK:         %[[Y:.*]] = structured.btt ins(%[[X]], %[[W1]], %[[W2]] : tensor<8x64xbf16>, tensor<8x2x2x8xbf16>, tensor<4x3x4x2xbf16>) outs(%[[I]] : tensor<8x12xbf16>) -> tensor<8x12xbf16>
// CHECK-NEXT:    return %[[Y]] : tensor<8x12xbf16>
func.func @btt_tensor_shrinking(%x: tensor<8x64xbf16>, %w1: tensor<8x2x2x8xbf16>, %w2: tensor<4x3x4x2xbf16>, %init: tensor<8x12xbf16>) -> tensor<8x12xbf16> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x64xbf16>, tensor<8x2x2x8xbf16>, tensor<4x3x4x2xbf16>) outs(%init : tensor<8x12xbf16>) -> tensor<8x12xbf16>
  return %y : tensor<8x12xbf16>
}

// CHECK-LABEL: func.func @btt_memref(
// CHECK-SAME:    %[[X:.*]]: memref<16x1024xf32>, %[[W1:.*]]: memref<32x4x32x32xf32>, %[[W2:.*]]: memref<32x32x32x4xf32>, %[[I:.*]]: memref<16x1024xf32>)
// CHECK:         structured.btt ins(%[[X]], %[[W1]], %[[W2]] : memref<16x1024xf32>, memref<32x4x32x32xf32>, memref<32x32x32x4xf32>) outs(%[[I]] : memref<16x1024xf32>){{$}}
// CHECK-NEXT:    return{{$}}
func.func @btt_memref(%x: memref<16x1024xf32>, %w1: memref<32x4x32x32xf32>, %w2: memref<32x32x32x4xf32>, %init: memref<16x1024xf32>) {
  structured.btt ins(%x, %w1, %w2 : memref<16x1024xf32>, memref<32x4x32x32xf32>, memref<32x32x32x4xf32>) outs(%init : memref<16x1024xf32>)
  return
}

// CHECK-LABEL: func.func @btt_memref_dynamic_3d_batch_f16(
// CHECK-SAME:    %[[X:.*]]: memref<?x?x16xf16>, %[[W1:.*]]: memref<4x2x4x4xf16>, %[[W2:.*]]: memref<4x4x4x2xf16>, %[[I:.*]]: memref<?x?x16xf16>)
// CHECK:         structured.btt ins(%[[X]], %[[W1]], %[[W2]] : memref<?x?x16xf16>, memref<4x2x4x4xf16>, memref<4x4x4x2xf16>) outs(%[[I]] : memref<?x?x16xf16>){{$}}
func.func @btt_memref_dynamic_3d_batch_f16(%x: memref<?x?x16xf16>, %w1: memref<4x2x4x4xf16>, %w2: memref<4x4x4x2xf16>, %init: memref<?x?x16xf16>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x?x16xf16>, memref<4x2x4x4xf16>, memref<4x4x4x2xf16>) outs(%init : memref<?x?x16xf16>)
  return
}

//===----------------------------------------------------------------------===//
// Discardable attributes survive in the attr-dict; chained ops.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @attrs_and_chain(
// CHECK-SAME:    %[[X:.*]]: tensor<4x16xf32>, %[[W:.*]]: tensor<4x4x4xf32>, %[[I:.*]]: tensor<4x16xf32>)
// CHECK:         %[[A:.*]] = structured.blockdiag ins(%[[X]], %[[W]] : tensor<4x16xf32>, tensor<4x4x4xf32>) outs(%[[I]] : tensor<4x16xf32>) {tag = "first"} -> tensor<4x16xf32>
// CHECK-NEXT:    %[[B:.*]] = structured.permute ins(%[[A]] : tensor<4x16xf32>) outs(%[[I]] : tensor<4x16xf32>) {cols = 4 : i64, rows = 4 : i64, tag = "second"} -> tensor<4x16xf32>
// CHECK-NEXT:    return %[[B]] : tensor<4x16xf32>
func.func @attrs_and_chain(%x: tensor<4x16xf32>, %w: tensor<4x4x4xf32>, %init: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %a = structured.blockdiag ins(%x, %w : tensor<4x16xf32>, tensor<4x4x4xf32>) outs(%init : tensor<4x16xf32>) {tag = "first"} -> tensor<4x16xf32>
  %b = structured.permute ins(%a : tensor<4x16xf32>) outs(%init : tensor<4x16xf32>) {tag = "second", rows = 4, cols = 4} -> tensor<4x16xf32>
  return %b : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @btt_moe_tensor(
// CHECK: structured.btt_moe ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<?x2xi32>, tensor<?x2xf32>) outs(%{{.*}} : tensor<?x16xf32>) -> tensor<?x16xf32>
func.func @btt_moe_tensor(%x: tensor<?x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<?x2xi32>, %gate: tensor<?x2xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<?x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<?x2xi32>, tensor<?x2xf32>) outs(%init : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// CHECK-LABEL: func.func @btt_moe_memref_3d_bf16(
// CHECK: structured.btt_moe ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : memref<2x3x12xbf16>, memref<3x4x2x4xbf16>, memref<2x5x3x4xbf16>, memref<2x3x1xi64>, memref<2x3x1xf32>) outs(%{{.*}} : memref<2x3x10xbf16>)
// CHECK-NOT: ->
func.func @btt_moe_memref_3d_bf16(%x: memref<2x3x12xbf16>, %w1: memref<3x4x2x4xbf16>, %w2: memref<2x5x3x4xbf16>, %idx: memref<2x3x1xi64>, %gate: memref<2x3x1xf32>, %init: memref<2x3x10xbf16>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<2x3x12xbf16>, memref<3x4x2x4xbf16>, memref<2x5x3x4xbf16>, memref<2x3x1xi64>, memref<2x3x1xf32>) outs(%init : memref<2x3x10xbf16>)
  return
}

// -----

// CHECK-LABEL: func.func @einsum_kron(
// CHECK: structured.einsum_linear ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<3x2xf32>, tensor<5x4xf32>) outs(%{{.*}} : tensor<?x15xf32>) {spec = "bij,ki,lj->bkl"} -> tensor<?x15xf32>
func.func @einsum_kron(%x: tensor<?x8xf32>, %a: tensor<3x2xf32>, %b: tensor<5x4xf32>, %init: tensor<?x15xf32>) -> tensor<?x15xf32> {
  %y = structured.einsum_linear ins(%x, %a, %b : tensor<?x8xf32>, tensor<3x2xf32>, tensor<5x4xf32>) outs(%init : tensor<?x15xf32>) {spec = "bij,ki,lj->bkl"} -> tensor<?x15xf32>
  return %y : tensor<?x15xf32>
}

// -----

// CHECK-LABEL: func.func @einsum_tt_memref(
// CHECK: structured.einsum_linear ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : memref<2x3x24xbf16>, memref<2x2x5xbf16>, memref<5x3x3x4xbf16>, memref<4x4x2xbf16>) outs(%{{.*}} : memref<2x3x12xbf16>) {spec = "zijk,aip,pjeq,qkc->zaec"}
func.func @einsum_tt_memref(%x: memref<2x3x24xbf16>, %c1: memref<2x2x5xbf16>, %c2: memref<5x3x3x4xbf16>, %c3: memref<4x4x2xbf16>, %init: memref<2x3x12xbf16>) {
  structured.einsum_linear ins(%x, %c1, %c2, %c3 : memref<2x3x24xbf16>, memref<2x2x5xbf16>, memref<5x3x3x4xbf16>, memref<4x4x2xbf16>) outs(%init : memref<2x3x12xbf16>) {spec = "zijk,aip,pjeq,qkc->zaec"}
  return
}

// -----

// CHECK-LABEL: func.func @poly_ops(
// CHECK: structured.poly_eval ins(%{{.*}} : tensor<?x3xf32>) outs(%{{.*}} : tensor<?x8xcomplex<f32>>) -> tensor<?x8xcomplex<f32>>
// CHECK: structured.poly_interp ins(%{{.*}} : tensor<?x8xcomplex<f32>>) outs(%{{.*}} : tensor<?x5xbf16>) -> tensor<?x5xbf16>
func.func @poly_ops(%x: tensor<?x3xf32>, %v: tensor<?x8xcomplex<f32>>, %c: tensor<?x5xbf16>) -> (tensor<?x8xcomplex<f32>>, tensor<?x5xbf16>) {
  %y = structured.poly_eval ins(%x : tensor<?x3xf32>) outs(%v : tensor<?x8xcomplex<f32>>) -> tensor<?x8xcomplex<f32>>
  %z = structured.poly_interp ins(%y : tensor<?x8xcomplex<f32>>) outs(%c : tensor<?x5xbf16>) -> tensor<?x5xbf16>
  return %y, %z : tensor<?x8xcomplex<f32>>, tensor<?x5xbf16>
}

// -----

// CHECK-LABEL: func.func @causal_conv(
// CHECK: structured.causal_conv ins(%{{.*}}, %{{.*}} : tensor<?x4x16xf32>, tensor<4x16xf32>) outs(%{{.*}} : tensor<?x4x16xf32>) -> tensor<?x4x16xf32>
// CHECK: structured.causal_conv ins(%{{.*}}, %{{.*}} : memref<2x3x4x7xf16>, memref<4x7xf16>) outs(%{{.*}} : memref<2x3x4x7xf16>)
func.func @causal_conv(%u: tensor<?x4x16xf32>, %k: tensor<4x16xf32>, %init: tensor<?x4x16xf32>, %mu: memref<2x3x4x7xf16>, %mk: memref<4x7xf16>, %mi: memref<2x3x4x7xf16>) -> tensor<?x4x16xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<?x4x16xf32>, tensor<4x16xf32>) outs(%init : tensor<?x4x16xf32>) -> tensor<?x4x16xf32>
  structured.causal_conv ins(%mu, %mk : memref<2x3x4x7xf16>, memref<4x7xf16>) outs(%mi : memref<2x3x4x7xf16>)
  return %y : tensor<?x4x16xf32>
}
