// convert-structured-to-gpu on btt_moe (MoEKernels.cpp): the (row, choice)
// pairs sorted by expert on the GPU, the experts' Monarchs as two stage
// launches for all experts on their rows (read from x through their row
// indices), the gated sum of each row's results.
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu | FileCheck %s
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=runtime-checks=false | FileCheck %s --check-prefix=NOCHECKS
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=round-intermediate=true | FileCheck %s --check-prefix=ROUND

// CHECK-LABEL: func.func @moe_bf16(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x256xbf16>, %[[W1:[^:]*]]: memref<8x4x32x32xbf16>, %[[W2:[^:]*]]: memref<16x16x16x4xbf16>, %[[IDX:[^:]*]]: memref<?x2xi32>, %[[GATE:[^:]*]]: memref<?x2xf32>, %[[Y:[^:]*]]: memref<?x256xbf16>
// Nothing runs on the host between the launches: no branch on an empty
// batch, no copy of the counts, no host assertion.
// CHECK-NOT:     memref.alloca
// CHECK-NOT:     cf.assert
// CHECK:         %[[B:.*]] = memref.dim %[[X]], %{{.*}} : memref<?x256xbf16>
// CHECK-NOT:     scf.if
// CHECK:         %[[PAIRS:.*]] = arith.muli %[[B]], %{{.*}} : index
// Counts of the 4 experts and their starts.
// CHECK:         %[[META:.*]] = memref.alloc() : memref<8xi32>
// CHECK:         linalg.fill ins(%{{.*}} : i32) outs(%[[META]] : memref<8xi32>)
// CHECK:         %[[SLOTS:.*]] = memref.alloc(%[[PAIRS]]) : memref<?xi32>
// Counting: a thread per pair, clamped expert, a device-side assertion
// when out of range. A bound that may be 1 gets an idle iteration
// (canonicalization would inline a one-iteration loop into host code).
// CHECK:         %[[PAIRS1:.*]] = arith.addi %[[PAIRS]], %c1{{.*}} : index
// CHECK:         scf.parallel (%[[P:.*]]) = (%{{.*}}) to (%[[PAIRS1]])
// CHECK:           %[[ACTIVE:.*]] = arith.cmpi ult, %[[P]], %[[PAIRS]] : index
// CHECK:           scf.if %[[ACTIVE]] {
// CHECK:             %[[RAW:.*]] = memref.load %[[IDX]][%{{.*}}, %{{.*}}] : memref<?x2xi32>
// CHECK:             %[[LOW:.*]] = arith.cmpi slt, %[[RAW]], %{{.*}} : i32
// CHECK:             %[[HIGH:.*]] = arith.cmpi sge, %[[RAW]], %{{.*}} : i32
// CHECK:             %[[BAD:.*]] = arith.ori %[[LOW]], %[[HIGH]] : i1
// CHECK:             arith.maxsi
// CHECK:             arith.minsi
// CHECK:             %[[GOOD:.*]] = arith.xori %[[BAD]], %true
// CHECK:             cf.assert %[[GOOD]], "structured.btt_moe: expert index out of range [0, 4)"
// CHECK:             %[[RANK:.*]] = memref.atomic_rmw addi %{{.*}}, %[[META]][%{{.*}}] : (i32, memref<8xi32>) -> i32
// CHECK:             memref.store %[[RANK]], %[[SLOTS]][%[[P]]] : memref<?xi32>
// Starts: a thread per expert.
// CHECK:         scf.parallel (%{{.*}}) = (%{{.*}}) to (%c4{{.*}})
// CHECK:           scf.for
// CHECK:             memref.load %[[META]]
// Each pair's place in expert order, and the row of x at each place.
// CHECK:         %[[SOURCES:.*]] = memref.alloc(%[[PAIRS]]) : memref<?xi32>
// CHECK:         scf.parallel (%[[Q:.*]]) = (%{{.*}}) to (%{{.*}})
// CHECK:             %[[START:.*]] = memref.load %[[META]]
// CHECK:             %[[OWN:.*]] = memref.load %[[SLOTS]][%[[Q]]]
// CHECK:             %[[PLACE:.*]] = arith.addi %[[START]], %[[OWN]] : i32
// CHECK:             memref.store %[[PLACE]], %[[SLOTS]][%[[Q]]]
// CHECK:             %[[SRC:.*]] = arith.divui %[[Q]], %c2{{.*}} : index
// CHECK:             %[[SRC32:.*]] = arith.index_cast %[[SRC]] : index to i32
// CHECK:             %[[AT:.*]] = arith.index_cast %[[PLACE]] : i32 to index
// CHECK:             memref.store %[[SRC32]], %[[SOURCES]][%[[AT]]] : memref<?xi32>
// The weights expert-major.
// CHECK:         %[[W1T:.*]] = memref.alloc() : memref<4x8x32x32xbf16>
// CHECK:         linalg.transpose ins(%[[W1]] : memref<8x4x32x32xbf16>) outs(%[[W1T]] : memref<4x8x32x32xbf16>) permutation = [1, 0, 2, 3]
// CHECK:         %[[W2T:.*]] = memref.alloc() : memref<4x16x16x16xbf16>
// CHECK:         linalg.transpose ins(%[[W2]] : memref<16x16x16x4xbf16>) outs(%[[W2T]] : memref<4x16x16x16xbf16>) permutation = [3, 0, 1, 2]
// CHECK:         %[[MID:.*]] = memref.alloc(%[[PAIRS]]) : memref<?x256xf32>
// CHECK:         %[[RES:.*]] = memref.alloc(%[[PAIRS]]) : memref<?x256xf32>
// Each stage is one launch for all experts: blockIdx.z is the expert, whose
// CTAs read its count and start and run on its rows (CTAs past its row
// tiles, all of them when it has no pairs, do nothing). The grid's y:
// whole waves of 4 experts' CTAs, at most the row tiles of all pairs.
// CHECK:         %[[TILECOUNT:.*]] = arith.ceildivui %[[PAIRS]], %c32
// CHECK:         %[[WAVES:.*]] = arith.minui %[[TILECOUNT]], %c66
// CHECK:         %[[GRIDY:.*]] = arith.maxui %[[WAVES]], %c1
// CHECK:         gpu.launch blocks(%{{.*}}, %{{.*}}, %[[E:.*]]) in (%{{.*}} = %c1{{.*}}, %{{.*}} = %[[GRIDY]], %{{.*}} = %c4{{.*}})
// CHECK:           %[[COUNT32:.*]] = memref.load %[[META]][%[[E]]] : memref<8xi32>
// CHECK:           %[[COUNT:.*]] = arith.index_cast %[[COUNT32]] : i32 to index
// CHECK:           %[[STARTAT:.*]] = arith.addi %[[E]], %c4{{.*}} : index
// CHECK:           %[[START32:.*]] = memref.load %[[META]][%[[STARTAT]]] : memref<8xi32>
// CHECK:           %[[START:.*]] = arith.index_cast %[[START32]] : i32 to index
// CHECK:           %[[FIRSTROW:.*]] = arith.muli %{{.*}}, %c32{{.*}} : index
// CHECK:           %[[HASTILE:.*]] = arith.cmpi ult, %[[FIRSTROW]], %[[COUNT]] : index
// CHECK:           scf.if %[[HASTILE]] {
// CHECK-DAG:         memref.subview %[[MID]][%[[START]], 0] [%[[COUNT]], 256] [1, 1] : memref<?x256xf32> to memref<?x256xf32, strided<[256, 1], offset: ?>>
// CHECK-DAG:         %[[ROWS:.*]] = memref.subview %[[SOURCES]][%[[START]]] [%[[COUNT]]] [1] : memref<?xi32> to memref<?xi32, strided<[1], offset: ?>>
// CHECK-DAG:         memref.subview %[[W1T]][%[[E]], 0, 0, 0] [1, 8, 32, 32] [1, 1, 1, 1] : memref<4x8x32x32xbf16> to memref<8x32x32xbf16, strided<[1024, 32, 1], offset: ?>>
// CHECK:             cf.assert %{{.*}}, "structured GPU kernels need buffers aligned to 16 bytes"
// The first stage reads row sources[r] of x for row r of its slice; rows
// past the slice are clamped to its last before the lookup.
// CHECK:             %[[LASTROW:.*]] = arith.subi %[[COUNT]], %c1{{.*}} : index
// CHECK:             %[[LAST:.*]] = arith.minui %{{.*}}, %[[LASTROW]] : index
// CHECK-NEXT:        %[[SOURCE:.*]] = memref.load %[[ROWS]][%[[LAST]]] : memref<?xi32, strided<[1], offset: ?>>
// CHECK:             %[[SOURCEROW:.*]] = arith.index_cast %[[SOURCE]] : i32 to index
// CHECK:             vector.load %[[X]][%[[SOURCEROW]], %{{.*}}] {{.*}} : memref<?x256xbf16>, vector<8xbf16>
// CHECK:             nvvm.mma.sync
// CHECK:         } {structured.kernel_name = "moe_bf16_btt_moe_stage1"
// CHECK-NOT:     scf.if
// CHECK:         gpu.launch blocks(%{{.*}}, %{{.*}}, %[[E2:.*]]) in ({{.*}}, %{{.*}} = %c4{{.*}})
// CHECK:           scf.if
// CHECK-DAG:         memref.subview %[[MID]][%{{.*}}, 0] [%{{.*}}, 256] [1, 1]
// CHECK-DAG:         memref.subview %[[RES]][%{{.*}}, 0] [%{{.*}}, 256] [1, 1]
// CHECK-DAG:         memref.subview %[[W2T]][%[[E2]], 0, 0, 0] [1, 16, 16, 16] [1, 1, 1, 1] : memref<4x16x16x16xbf16> to memref<16x16x16xbf16, strided<[256, 16, 1], offset: ?>>
// CHECK:             nvvm.mma.sync
// CHECK:         } {structured.kernel_name = "moe_bf16_btt_moe_stage2"
// The gated sum, in the order of each row's choices, rounded once; its
// threads check y's alignment.
// CHECK:         scf.parallel (%[[R:.*]], %{{.*}}) = (%{{.*}}, %{{.*}}) to (%[[B]], %c64{{.*}})
// CHECK:             memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK:             cf.assert %{{.*}}, "structured GPU kernels need buffers aligned to 16 bytes"
// CHECK:             memref.load %[[GATE]][%[[R]], %c0{{.*}}] : memref<?x2xf32>
// CHECK:             memref.load %[[SLOTS]]
// CHECK:             vector.load %[[RES]][%{{.*}}, %{{.*}}] : memref<?x256xf32>, vector<4xf32>
// CHECK:             vector.fma
// CHECK:             memref.load %[[GATE]][%[[R]], %c1{{.*}}] : memref<?x2xf32>
// CHECK:             vector.fma
// CHECK:             %[[ROUNDED:.*]] = arith.truncf %{{.*}} : vector<4xf32> to vector<4xbf16>
// CHECK:             vector.store %[[ROUNDED]], %[[Y]][%[[R]], %{{.*}}] : memref<?x256xbf16>, vector<4xbf16>
// CHECK-DAG:     memref.dealloc %[[META]]
// CHECK-DAG:     memref.dealloc %[[SOURCES]]
// CHECK-DAG:     memref.dealloc %[[SLOTS]]
// CHECK-DAG:     memref.dealloc %[[W1T]]
// CHECK-DAG:     memref.dealloc %[[W2T]]
// CHECK-DAG:     memref.dealloc %[[MID]]
// CHECK-DAG:     memref.dealloc %[[RES]]
// CHECK-NOT:     structured.btt_moe

