// RUN: struct-opt %s --structured-decompose -split-input-file | FileCheck %s
// RUN: struct-opt %s --structured-decompose -split-input-file | FileCheck %s --check-prefix=NOSTRUCT

// The reference lowering of every structured op into linalg on views whose
// feature dimension is reshaped into blocks. No structured op may remain.
// NOSTRUCT-NOT: {{^ *(%[^ ]+ = )?structured\.}}

//===----------------------------------------------------------------------===//
// structured.blockdiag
//===----------------------------------------------------------------------===//

// y[b, i, j] = Σ_t w[i, j, t] · x[b, i, t]; loops (b, i, j, t).
// CHECK-DAG:   #[[BD_X:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG:   #[[BD_W:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG:   #[[BD_Y:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @blockdiag_f32_tensor(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x6xf32>, %[[W:[^:]*]]: tensor<2x2x3xf32>, %[[I:[^:]*]]: tensor<8x4xf32>)
// CHECK-DAG:     %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [8, 2, 3] : tensor<8x6xf32> into tensor<8x2x3xf32>
// CHECK-DAG:     %[[IE:.*]] = tensor.expand_shape %[[I]] {{\[}}[0], [1, 2]] output_shape [8, 2, 2] : tensor<8x4xf32> into tensor<8x2x2xf32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[IE]] : tensor<8x2x2xf32>) -> tensor<8x2x2xf32>
// CHECK:         %[[G:.*]] = linalg.generic {indexing_maps = [#[[BD_X]], #[[BD_W]], #[[BD_Y]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[XE]], %[[W]] : tensor<8x2x3xf32>, tensor<2x2x3xf32>) outs(%[[FILL]] : tensor<8x2x2xf32>)
// CHECK-NEXT:    ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT:      %[[M:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[ACC]], %[[M]] : f32
// CHECK-NEXT:      linalg.yield %[[S]] : f32
// CHECK-NEXT:    } -> tensor<8x2x2xf32>
// CHECK-NEXT:    %[[R:.*]] = tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2]] : tensor<8x2x2xf32> into tensor<8x4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<8x4xf32>
func.func @blockdiag_f32_tensor(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

// bf16 accumulates in an f32 temporary sized by the dynamic batch of x, then
// truncates into the reshaped init.
// CHECK-DAG:   #[[BD_X:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG:   #[[BD_W:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG:   #[[BD_Y:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG:   #[[ID3:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @blockdiag_bf16_tensor_dynamic(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x6xbf16>, %[[W:[^:]*]]: tensor<2x2x3xbf16>, %[[I:[^:]*]]: tensor<?x4xbf16>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[XD:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x6xbf16>
// CHECK-DAG:     %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [%[[XD]], 2, 3] : tensor<?x6xbf16> into tensor<?x2x3xbf16>
// CHECK-DAG:     %[[ID:.*]] = tensor.dim %[[I]], %{{.*}} : tensor<?x4xbf16>
// CHECK-DAG:     %[[IE:.*]] = tensor.expand_shape %[[I]] {{\[}}[0], [1, 2]] output_shape [%[[ID]], 2, 2] : tensor<?x4xbf16> into tensor<?x2x2xbf16>
// CHECK:         %[[BD:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x6xbf16>
// CHECK:         %[[T:.*]] = tensor.empty(%[[BD]]) : tensor<?x2x2xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[T]] : tensor<?x2x2xf32>) -> tensor<?x2x2xf32>
// CHECK:         %[[G:.*]] = linalg.generic {indexing_maps = [#[[BD_X]], #[[BD_W]], #[[BD_Y]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[XE]], %[[W]] : tensor<?x2x3xbf16>, tensor<2x2x3xbf16>) outs(%[[FILL]] : tensor<?x2x2xf32>)
// CHECK-NEXT:    ^bb0(%[[A:.*]]: bf16, %[[B:.*]]: bf16, %[[ACC:.*]]: f32):
// CHECK-NEXT:      %[[AE:.*]] = arith.extf %[[A]] : bf16 to f32
// CHECK-NEXT:      %[[BE:.*]] = arith.extf %[[B]] : bf16 to f32
// CHECK-NEXT:      %[[M:.*]] = arith.mulf %[[AE]], %[[BE]] : f32
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[ACC]], %[[M]] : f32
// CHECK-NEXT:      linalg.yield %[[S]] : f32
// CHECK-NEXT:    } -> tensor<?x2x2xf32>
// CHECK-NEXT:    %[[TR:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:        ins(%[[G]] : tensor<?x2x2xf32>) outs(%[[IE]] : tensor<?x2x2xbf16>)
// CHECK-NEXT:    ^bb0(%[[V:.*]]: f32, %{{.*}}: bf16):
// CHECK-NEXT:      %[[VT:.*]] = arith.truncf %[[V]] : f32 to bf16
// CHECK-NEXT:      linalg.yield %[[VT]] : bf16
// CHECK-NEXT:    } -> tensor<?x2x2xbf16>
// CHECK-NEXT:    %[[R:.*]] = tensor.collapse_shape %[[TR]] {{\[}}[0], [1, 2]] : tensor<?x2x2xbf16> into tensor<?x4xbf16>
// CHECK-NEXT:    return %[[R]] : tensor<?x4xbf16>
func.func @blockdiag_bf16_tensor_dynamic(%x: tensor<?x6xbf16>, %w: tensor<2x2x3xbf16>, %init: tensor<?x4xbf16>) -> tensor<?x4xbf16> {
  %y = structured.blockdiag ins(%x, %w : tensor<?x6xbf16>, tensor<2x2x3xbf16>) outs(%init : tensor<?x4xbf16>) -> tensor<?x4xbf16>
  return %y : tensor<?x4xbf16>
}

// -----

// On memrefs: the ops write views of init; the f32 temporary is allocated and
// freed; 3-D batch gives two leading parallel loops.
// CHECK-DAG:   #[[BD_X:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG:   #[[BD_W:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d3, d4)>
// CHECK-DAG:   #[[BD_Y:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[ID4:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @blockdiag_f16_memref_3d(
// CHECK-SAME:    %[[X:[^:]*]]: memref<2x3x6xf16>, %[[W:[^:]*]]: memref<2x2x3xf16>, %[[I:[^:]*]]: memref<2x3x4xf16>)
// CHECK:         %[[XE:.*]] = memref.expand_shape %[[X]] {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 2, 3] : memref<2x3x6xf16> into memref<2x3x2x3xf16>
// CHECK:         %[[IE:.*]] = memref.expand_shape %[[I]] {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 2, 2] : memref<2x3x4xf16> into memref<2x3x2x2xf16>
// CHECK:         %[[T:.*]] = memref.alloc() : memref<2x3x2x2xf32>
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[T]] : memref<2x3x2x2xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[BD_X]], #[[BD_W]], #[[BD_Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[XE]], %[[W]] : memref<2x3x2x3xf16>, memref<2x2x3xf16>) outs(%[[T]] : memref<2x3x2x2xf32>)
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:         linalg.generic {indexing_maps = [#[[ID4]], #[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME:        ins(%[[T]] : memref<2x3x2x2xf32>) outs(%[[IE]] : memref<2x3x2x2xf16>)
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// CHECK:         memref.dealloc %[[T]] : memref<2x3x2x2xf32>
// CHECK-NEXT:    return
func.func @blockdiag_f16_memref_3d(%x: memref<2x3x6xf16>, %w: memref<2x2x3xf16>, %init: memref<2x3x4xf16>) {
  structured.blockdiag ins(%x, %w : memref<2x3x6xf16>, memref<2x2x3xf16>) outs(%init : memref<2x3x4xf16>)
  return
}

// -----

// f32 on memrefs accumulates straight into the view of init: no temporary.
// CHECK-LABEL: func.func @blockdiag_f32_memref(
// CHECK-SAME:    %[[X:[^:]*]]: memref<8x6xf32>, %[[W:[^:]*]]: memref<2x2x3xf32>, %[[I:[^:]*]]: memref<8x4xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         %[[XE:.*]] = memref.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [8, 2, 3] : memref<8x6xf32> into memref<8x2x3xf32>
// CHECK:         %[[IE:.*]] = memref.expand_shape %[[I]] {{\[}}[0], [1, 2]] output_shape [8, 2, 2] : memref<8x4xf32> into memref<8x2x2xf32>
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[IE]] : memref<8x2x2xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[XE]], %[[W]] : memref<8x2x3xf32>, memref<2x2x3xf32>) outs(%[[IE]] : memref<8x2x2xf32>)
// CHECK-NOT:     arith.extf
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     memref.dealloc
// CHECK:         return
func.func @blockdiag_f32_memref(%x: memref<8x6xf32>, %w: memref<2x2x3xf32>, %init: memref<8x4xf32>) {
  structured.blockdiag ins(%x, %w : memref<8x6xf32>, memref<2x2x3xf32>) outs(%init : memref<8x4xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// structured.permute
//===----------------------------------------------------------------------===//

// y[b, c·R + r] = x[b, r·C + c]: x as R×C, init as C×R, swap the two.
// CHECK-LABEL: func.func @permute_tensor_3d(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x3x6xf32>, %[[I:[^:]*]]: tensor<2x3x6xf32>)
// CHECK-NEXT:    %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 2, 3] : tensor<2x3x6xf32> into tensor<2x3x2x3xf32>
// CHECK-NEXT:    %[[IE:.*]] = tensor.expand_shape %[[I]] {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 3, 2] : tensor<2x3x6xf32> into tensor<2x3x3x2xf32>
// CHECK-NEXT:    %[[T:.*]] = linalg.transpose ins(%[[XE]] : tensor<2x3x2x3xf32>) outs(%[[IE]] : tensor<2x3x3x2xf32>) permutation = [0, 1, 3, 2]
// CHECK-NEXT:    %[[R:.*]] = tensor.collapse_shape %[[T]] {{\[}}[0], [1], [2, 3]] : tensor<2x3x3x2xf32> into tensor<2x3x6xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3x6xf32>
func.func @permute_tensor_3d(%x: tensor<2x3x6xf32>, %init: tensor<2x3x6xf32>) -> tensor<2x3x6xf32> {
  %y = structured.permute ins(%x : tensor<2x3x6xf32>) outs(%init : tensor<2x3x6xf32>) {rows = 2, cols = 3} -> tensor<2x3x6xf32>
  return %y : tensor<2x3x6xf32>
}

// -----

// A permute moves bf16 values without conversion.
// CHECK-LABEL: func.func @permute_bf16_tensor_dynamic(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x12xbf16>, %[[I:[^:]*]]: tensor<?x12xbf16>)
// CHECK-DAG:     %[[XD:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x12xbf16>
// CHECK-DAG:     %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [%[[XD]], 4, 3] : tensor<?x12xbf16> into tensor<?x4x3xbf16>
// CHECK-DAG:     %[[ID:.*]] = tensor.dim %[[I]], %{{.*}} : tensor<?x12xbf16>
// CHECK-DAG:     %[[IE:.*]] = tensor.expand_shape %[[I]] {{\[}}[0], [1, 2]] output_shape [%[[ID]], 3, 4] : tensor<?x12xbf16> into tensor<?x3x4xbf16>
// CHECK:         %[[T:.*]] = linalg.transpose ins(%[[XE]] : tensor<?x4x3xbf16>) outs(%[[IE]] : tensor<?x3x4xbf16>) permutation = [0, 2, 1]
// CHECK-NEXT:    %[[R:.*]] = tensor.collapse_shape %[[T]] {{\[}}[0], [1, 2]] : tensor<?x3x4xbf16> into tensor<?x12xbf16>
// CHECK-NEXT:    return %[[R]] : tensor<?x12xbf16>
// CHECK-NOT:     arith.truncf
func.func @permute_bf16_tensor_dynamic(%x: tensor<?x12xbf16>, %init: tensor<?x12xbf16>) -> tensor<?x12xbf16> {
  %y = structured.permute ins(%x : tensor<?x12xbf16>) outs(%init : tensor<?x12xbf16>) {rows = 4, cols = 3} -> tensor<?x12xbf16>
  return %y : tensor<?x12xbf16>
}

// -----

// CHECK-LABEL: func.func @permute_memref_dynamic(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x12xf32>, %[[I:[^:]*]]: memref<?x12xf32>)
// CHECK-DAG:     %[[XD:.*]] = memref.dim %[[X]], %{{.*}} : memref<?x12xf32>
// CHECK-DAG:     %[[XE:.*]] = memref.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [%[[XD]], 3, 4] : memref<?x12xf32> into memref<?x3x4xf32>
// CHECK-DAG:     %[[ID:.*]] = memref.dim %[[I]], %{{.*}} : memref<?x12xf32>
// CHECK-DAG:     %[[IE:.*]] = memref.expand_shape %[[I]] {{\[}}[0], [1, 2]] output_shape [%[[ID]], 4, 3] : memref<?x12xf32> into memref<?x4x3xf32>
// CHECK:         linalg.transpose ins(%[[XE]] : memref<?x3x4xf32>) outs(%[[IE]] : memref<?x4x3xf32>) permutation = [0, 2, 1]
// CHECK-NOT:     memref.alloc
// CHECK-NEXT:    return
func.func @permute_memref_dynamic(%x: memref<?x12xf32>, %init: memref<?x12xf32>) {
  structured.permute ins(%x : memref<?x12xf32>) outs(%init : memref<?x12xf32>) {rows = 3, cols = 4}
  return
}

// -----

//===----------------------------------------------------------------------===//
// structured.monarch
//===----------------------------------------------------------------------===//

// Rectangular Monarch, k = 4, q = 6, p = 4, l = 3, s = 10, r = 8:
//   z[b, i, j] = Σ_t w1[i, j, t] · x[b, i, t]        loops (b, i, j, t)
//   y[b, u, a] = Σ_c w2[a, u, c] · z[b, c, a]        loops (b, u, a, c)
// with z viewed as r×l and init as s×l.
// CHECK-DAG:   #[[S1_X:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG:   #[[S1_W:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG:   #[[S1_Z:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG:   #[[S2_Z:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG:   #[[S2_W:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d2, d1, d3)>
// CHECK-LABEL: func.func @monarch_f32_tensor_rectangular(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x16xf32>, %[[W1:[^:]*]]: tensor<4x6x4xf32>, %[[W2:[^:]*]]: tensor<3x10x8xf32>, %[[I:[^:]*]]: tensor<8x30xf32>)
// CHECK:         %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [8, 4, 4] : tensor<8x16xf32> into tensor<8x4x4xf32>
// CHECK:         %[[Z0:.*]] = tensor.empty() : tensor<8x4x6xf32>
// CHECK:         %[[ZF:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[Z0]] : tensor<8x4x6xf32>) -> tensor<8x4x6xf32>
// CHECK:         %[[Z:.*]] = linalg.generic {indexing_maps = [#[[S1_X]], #[[S1_W]], #[[S1_Z]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[XE]], %[[W1]] : tensor<8x4x4xf32>, tensor<4x6x4xf32>) outs(%[[ZF]] : tensor<8x4x6xf32>)
// CHECK:         } -> tensor<8x4x6xf32>
// CHECK-NEXT:    %[[ZC:.*]] = tensor.collapse_shape %[[Z]] {{\[}}[0], [1, 2]] : tensor<8x4x6xf32> into tensor<8x24xf32>
// CHECK-NEXT:    %[[ZE:.*]] = tensor.expand_shape %[[ZC]] {{\[}}[0], [1, 2]] output_shape [8, 8, 3] : tensor<8x24xf32> into tensor<8x8x3xf32>
// CHECK-NEXT:    %[[IE:.*]] = tensor.expand_shape %[[I]] {{\[}}[0], [1, 2]] output_shape [8, 10, 3] : tensor<8x30xf32> into tensor<8x10x3xf32>
// CHECK:         %[[YF:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[IE]] : tensor<8x10x3xf32>) -> tensor<8x10x3xf32>
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[S2_Z]], #[[S2_W]], #[[S1_Z]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[ZE]], %[[W2]] : tensor<8x8x3xf32>, tensor<3x10x8xf32>) outs(%[[YF]] : tensor<8x10x3xf32>)
// CHECK:         } -> tensor<8x10x3xf32>
// CHECK-NEXT:    %[[R:.*]] = tensor.collapse_shape %[[Y]] {{\[}}[0], [1, 2]] : tensor<8x10x3xf32> into tensor<8x30xf32>
// CHECK-NEXT:    return %[[R]] : tensor<8x30xf32>
func.func @monarch_f32_tensor_rectangular(%x: tensor<8x16xf32>, %w1: tensor<4x6x4xf32>, %w2: tensor<3x10x8xf32>, %init: tensor<8x30xf32>) -> tensor<8x30xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x6x4xf32>, tensor<3x10x8xf32>) outs(%init : tensor<8x30xf32>) -> tensor<8x30xf32>
  return %y : tensor<8x30xf32>
}