// NOCHECKS-LABEL: func.func @moe_bf16(
// NOCHECKS:         scf.parallel
// NOCHECKS-NOT:     arith.ori
// NOCHECKS-NOT:     cf.assert
// NOCHECKS:         memref.atomic_rmw
// NOCHECKS-NOT:     cf.assert {{.*}}expert index
// NOCHECKS:         gpu.launch

// A rounded intermediate has the element type.
// ROUND-LABEL: func.func @moe_bf16(
// ROUND:         linalg.transpose
// ROUND:         memref.alloc(%{{.*}}) : memref<?x256xbf16>
// ROUND-NEXT:    memref.alloc(%{{.*}}) : memref<?x256xf32>
// ROUND:         kernel_name = "moe_bf16_btt_moe_stage1"
func.func @moe_bf16(%x: memref<?x256xbf16>, %w1: memref<8x4x32x32xbf16>, %w2: memref<16x16x16x4xbf16>, %idx: memref<?x2xi32>, %gate: memref<?x2xf32>, %y: memref<?x256xbf16>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x256xbf16>, memref<8x4x32x32xbf16>, memref<16x16x16x4xbf16>, memref<?x2xi32>, memref<?x2xf32>) outs(%y : memref<?x256xbf16>)
  return
}

// -----

// Strided operands are copied to contiguous buffers first; f16 gates are
// extended to f32.
// CHECK-LABEL: func.func @moe_strided(
// CHECK:         memref.copy %arg0, %[[XC:.*]] : memref<4x256xf32, strided<[512, 1]>> to memref<4x256xf32>
// CHECK:         arith.extf %{{.*}} : f16 to f32
// CHECK:         memref.copy %{{.*}}, %arg5 : memref<4x256xf32> to memref<4x256xf32, strided<[512, 1]>>
// CHECK-NOT:     structured.btt_moe
func.func @moe_strided(%x: memref<4x256xf32, strided<[512, 1]>>, %w1: memref<16x8x16x16xf32>, %w2: memref<16x16x16x8xf32>, %idx: memref<4x3xi64>, %gate: memref<4x3xf16>, %y: memref<4x256xf32, strided<[512, 1]>>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<4x256xf32, strided<[512, 1]>>, memref<16x8x16x16xf32>, memref<16x16x16x8xf32>, memref<4x3xi64>, memref<4x3xf16>) outs(%y : memref<4x256xf32, strided<[512, 1]>>)
  return
}