// -----

// Shrinking f16 Monarch with a 3-D batch: k = 8, q = 2, p = 8, l = 4, s = 3, r = 4.
// CHECK-DAG:   #[[S1_X:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG:   #[[S1_W:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d3, d4)>
// CHECK-DAG:   #[[S1_Z:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[S2_Z:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG:   #[[S2_W:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d3, d2, d4)>
// CHECK-DAG:   #[[ID4:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @monarch_f16_tensor_3d_shrinking(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x3x64xf16>, %[[W1:[^:]*]]: tensor<8x2x8xf16>, %[[W2:[^:]*]]: tensor<4x3x4xf16>, %[[I:[^:]*]]: tensor<2x3x12xf16>)
// CHECK:         %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 8, 8] : tensor<2x3x64xf16> into tensor<2x3x8x8xf16>
// CHECK:         tensor.empty() : tensor<2x3x8x2xf32>
// CHECK:         %[[Z:.*]] = linalg.generic {indexing_maps = [#[[S1_X]], #[[S1_W]], #[[S1_Z]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[XE]], %[[W1]] : tensor<2x3x8x8xf16>, tensor<8x2x8xf16>) outs(%{{.*}} : tensor<2x3x8x2xf32>)
// CHECK:           arith.extf {{.*}} : f16 to f32
// CHECK:         %[[ZC:.*]] = tensor.collapse_shape %[[Z]] {{\[}}[0], [1], [2, 3]] : tensor<2x3x8x2xf32> into tensor<2x3x16xf32>
// CHECK-NEXT:    %[[ZE:.*]] = tensor.expand_shape %[[ZC]] {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 4, 4] : tensor<2x3x16xf32> into tensor<2x3x4x4xf32>
// CHECK-NEXT:    %[[IE:.*]] = tensor.expand_shape %[[I]] {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 3, 4] : tensor<2x3x12xf16> into tensor<2x3x3x4xf16>
// CHECK:         %[[T:.*]] = tensor.empty() : tensor<2x3x3x4xf32>
// CHECK:         %[[TF:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[T]] : tensor<2x3x3x4xf32>) -> tensor<2x3x3x4xf32>
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[S2_Z]], #[[S2_W]], #[[S1_Z]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[ZE]], %[[W2]] : tensor<2x3x4x4xf32>, tensor<4x3x4xf16>) outs(%[[TF]] : tensor<2x3x3x4xf32>)
// CHECK-NEXT:    ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK-NEXT:      %[[BE:.*]] = arith.extf %[[B]] : f16 to f32
// CHECK-NEXT:      %[[M:.*]] = arith.mulf %[[A]], %[[BE]] : f32
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[ACC]], %[[M]] : f32
// CHECK-NEXT:      linalg.yield %[[S]] : f32
// CHECK:         %[[TR:.*]] = linalg.generic {indexing_maps = [#[[ID4]], #[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME:        ins(%[[Y]] : tensor<2x3x3x4xf32>) outs(%[[IE]] : tensor<2x3x3x4xf16>)
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// CHECK:         %[[R:.*]] = tensor.collapse_shape %[[TR]] {{\[}}[0], [1], [2, 3]] : tensor<2x3x3x4xf16> into tensor<2x3x12xf16>
// CHECK-NEXT:    return %[[R]] : tensor<2x3x12xf16>
func.func @monarch_f16_tensor_3d_shrinking(%x: tensor<2x3x64xf16>, %w1: tensor<8x2x8xf16>, %w2: tensor<4x3x4xf16>, %init: tensor<2x3x12xf16>) -> tensor<2x3x12xf16> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<2x3x64xf16>, tensor<8x2x8xf16>, tensor<4x3x4xf16>) outs(%init : tensor<2x3x12xf16>) -> tensor<2x3x12xf16>
  return %y : tensor<2x3x12xf16>
}

// -----

// bf16 Monarch on memrefs with a dynamic batch: two f32 temporaries (z and the
// accumulator), both sized by the batch of x and freed at the end.
// CHECK-LABEL: func.func @monarch_bf16_memref_dynamic(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x16xbf16>, %[[W1:[^:]*]]: memref<4x4x4xbf16>, %[[W2:[^:]*]]: memref<4x4x4xbf16>, %[[I:[^:]*]]: memref<?x16xbf16>)
// CHECK:         %[[XE:.*]] = memref.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 4, 4] : memref<?x16xbf16> into memref<?x4x4xbf16>
// CHECK:         %[[D1:.*]] = memref.dim %[[X]], %{{.*}} : memref<?x16xbf16>
// CHECK-NEXT:    %[[Z:.*]] = memref.alloc(%[[D1]]) : memref<?x4x4xf32>
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[Z]] : memref<?x4x4xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[XE]], %[[W1]] : memref<?x4x4xbf16>, memref<4x4x4xbf16>) outs(%[[Z]] : memref<?x4x4xf32>)
// CHECK:         %[[ZC:.*]] = memref.collapse_shape %[[Z]] {{\[}}[0], [1, 2]] : memref<?x4x4xf32> into memref<?x16xf32>
// CHECK:         %[[ZE:.*]] = memref.expand_shape %[[ZC]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 4, 4] : memref<?x16xf32> into memref<?x4x4xf32>
// CHECK:         %[[IE:.*]] = memref.expand_shape %[[I]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 4, 4] : memref<?x16xbf16> into memref<?x4x4xbf16>
// CHECK:         %[[D2:.*]] = memref.dim %[[X]], %{{.*}} : memref<?x16xbf16>
// CHECK-NEXT:    %[[ACC:.*]] = memref.alloc(%[[D2]]) : memref<?x4x4xf32>
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[ACC]] : memref<?x4x4xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[ZE]], %[[W2]] : memref<?x4x4xf32>, memref<4x4x4xbf16>) outs(%[[ACC]] : memref<?x4x4xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[ACC]] : memref<?x4x4xf32>) outs(%[[IE]] : memref<?x4x4xbf16>)
// CHECK:           arith.truncf %{{.*}} : f32 to bf16
// CHECK:         memref.dealloc %[[Z]] : memref<?x4x4xf32>
// CHECK-NEXT:    memref.dealloc %[[ACC]] : memref<?x4x4xf32>
// CHECK-NEXT:    return
func.func @monarch_bf16_memref_dynamic(%x: memref<?x16xbf16>, %w1: memref<4x4x4xbf16>, %w2: memref<4x4x4xbf16>, %init: memref<?x16xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x16xbf16>, memref<4x4x4xbf16>, memref<4x4x4xbf16>) outs(%init : memref<?x16xbf16>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// structured.btt
//===----------------------------------------------------------------------===//

// Rank-2 rectangular BTT, k = 4, R = 2, q = 6, p = 4, l = 3, s = 10, r = 8:
//   z[b, ρ, i, j] = Σ_t w1[i, ρ, j, t] · x[b, i, t]          loops (b, ρ, i, j, t)
//   y[b, u, a]    = Σ_{c,ρ} w2[a, u, c, ρ] · z[b, ρ, c, a]   loops (b, u, a, c, ρ)
// CHECK-DAG:   #[[S1_X:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d4)>
// CHECK-DAG:   #[[W:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d1, d3, d4)>
// CHECK-DAG:   #[[S1_Z:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[S2_Z:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3, d2)>
// CHECK-DAG:   #[[S2_Y:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @btt_f32_tensor(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x16xf32>, %[[W1:[^:]*]]: tensor<4x2x6x4xf32>, %[[W2:[^:]*]]: tensor<3x10x8x2xf32>, %[[I:[^:]*]]: tensor<8x30xf32>)
// CHECK:         %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [8, 4, 4] : tensor<8x16xf32> into tensor<8x4x4xf32>
// CHECK:         %[[Z0:.*]] = tensor.empty() : tensor<8x2x4x6xf32>
// CHECK:         %[[ZF:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[Z0]] : tensor<8x2x4x6xf32>) -> tensor<8x2x4x6xf32>
// CHECK:         %[[Z:.*]] = linalg.generic {indexing_maps = [#[[S1_X]], #[[W]], #[[S1_Z]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[XE]], %[[W1]] : tensor<8x4x4xf32>, tensor<4x2x6x4xf32>) outs(%[[ZF]] : tensor<8x2x4x6xf32>)
// CHECK:         %[[ZC:.*]] = tensor.collapse_shape %[[Z]] {{\[}}[0], [1], [2, 3]] : tensor<8x2x4x6xf32> into tensor<8x2x24xf32>
// CHECK-NEXT:    %[[ZE:.*]] = tensor.expand_shape %[[ZC]] {{\[}}[0], [1], [2, 3]] output_shape [8, 2, 8, 3] : tensor<8x2x24xf32> into tensor<8x2x8x3xf32>
// CHECK-NEXT:    %[[IE:.*]] = tensor.expand_shape %[[I]] {{\[}}[0], [1, 2]] output_shape [8, 10, 3] : tensor<8x30xf32> into tensor<8x10x3xf32>
// CHECK:         %[[YF:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[IE]] : tensor<8x10x3xf32>) -> tensor<8x10x3xf32>
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[S2_Z]], #[[W]], #[[S2_Y]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME:        ins(%[[ZE]], %[[W2]] : tensor<8x2x8x3xf32>, tensor<3x10x8x2xf32>) outs(%[[YF]] : tensor<8x10x3xf32>)
// CHECK:         } -> tensor<8x10x3xf32>
// CHECK-NEXT:    %[[R:.*]] = tensor.collapse_shape %[[Y]] {{\[}}[0], [1, 2]] : tensor<8x10x3xf32> into tensor<8x30xf32>
// CHECK-NEXT:    return %[[R]] : tensor<8x30xf32>
func.func @btt_f32_tensor(%x: tensor<8x16xf32>, %w1: tensor<4x2x6x4xf32>, %w2: tensor<3x10x8x2xf32>, %init: tensor<8x30xf32>) -> tensor<8x30xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x2x6x4xf32>, tensor<3x10x8x2xf32>) outs(%init : tensor<8x30xf32>) -> tensor<8x30xf32>
  return %y : tensor<8x30xf32>
}