// -----

// Rows of 6 f32 would leave the experts' slices unaligned: no kernels (the
// decomposition handles it).
// CHECK-LABEL: func.func @moe_unaligned(
// CHECK:         structured.btt_moe ins(
// CHECK-NOT:     gpu.launch
func.func @moe_unaligned(%x: memref<?x6xf32>, %w1: memref<2x2x3x3xf32>, %w2: memref<3x2x2x2xf32>, %idx: memref<?x1xi32>, %gate: memref<?x1xf32>, %y: memref<?x6xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x6xf32>, memref<2x2x3x3xf32>, memref<3x2x2x2xf32>, memref<?x1xi32>, memref<?x1xf32>) outs(%y : memref<?x6xf32>)
  return
}

// -----

// On tensors the op is left to bufferization.
// CHECK-LABEL: func.func @moe_tensor(
// CHECK:         structured.btt_moe ins(
func.func @moe_tensor(%x: tensor<4x256xf32>, %w1: tensor<16x8x16x16xf32>, %w2: tensor<16x16x16x8xf32>, %idx: tensor<4x3xi64>, %gate: tensor<4x3xf32>, %y: tensor<4x256xf32>) -> tensor<4x256xf32> {
  %r = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<4x256xf32>, tensor<16x8x16x16xf32>, tensor<16x16x16x8xf32>, tensor<4x3xi64>, tensor<4x3xf32>) outs(%y : tensor<4x256xf32>) -> tensor<4x256xf32>
  return %r : tensor<4x256xf32>
}