// -----

// CHECK-DAG:   #[[S2_Z:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3, d2)>
// CHECK-DAG:   #[[W:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d1, d3, d4)>
// CHECK-DAG:   #[[S2_Y:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @btt_bf16_memref_dynamic(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x16xbf16>, %[[W1:[^:]*]]: memref<4x2x4x4xbf16>, %[[W2:[^:]*]]: memref<4x4x4x2xbf16>, %[[I:[^:]*]]: memref<?x16xbf16>)
// CHECK:         %[[Z:.*]] = memref.alloc(%{{.*}}) : memref<?x2x4x4xf32>
// CHECK:         linalg.generic
// CHECK-SAME:        outs(%[[Z]] : memref<?x2x4x4xf32>)
// CHECK:         %[[ZC:.*]] = memref.collapse_shape %[[Z]] {{\[}}[0], [1], [2, 3]] : memref<?x2x4x4xf32> into memref<?x2x16xf32>
// CHECK:         %[[ZE:.*]] = memref.expand_shape %[[ZC]] {{\[}}[0], [1], [2, 3]] output_shape [%{{.*}}, 2, 4, 4] : memref<?x2x16xf32> into memref<?x2x4x4xf32>
// CHECK:         %[[IE:.*]] = memref.expand_shape %[[I]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 4, 4] : memref<?x16xbf16> into memref<?x4x4xbf16>
// CHECK:         %[[ACC:.*]] = memref.alloc(%{{.*}}) : memref<?x4x4xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[S2_Z]], #[[W]], #[[S2_Y]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME:        ins(%[[ZE]], %[[W2]] : memref<?x2x4x4xf32>, memref<4x4x4x2xbf16>) outs(%[[ACC]] : memref<?x4x4xf32>)
// CHECK:           arith.extf %{{.*}} : bf16 to f32
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[ACC]] : memref<?x4x4xf32>) outs(%[[IE]] : memref<?x4x4xbf16>)
// CHECK:           arith.truncf %{{.*}} : f32 to bf16
// CHECK:         memref.dealloc %[[Z]] : memref<?x2x4x4xf32>
// CHECK-NEXT:    memref.dealloc %[[ACC]] : memref<?x4x4xf32>
// CHECK-NEXT:    return
func.func @btt_bf16_memref_dynamic(%x: memref<?x16xbf16>, %w1: memref<4x2x4x4xbf16>, %w2: memref<4x4x4x2xbf16>, %init: memref<?x16xbf16>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x16xbf16>, memref<4x2x4x4xbf16>, memref<4x4x4x2xbf16>) outs(%init : memref<?x16xbf16>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// Several ops in one function, including nested regions: all are decomposed.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @chain_in_loop(
// CHECK:         scf.for
// CHECK:           linalg.generic
// CHECK:           linalg.transpose
// CHECK:           linalg.generic
// CHECK:           linalg.generic
// CHECK:           scf.yield
func.func @chain_in_loop(%x: tensor<8x16xf32>, %w: tensor<4x4x4xf32>, %w1: tensor<4x4x4xf32>, %n: index) -> tensor<8x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %iv = %c0 to %n step %c1 iter_args(%acc = %x) -> (tensor<8x16xf32>) {
    %a = structured.blockdiag ins(%acc, %w : tensor<8x16xf32>, tensor<4x4x4xf32>) outs(%x : tensor<8x16xf32>) -> tensor<8x16xf32>
    %b = structured.permute ins(%a : tensor<8x16xf32>) outs(%x : tensor<8x16xf32>) {rows = 4, cols = 4} -> tensor<8x16xf32>
    %c = structured.monarch ins(%b, %w, %w1 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%x : tensor<8x16xf32>) -> tensor<8x16xf32>
    scf.yield %c : tensor<8x16xf32>
  }
  return %r : tensor<8x16xf32>
}

// -----

// A batch size static on one side only: x is cast to init's batch sizes so
// that the transpose's shapes agree.
// CHECK-LABEL: func.func @permute_mixed_batch(
// CHECK-SAME:    %[[X:.*]]: tensor<?x6xf32>, %[[I:.*]]: tensor<8x6xf32>
// CHECK:         %[[C:.*]] = tensor.cast %[[X]] : tensor<?x6xf32> to tensor<8x6xf32>
// CHECK:         %[[E:.*]] = tensor.expand_shape %[[C]] {{\[}}[0], [1, 2]] output_shape [8, 2, 3]
// CHECK:         linalg.transpose ins(%[[E]] : tensor<8x2x3xf32>) outs(%{{.*}} : tensor<8x3x2xf32>) permutation = [0, 2, 1]
func.func @permute_mixed_batch(%x: tensor<?x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  %y = structured.permute ins(%x : tensor<?x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

// CHECK-LABEL: func.func @permute_mixed_batch_memref(
// CHECK-SAME:    %[[X:.*]]: memref<8x6xf32>
// CHECK:         %[[C:.*]] = memref.cast %[[X]] : memref<8x6xf32> to memref<?x6xf32>
// CHECK:         %[[E:.*]] = memref.expand_shape %[[C]]
// CHECK:         linalg.transpose ins(%[[E]] : memref<?x2x3xf32>) outs(%{{.*}} : memref<?x3x2xf32>) permutation = [0, 2, 1]
func.func @permute_mixed_batch_memref(%x: memref<8x6xf32>, %init: memref<?x6xf32>) {
  structured.permute ins(%x : memref<8x6xf32>) outs(%init : memref<?x6xf32>) {rows = 2, cols = 3}
  return
}

// -----

// btt_moe: an index check, then two contractions over the K selected experts
// that gather w1/w2 with the expert index (no loop over the R experts).
// CHECK-LABEL: func.func @btt_moe(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x16xf32>, %[[W1:[^:]*]]: tensor<4x8x4x4xf32>, %[[W2:[^:]*]]: tensor<4x4x4x8xf32>, %[[IDX:[^:]*]]: tensor<?x2xi32>, %[[G:[^:]*]]: tensor<?x2xf32>
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             %[[V:.*]] = tensor.extract %[[IDX]]
// CHECK:             arith.cmpi sge, %[[V]]
// CHECK:             arith.cmpi slt, %[[V]]
// CHECK:             cf.assert %{{.*}}, "structured.btt_moe: expert index out of range [0, 8)"
// CHECK:         tensor.empty(%{{.*}}) : tensor<?x2x4x4xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%{{.*}}, %[[IDX]] : tensor<?x4x4xf32>, tensor<?x2xi32>)
// CHECK:           %[[R1:.*]] = arith.index_cast
// CHECK:           tensor.extract %[[W1]][%{{.*}}, %[[R1]], %{{.*}}, %{{.*}}] : tensor<4x8x4x4xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME:      ins(%{{.*}}, %[[IDX]], %[[G]] : tensor<?x2x4x4xf32>, tensor<?x2xi32>, tensor<?x2xf32>)
// CHECK:           %[[R2:.*]] = arith.index_cast
// CHECK:           tensor.extract %[[W2]][%{{.*}}, %{{.*}}, %{{.*}}, %[[R2]]] : tensor<4x4x4x8xf32>
func.func @btt_moe(%x: tensor<?x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<?x2xi32>, %gate: tensor<?x2xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<?x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<?x2xi32>, tensor<?x2xf32>) outs(%init : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// einsum_linear, Kronecker: two pairwise contractions in the order of least
// multiply-adds (x·B then A: 40 + 30 per row, against 24 + 60 for x·A
// first); the last one writes the output view in output letter order.
// CHECK-LABEL: func.func @einsum_kron(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x8xf32>, %[[A:[^:]*]]: tensor<3x2xf32>, %[[B:[^:]*]]: tensor<5x4xf32>
// CHECK:         %[[XE:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 2, 4]
// CHECK:         %[[T:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[XE]], %[[B]] : tensor<?x2x4xf32>, tensor<5x4xf32>)
// CHECK:         } -> tensor<?x2x5xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[A]], %[[T]] : tensor<3x2xf32>, tensor<?x2x5xf32>)
// CHECK:         } -> tensor<?x3x5xf32>
// CHECK:         tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<?x3x5xf32> into tensor<?x15xf32>
func.func @einsum_kron(%x: tensor<?x8xf32>, %a: tensor<3x2xf32>, %b: tensor<5x4xf32>, %init: tensor<?x15xf32>) -> tensor<?x15xf32> {
  %y = structured.einsum_linear ins(%x, %a, %b : tensor<?x8xf32>, tensor<3x2xf32>, tensor<5x4xf32>) outs(%init : tensor<?x15xf32>) {spec = "bij,ki,lj->bkl"} -> tensor<?x15xf32>
  return %y : tensor<?x15xf32>
}

// -----

// Order by multiply-adds: the two small factors (6x5 · 5x3 = 90) are
// multiplied first, then applied to x (64·18), against 64·30 + 64·15.
// CHECK-LABEL: func.func @einsum_factor_pair_first(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<64x6xf32>, %[[F:[^:]*]]: tensor<6x5xf32>, %[[G:[^:]*]]: tensor<5x3xf32>
// CHECK:         %[[FG:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[F]], %[[G]] : tensor<6x5xf32>, tensor<5x3xf32>)
// CHECK:         } -> tensor<6x3xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[X]], %[[FG]] : tensor<64x6xf32>, tensor<6x3xf32>)
func.func @einsum_factor_pair_first(%x: tensor<64x6xf32>, %f: tensor<6x5xf32>, %g: tensor<5x3xf32>, %init: tensor<64x3xf32>) -> tensor<64x3xf32> {
  %y = structured.einsum_linear ins(%x, %f, %g : tensor<64x6xf32>, tensor<6x5xf32>, tensor<5x3xf32>) outs(%init : tensor<64x3xf32>) {spec = "bi,ij,jk->bk"} -> tensor<64x3xf32>
  return %y : tensor<64x3xf32>
}
