// convert-structured-to-gpu: each stage of blockdiag, monarch and btt on
// buffers becomes one gpu.launch (see GpuKernelPlan.h for the tile shapes).
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu | FileCheck %s
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=round-intermediate=true | FileCheck %s --check-prefix=ROUND
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=direct-inputs=false | FileCheck %s --check-prefix=TILES
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=transpose-intermediate=true | FileCheck %s --check-prefix=TRANSPOSE
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=direct-outputs=true | FileCheck %s --check-prefix=DIRECTOUT
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu="ctas-per-sm=2 fft-ctas-per-sm=3" | FileCheck %s --check-prefix=OUTLINE
// RUN: not struct-opt %s --split-input-file --convert-structured-to-gpu=sm-count=0 2>&1 | FileCheck %s --check-prefix=SMS
// RUN: not struct-opt %s --split-input-file --convert-structured-to-gpu=ctas-per-sm=-1 2>&1 | FileCheck %s --check-prefix=CTAS
// RUN: not struct-opt %s --split-input-file --convert-structured-to-gpu=fft-ctas-per-sm=-2 2>&1 | FileCheck %s --check-prefix=FFTCTAS
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu | FileCheck %s --check-prefix=WARPS
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=strided-warps=8 | FileCheck %s --check-prefix=NARROW
// RUN: not struct-opt %s --split-input-file --convert-structured-to-gpu=strided-warps=12 2>&1 | FileCheck %s --check-prefix=BADWARPS
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu | FileCheck %s --check-prefix=STAGED
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=async-strided-inputs=none | FileCheck %s --check-prefix=UNSTAGED
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu="async-strided-inputs=all round-intermediate=true" | FileCheck %s --check-prefix=ALLSTAGED
// RUN: not struct-opt %s --split-input-file --convert-structured-to-gpu=async-strided-inputs=some 2>&1 | FileCheck %s --check-prefix=BADASYNC
// RUN: not struct-opt %s --split-input-file --convert-structured-to-gpu=transpose-intermediate=yes 2>&1 | FileCheck %s --check-prefix=BADTRANSPOSE

// f32 Monarch: two FMA kernels around an f32 intermediate. Each kernel
// stages a row tile of its 8 blocks in shared memory (16-byte loads, issued
// one tile ahead), multiplies it with weights held in registers, and writes
// back through a staging tile. Nothing runs on the host between the
// launches (no branch, no assertion), so a function of several ops keeps
// one stream chain under gpu-async-region: a zero batch launches one CTA
// per group that does nothing, and the kernels check their buffers.
// CHECK-LABEL: func.func @monarch_f32(
// CHECK-NOT:     scf.if
// CHECK-NOT:     cf.assert
// CHECK:         %[[ROWS:.*]] = memref.dim %arg0, %c0{{(_[0-9]+)?}} : memref<?x64xf32>
// CHECK-NOT:     scf.if
// CHECK-NOT:     cf.assert
// CHECK:         %[[Z:.*]] = memref.alloc(%[[ROWS]]) : memref<?x64xf32>
// CHECK:         %[[TILECOUNT:.*]] = arith.ceildivui %[[ROWS]], %c32
// CHECK:         %[[WAVES:.*]] = arith.minui %[[TILECOUNT]], %c264
// CHECK:         %[[GRIDY:.*]] = arith.maxui %[[WAVES]], %c1
// CHECK:         gpu.launch blocks({{.*}}) in (%{{.*}} = %{{.*}}, %{{.*}} = %[[GRIDY]], {{.*}}) threads({{.*}}) in (%{{.*}} = %c256{{.*}}) dynamic_shared_memory_size
// CHECK:           %[[NONEMPTY:.*]] = arith.cmpi ugt, %[[ROWS]], %c0
// CHECK:           scf.if %[[NONEMPTY]] {
// Buffers (offsets included) must start at 16-byte boundaries, for the
// kernels' vector accesses.
// CHECK:             %{{.*}}, %[[OFFSET:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %arg0
// CHECK:             %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK:             %[[BYTES:.*]] = arith.muli %[[OFFSET]], %c4
// CHECK:             %[[ADDRESS:.*]] = arith.addi %[[PTR]], %[[BYTES]]
// CHECK:             %[[MIS:.*]] = arith.remui %[[ADDRESS]], %c16
// CHECK:             %[[OK:.*]] = arith.cmpi eq, %[[MIS]]
// CHECK:             memref.extract_aligned_pointer_as_index %arg1
// CHECK:             %[[OK2:.*]] = arith.andi %[[OK]]
// CHECK:             memref.extract_aligned_pointer_as_index %[[Z]]
// CHECK:             %[[ALL:.*]] = arith.andi %[[OK2]]
// CHECK:             cf.assert %[[ALL]], "structured GPU kernels need buffers aligned to 16 bytes"
// CHECK:             gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:             memref.view {{.*}} to memref<8x388xf32, #gpu.address_space<workgroup>>
// CHECK:             vector.load %arg0{{.*}} {alignment = 16 : i64} : memref<?x64xf32>, vector<4xf32>
// CHECK:             scf.for {{.*}} iter_args
// CHECK:               gpu.barrier
// CHECK:               llvm.intr.fma
// CHECK:               gpu.barrier
// CHECK:               vector.store {{.*}}, %[[Z]]
// CHECK:           } {structured.kernel_name = "monarch_f32_monarch_stage1"}
// CHECK:           gpu.launch
// The second factor reads and writes with the stride permutation: 16-byte
// accesses of 4 neighbouring blocks, element by element in shared memory.
// CHECK:             vector.load %[[Z]]
// CHECK:             memref.load
// CHECK:             vector.from_elements
// CHECK:             vector.store {{.*}}, %arg3
// CHECK:           } {structured.kernel_name = "monarch_f32_monarch_stage2"}
// CHECK:           memref.dealloc %[[Z]]
// CHECK-NOT:     structured.monarch
// OUTLINE-LABEL: func.func @monarch_f32(
// OUTLINE:         gpu.launch_func @monarch_f32_monarch_stage1::@monarch_f32_monarch_stage1 blocks in
// OUTLINE-SAME:      dynamic_shared_memory_size
// OUTLINE:         gpu.launch_func @monarch_f32_monarch_stage2::@monarch_f32_monarch_stage2
// FMA kernels get no occupancy bound.
// OUTLINE:       gpu.module @monarch_f32_monarch_stage1
// OUTLINE-NOT:     nvvm.minctasm
// OUTLINE:       gpu.module @monarch_f32_monarch_stage2
// SMS: error: sm-count must be positive, got 0
// CTAS: error: ctas-per-sm must not be negative, got -1
// FFTCTAS: error: fft-ctas-per-sm must not be negative, got -2
// BADWARPS: error: strided-warps must be 8 or 16, got 12
func.func @monarch_f32(%x: memref<?x64xf32>, %w1: memref<8x8x8xf32>, %w2: memref<8x8x8xf32>, %y: memref<?x64xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x64xf32>, memref<8x8x8xf32>, memref<8x8x8xf32>) outs(%y : memref<?x64xf32>)
  return
}

// -----

// bf16 Monarch on tensor cores: bf16 pairs packed in i32 operands of
// mma.sync m16n8k16, f32 accumulators. The first stage's contiguous 32-term
// blocks are read straight into A fragments (direct inputs): lane l loads
// terms 8·(l mod 4) to +7 of rows l / 4 and l / 4 + 8 of each 16-row slice,
// one 16-byte vector each, a tile ahead, and its B fragments take the
// weights at the same permuted terms (π(k) = 8·(l mod 4) + 4·kt, + 2). The
// f32 intermediate is split into three bf16 parts for the second stage
// (three products per fragment) as it is stored to shared memory, which
// holds one bf16 tile per part (3 × 8 blocks).
// CHECK-LABEL: func.func @monarch_bf16(
// CHECK:         memref.alloc(%{{.*}}) : memref<?x1024xf32>
// CHECK:         gpu.launch
// CHECK:           %[[LANE:.*]] = arith.remui %{{.*}}, %c32{{.*}} : index
// CHECK:           %[[T:.*]] = arith.remui %[[LANE]], %c4{{.*}} : index
// CHECK:           %[[FIRST:.*]] = arith.muli %[[T]], %c8{{.*}} : index
// CHECK:           %[[K:.*]] = arith.addi %[[FIRST]], %c0{{.*}} : index
// CHECK:           vector.load %arg1[%{{.*}}, %{{.*}}, %[[K]]] {alignment = 4 : i64} : memref<32x32x32xbf16>, vector<2xbf16>
// CHECK:           %[[K2:.*]] = arith.addi %[[K]], %c2{{.*}} : index
// CHECK:           vector.load %arg1[%{{.*}}, %{{.*}}, %[[K2]]] {alignment = 4 : i64} : memref<32x32x32xbf16>, vector<2xbf16>
// CHECK-NOT:       memref.view
// CHECK:           %[[X:.*]] = vector.load %arg0[%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<?x1024xbf16>, vector<8xbf16>
// CHECK:           scf.for {{.*}} iter_args(%[[CUR:.*]] = %[[X]], {{.*}}) -> (vector<8xbf16>, vector<8xbf16>, vector<8xbf16>, vector<8xbf16>)
// CHECK:             gpu.barrier
// CHECK:             vector.load %arg0{{.*}} : memref<?x1024xbf16>, vector<8xbf16>
// CHECK:             %[[PAIR:.*]] = vector.shuffle %[[CUR]], %[[CUR]] [0, 1] : vector<8xbf16>, vector<8xbf16>
// CHECK:             llvm.bitcast %[[PAIR]] : vector<2xbf16> to i32
// CHECK:             nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK:         } {structured.kernel_name = "monarch_bf16_monarch_stage1", structured.occupancy_ctas = {{[1-9]}} : i64}
// With direct-inputs=false the first stage stages its input tile in shared
// memory and reads A fragments by ldmatrix.x4: lane l reads row l mod 16 at
// column 8·(l / 16).
// TILES-LABEL: func.func @monarch_bf16(
// TILES:         gpu.launch
// TILES:           %[[LANE:.*]] = arith.remui %{{.*}}, %c32{{.*}} : index
// TILES:           %[[HALF:.*]] = arith.divui %[[LANE]], %c16{{.*}} : index
// TILES:           arith.muli %[[HALF]], %c8{{.*}} : index
// TILES:           arith.remui %[[LANE]], %c16{{.*}} : index
// TILES:           %[[A:.*]] = nvgpu.ldmatrix %{{.*}}[%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<8x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// TILES:           %[[A0:.*]] = vector.extract %[[A]][0] : vector<2xbf16> from vector<4x2xbf16>
// TILES:           llvm.bitcast %[[A0]] : vector<2xbf16> to i32
// TILES:           nvvm.mma.sync
// TILES:         } {structured.kernel_name = "monarch_bf16_monarch_stage1", structured.occupancy_ctas = {{[1-9]}} : i64}
// With transpose-intermediate the intermediate holds the second stage's
// blocks: the first stage writes it with the stride (element by element
// from the staging tile), the second reads contiguous 32-term blocks, f32
// split into parts in shared memory as before.
// With direct-outputs the first stage (contiguous outputs) stores each
// lane's 8 consecutive results of a row (the mma columns permuted) as two
// 16-byte vectors of the f32 intermediate: no shared memory, no barrier.
// DIRECTOUT-LABEL: func.func @monarch_bf16(
// DIRECTOUT:         %[[Z:.*]] = memref.alloc(%{{.*}}) : memref<?x1024xf32>
// DIRECTOUT:         gpu.launch {{.*}} dynamic_shared_memory_size %c0_i32
// DIRECTOUT-NOT:       gpu.barrier
// DIRECTOUT:           nvvm.mma.sync
// DIRECTOUT:           scf.if
// DIRECTOUT:             %[[V:.*]] = vector.from_elements %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : vector<4xf32>
// DIRECTOUT:             vector.store %[[V]], %[[Z]][%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<?x1024xf32>, vector<4xf32>
// DIRECTOUT-NOT:       gpu.barrier
// DIRECTOUT:         } {structured.kernel_name = "monarch_bf16_monarch_stage1"
// TRANSPOSE-LABEL: func.func @monarch_bf16(
// TRANSPOSE:         %[[Z:.*]] = memref.alloc(%{{.*}}) : memref<?x1024xf32>
// TRANSPOSE:         gpu.launch
// TRANSPOSE:           memref.load
// TRANSPOSE:           vector.from_elements
// TRANSPOSE:           vector.store %{{.*}}, %[[Z]]
// TRANSPOSE:         } {structured.kernel_name = "monarch_bf16_monarch_stage1"
// TRANSPOSE:         gpu.launch
// TRANSPOSE:           vector.load %[[Z]]{{.*}} : memref<?x1024xf32>, vector<4xf32>
// TRANSPOSE:           arith.truncf %{{.*}} : vector<4xf32> to vector<4xbf16>
// TRANSPOSE:           vector.store %{{.*}} : memref<48x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>, vector<4xbf16>
// TRANSPOSE:         } {structured.kernel_name = "monarch_bf16_monarch_stage2"
// CHECK:         gpu.launch
// CHECK:           nvgpu.device_async_copy
// CHECK:           nvgpu.ldmatrix
// CHECK:           nvvm.mma.sync
// CHECK:         } {structured.kernel_name = "monarch_bf16_monarch_stage2", structured.occupancy_ctas = {{[1-9]}} : i64}
// ROUND-LABEL: func.func @monarch_bf16(
// ROUND:         memref.alloc(%{{.*}}) : memref<?x1024xbf16>
// ROUND-NOT:     arith.subf
// With a bf16 intermediate, lanes holding the second vector of a run of 16
// blocks store its elements from the fifth on (4, …, 7, 0, …, 3), so that
// each step's 16 blocks of a warp fall in different banks.
// ROUND:         structured.kernel_name = "monarch_bf16_monarch_stage1"
// ROUND:         %[[ROTATED:.*]] = arith.cmpi eq, %{{.*}}, %c1{{.*}} : index
// ROUND:         %[[E0:.*]] = vector.extract %[[V:.*]][0] : bf16 from vector<8xbf16>
// ROUND:         arith.select %[[ROTATED]], %c4{{.*}}, %c0{{.*}} : index
// ROUND:         %[[E4:.*]] = vector.extract %[[V]][4] : bf16 from vector<8xbf16>
// ROUND:         %[[X:.*]] = arith.select %[[ROTATED]], %[[E4]], %[[E0]] : bf16
// ROUND:         memref.store %[[X]], %{{.*}} : memref<16x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>
// ROUND:       } {structured.kernel_name = "monarch_bf16_monarch_stage2", structured.occupancy_ctas = {{[1-9]}} : i64}
// OUTLINE:       gpu.module @monarch_bf16_monarch_stage1
// OUTLINE:         gpu.func @monarch_bf16_monarch_stage1({{.*}}) kernel attributes {known_block_size = array<i32: 256, 1, 1>, nvvm.minctasm = 2 : i32}
// The second stage (strided in and out: 8 blocks would write 16-byte runs
// of bf16) takes 16 blocks per CTA of 16 warps (the split tile: 3 parts ×
// 16 blocks), one CTA per SM, so no register bound beyond the 512
// threads; the contiguous first stage keeps 8 warps. strided-warps=8
// keeps 8 for both.
// WARPS-LABEL: func.func @monarch_bf16(
// WARPS:         gpu.launch blocks({{.*}}) in (%{{.*}} = %c4{{(_[0-9]+)?}}, {{.*}}) threads({{.*}}) in (%{{.*}} = %c256{{(_[0-9]+)?}}, {{.*}})
// WARPS:         } {structured.kernel_name = "monarch_bf16_monarch_stage1", structured.occupancy_ctas = 2 : i64}
// WARPS:         gpu.launch blocks({{.*}}) in (%{{.*}} = %c2{{(_[0-9]+)?}}, {{.*}}) threads({{.*}}) in (%{{.*}} = %c512{{(_[0-9]+)?}}, {{.*}})
// WARPS:         } {structured.kernel_name = "monarch_bf16_monarch_stage2", structured.occupancy_ctas = 1 : i64}
// NARROW-LABEL: func.func @monarch_bf16(
// NARROW:         gpu.launch blocks({{.*}}) in (%{{.*}} = %c4{{(_[0-9]+)?}}, {{.*}}) threads({{.*}}) in (%{{.*}} = %c256{{(_[0-9]+)?}}, {{.*}})
// NARROW:         gpu.launch blocks({{.*}}) in (%{{.*}} = %c4{{(_[0-9]+)?}}, {{.*}}) threads({{.*}}) in (%{{.*}} = %c256{{(_[0-9]+)?}}, {{.*}})
// NARROW:           memref.view {{.*}} to memref<24x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>
// NARROW:         } {structured.kernel_name = "monarch_bf16_monarch_stage2", structured.occupancy_ctas = 2 : i64}
// OUTLINE:       gpu.func @monarch_bf16_monarch_stage2({{.*}}) kernel attributes {known_block_size = array<i32: 512, 1, 1>}
// With async-strided-inputs=none the intermediate is prefetched into
// registers and split element by element as it is stored.
// UNSTAGED-LABEL: func.func @monarch_bf16(
// UNSTAGED:         structured.kernel_name = "monarch_bf16_monarch_stage1"
// UNSTAGED:         scf.for {{.*}} -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>)
// UNSTAGED:           %[[PARTS:.*]] = memref.view {{.*}} to memref<48x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>
// UNSTAGED:           %[[X:.*]] = vector.extract %{{.*}}[0] : f32 from vector<4xf32>
// UNSTAGED:           %[[HIGH:.*]] = arith.truncf %[[X]] : f32 to bf16
// UNSTAGED:           %[[BACK:.*]] = arith.extf %[[HIGH]] : bf16 to f32
// UNSTAGED:           %[[DIFF:.*]] = arith.subf %[[X]], %[[BACK]] : f32
// A value that rounds to ±inf keeps zero as its other parts (not NaN).
// UNSTAGED:           %[[POS:.*]] = arith.cmpf oeq, %[[BACK]], %{{.*}} : f32
// UNSTAGED:           %[[NEG:.*]] = arith.cmpf oeq, %[[BACK]], %{{.*}} : f32
// UNSTAGED:           %[[INF:.*]] = arith.ori %[[POS]], %[[NEG]] : i1
// UNSTAGED:           %[[REST:.*]] = arith.select %[[INF]], %{{.*}}, %[[DIFF]] : f32
// UNSTAGED:           %[[MIDDLE:.*]] = arith.truncf %[[REST]] : f32 to bf16
// UNSTAGED:           %[[BACK2:.*]] = arith.extf %[[MIDDLE]] : bf16 to f32
// UNSTAGED:           %[[REST2:.*]] = arith.subf %[[REST]], %[[BACK2]] : f32
// UNSTAGED:           %[[LOW:.*]] = arith.truncf %[[REST2]] : f32 to bf16
// UNSTAGED:           memref.store %[[HIGH]], %[[PARTS]][%[[BLOCK:.*]], %[[AT:.*]]] :
// UNSTAGED:           %[[BLOCK16:.*]] = arith.addi %[[BLOCK]], %c16{{.*}} : index
// UNSTAGED:           memref.store %[[MIDDLE]], %[[PARTS]][%[[BLOCK16]], %[[AT]]] :
// UNSTAGED:           %[[BLOCK32:.*]] = arith.addi %[[BLOCK]], %c32{{.*}} : index
// UNSTAGED:           memref.store %[[LOW]], %[[PARTS]][%[[BLOCK32]], %[[AT]]] :
// UNSTAGED:           nvgpu.ldmatrix %[[PARTS]][{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<48x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// UNSTAGED:           nvvm.mma.sync
// The second stage's f32 intermediate copied by cp.async into a staging
// buffer in global order (16 rows of 32 runs of 16 blocks, padded by 16
// bytes), a tile ahead; transposed four runs at a time (vector<4xf32> of
// four blocks → one vector per block, split into three bf16 parts); its
// STAGED-LABEL: func.func @monarch_bf16(
// STAGED:         structured.kernel_name = "monarch_bf16_monarch_stage1"
// STAGED:         gpu.launch {{.*}} threads({{.*}}) in (%{{.*}} = %c512{{(_[0-9]+)?}}, {{.*}}) dynamic_shared_memory_size %c115968_i32
// STAGED:           %[[PARTS:.*]] = memref.view {{.*}} to memref<48x648xbf16, #gpu.address_space<workgroup>>
// STAGED:           %[[OUT:.*]] = memref.view {{.*}} to memref<16x648xbf16, #gpu.address_space<workgroup>>
// STAGED:           %[[STAGING:.*]] = memref.view {{.*}} to memref<16x516xf32, #gpu.address_space<workgroup>>
// STAGED:           nvgpu.device_async_copy %{{.*}}[%{{.*}}, %{{.*}}], %[[STAGING]][%{{.*}}, %{{.*}}], 4 {bypassL1} : memref<?x1024xf32> to memref<16x516xf32, #gpu.address_space<workgroup>>
// STAGED:           %[[FIRST:.*]] = nvgpu.device_async_create_group
// STAGED:           scf.for {{.*}} iter_args(%[[TOKEN:.*]] = %[[FIRST]]) -> (!nvgpu.device.async.token) {
// STAGED-NEXT:        nvgpu.device_async_wait %[[TOKEN]]
// STAGED-NEXT:        gpu.barrier
// STAGED:             %[[R0:.*]] = vector.load %[[STAGING]][{{.*}}] {alignment = 16 : i64} : memref<16x516xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// STAGED:             %[[R1:.*]] = vector.load %[[STAGING]][{{.*}}] {alignment = 16 : i64} : memref<16x516xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// STAGED:             %[[R2:.*]] = vector.load %[[STAGING]][{{.*}}] {alignment = 16 : i64} : memref<16x516xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// STAGED:             %[[R3:.*]] = vector.load %[[STAGING]][{{.*}}] {alignment = 16 : i64} : memref<16x516xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// STAGED:             %[[E0:.*]] = vector.extract %[[R0]][0] : f32 from vector<4xf32>
// STAGED-NEXT:        %[[E1:.*]] = vector.extract %[[R1]][0] : f32 from vector<4xf32>
// STAGED-NEXT:        %[[E2:.*]] = vector.extract %[[R2]][0] : f32 from vector<4xf32>
// STAGED-NEXT:        %[[E3:.*]] = vector.extract %[[R3]][0] : f32 from vector<4xf32>
// STAGED-NEXT:        %[[COLS:.*]] = vector.from_elements %[[E0]], %[[E1]], %[[E2]], %[[E3]] : vector<4xf32>
// STAGED:             %[[HIGH:.*]] = arith.truncf %[[COLS]] : vector<4xf32> to vector<4xbf16>
// STAGED:             %[[BACK:.*]] = arith.extf %[[HIGH]] : vector<4xbf16> to vector<4xf32>
// STAGED:             arith.subf %[[COLS]], %[[BACK]] : vector<4xf32>
// STAGED:             arith.cmpf oeq, %[[BACK]], %{{.*}} : vector<4xf32>
// STAGED:             arith.select %{{.*}} : vector<4xi1>, vector<4xf32>
// STAGED:             vector.store %{{.*}}, %[[PARTS]][{{.*}}] {alignment = 8 : i64} : memref<48x648xbf16, #gpu.address_space<workgroup>>, vector<4xbf16>
// STAGED:             gpu.barrier
// STAGED:             scf.if %{{.*}} -> (!nvgpu.device.async.token) {
// STAGED:               nvgpu.device_async_copy
// STAGED:               %[[NEXT:.*]] = nvgpu.device_async_create_group
// STAGED-NEXT:          scf.yield %[[NEXT]] : !nvgpu.device.async.token
// STAGED-NEXT:        } else {
// STAGED-NEXT:          %[[NONE:.*]] = nvgpu.device_async_create_group
// STAGED-NEXT:          scf.yield %[[NONE]] : !nvgpu.device.async.token
// STAGED:             nvgpu.ldmatrix %[[PARTS]]
// STAGED:             gpu.barrier
// The strided bf16 output: each read of the staging tile takes a block's
// columns (c, c + 1), for the vectors of eight blocks of both columns
// (lanes of odd vectors start at block 4: no bank conflicts).
// STAGED:             %[[ODD:.*]] = arith.cmpi eq, %{{.*}}, %c1{{.*}} : index
// STAGED:             arith.select %[[ODD]], %c4{{.*}}, %c0{{.*}} : index
// STAGED-COUNT-8:     vector.load %[[OUT]][%{{.*}}, %{{.*}}] {alignment = 4 : i64} : memref<16x648xbf16, #gpu.address_space<workgroup>>, vector<2xbf16>
// STAGED-NOT:         memref.load %[[OUT]]
// STAGED:             %[[FIRSTCOL:.*]] = vector.from_elements {{.*}} : vector<8xbf16>
// STAGED:             vector.store %[[FIRSTCOL]], %{{.*}} {alignment = 16 : i64} : memref<?x1024xbf16>, vector<8xbf16>
// STAGED:             %[[SECONDCOL:.*]] = vector.from_elements {{.*}} : vector<8xbf16>
// STAGED:             vector.store %[[SECONDCOL]], %{{.*}} {alignment = 16 : i64} : memref<?x1024xbf16>, vector<8xbf16>
// STAGED:       } {structured.kernel_name = "monarch_bf16_monarch_stage2", structured.occupancy_ctas = 1 : i64}
// With a bf16 intermediate (staged only with `all`): 16-byte vectors of
// eight blocks, transposed eight runs at a time into 16-byte stores.
// ALLSTAGED-LABEL: func.func @monarch_bf16(
// ALLSTAGED:         structured.kernel_name = "monarch_bf16_monarch_stage1"
// ALLSTAGED:         %[[STAGING:.*]] = memref.view {{.*}} to memref<32x520xbf16, #gpu.address_space<workgroup>>
// ALLSTAGED:         nvgpu.device_async_copy %{{.*}}, %[[STAGING]][%{{.*}}, %{{.*}}], 8 {bypassL1} : memref<?x1024xbf16> to memref<32x520xbf16, #gpu.address_space<workgroup>>
// ALLSTAGED:         scf.for
// ALLSTAGED-COUNT-8:   vector.load %[[STAGING]][{{.*}}] {alignment = 16 : i64} : memref<32x520xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// ALLSTAGED:           vector.from_elements {{.*}} : vector<8xbf16>
// ALLSTAGED:           vector.store %{{.*}} {alignment = 16 : i64} : memref<16x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// ALLSTAGED:         } {structured.kernel_name = "monarch_bf16_monarch_stage2", structured.occupancy_ctas = 1 : i64}
// BADASYNC: async-strided-inputs must be none, split or all, got 'some'
// BADTRANSPOSE: transpose-intermediate must be false, auto or true, got 'yes'
func.func @monarch_bf16(%x: memref<?x1024xbf16>, %w1: memref<32x32x32xbf16>, %w2: memref<32x32x32xbf16>, %y: memref<?x1024xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x1024xbf16>, memref<32x32x32xbf16>, memref<32x32x32xbf16>) outs(%y : memref<?x1024xbf16>)
  return
}

// -----

// f32 on tensor cores: the input tile and the weights are each split into
// three bf16 parts; of the nine products of parts, the six whose ranks sum
// to at most 2 are multiplied (2 row slices × 2 k tiles × 6 = 24 mma.sync).
// With f32-tensor-cores=false the same op runs on FMAs.
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=f32-tensor-cores=false | FileCheck %s --check-prefix=F32FMA
// CHECK-LABEL: func.func @blockdiag_f32_tensor_cores(
// CHECK:         gpu.launch
// CHECK:           memref.view {{.*}} to memref<6x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>
// CHECK:           %[[W:.*]] = vector.load %arg1[{{.*}}] {alignment = 8 : i64} : memref<2x16x32xf32>, vector<2xf32>
// CHECK:           %[[W0:.*]] = arith.truncf %[[W]] : vector<2xf32> to vector<2xbf16>
// CHECK:           %[[W0F:.*]] = arith.extf %[[W0]] : vector<2xbf16> to vector<2xf32>
// CHECK:           %[[WD:.*]] = arith.subf %[[W]], %[[W0F]] : vector<2xf32>
// CHECK:           %[[WR:.*]] = arith.select %{{.*}}, %{{.*}}, %[[WD]] : vector<2xi1>, vector<2xf32>
// CHECK:           %[[W1:.*]] = arith.truncf %[[WR]] : vector<2xf32> to vector<2xbf16>
// CHECK:           %[[W1F:.*]] = arith.extf %[[W1]] : vector<2xbf16> to vector<2xf32>
// CHECK:           %[[WR2:.*]] = arith.subf %[[WR]], %[[W1F]] : vector<2xf32>
// CHECK:           arith.truncf %[[WR2]] : vector<2xf32> to vector<2xbf16>
// CHECK:           scf.for
// CHECK-COUNT-24:    nvvm.mma.sync {{.*}} multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>
// CHECK-NOT:         nvvm.mma.sync
// CHECK:         } {structured.kernel_name = "blockdiag_f32_tensor_cores_blockdiag", structured.occupancy_ctas = {{[1-9][0-9]*}} : i64}
// F32FMA-LABEL: func.func @blockdiag_f32_tensor_cores(
// F32FMA-NOT:     nvvm.mma.sync
// F32FMA:           llvm.intr.fma
// F32FMA-NOT:     nvvm.mma.sync
// F32FMA:         } {structured.kernel_name = "blockdiag_f32_tensor_cores_blockdiag"}
func.func @blockdiag_f32_tensor_cores(%x: memref<?x64xf32>, %w: memref<2x16x32xf32>, %y: memref<?x32xf32>) {
  structured.blockdiag ins(%x, %w : memref<?x64xf32>, memref<2x16x32xf32>) outs(%y : memref<?x32xf32>)
  return
}

// -----

// Ragged tensor-core shapes: a reduction of 40 is padded to 48 (the input
// tile's columns past it are zeroed once, in every part; weights past it
// are selected to zero), and the 20 outputs of a block take a slice of 32
// columns whose last ones are computed but not stored.
// CHECK-LABEL: func.func @blockdiag_ragged(
// CHECK:         gpu.launch
// CHECK:           %[[W:.*]] = vector.load %arg1[{{.*}}] {alignment = 8 : i64} : memref<2x20x40xf32>, vector<2xf32>
// CHECK:           arith.select %{{.*}}, %[[W]], %{{.*}} : vector<2xf32>
// CHECK:           scf.for %{{.*}} = %{{.*}} to %c1536{{.*}} step %c256
// CHECK:             memref.store %{{.*}} : memref<6x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>
// CHECK:           scf.for
// CHECK-COUNT-36:    nvvm.mma.sync
// CHECK:             %[[ROW_OK:.*]] = arith.cmpi ult, %{{.*}}, %{{.*}} : index
// CHECK:             %[[COL_OK:.*]] = arith.cmpi ult, %{{.*}}, %c20{{.*}} : index
// CHECK:             %[[OK:.*]] = arith.andi %[[ROW_OK]], %[[COL_OK]] : i1
// CHECK:             scf.if %[[OK]]
// CHECK:               vector.store %{{.*}}, %arg2
// CHECK:         } {structured.kernel_name = "blockdiag_ragged_blockdiag", structured.occupancy_ctas = {{[1-9]}} : i64}
func.func @blockdiag_ragged(%x: memref<?x80xf32>, %w: memref<2x20x40xf32>, %y: memref<?x40xf32>) {
  structured.blockdiag ins(%x, %w : memref<?x80xf32>, memref<2x20x40xf32>) outs(%y : memref<?x40xf32>)
  return
}

// -----

// f32 blocks of 128×128: no whole-block shape fits 4096 B-fragment weights
// per warp (3 parts), so each CTA takes one block with eight warps of 16
// columns (6144 weights) and runs alone on its SM (no nvvm.minctasm): one
// CTA per block, the input tile read and split once.
// CHECK-LABEL: func.func @blockdiag_whole(
// CHECK:         gpu.launch blocks(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c2{{(_[0-9]+)?}}, %{{.*}} = %{{.*}}, %{{.*}} = %c1{{(_[0-9]+)?}}) threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c256
// CHECK:         } {structured.kernel_name = "blockdiag_whole_blockdiag", structured.occupancy_ctas = {{[1-9]}} : i64}
// OUTLINE:       gpu.func @blockdiag_whole_blockdiag({{.*}}) kernel attributes {known_block_size = array<i32: 256, 1, 1>} {
func.func @blockdiag_whole(%x: memref<?x256xf32>, %w: memref<2x128x128xf32>, %y: memref<?x256xf32>) {
  structured.blockdiag ins(%x, %w : memref<?x256xf32>, memref<2x128x128xf32>) outs(%y : memref<?x256xf32>)
  return
}

// -----

// BTT: the second factor w2[a, u, c, ρ] is read as W_a[u, c·R + ρ].
// CHECK-LABEL: func.func @btt_f16(
// CHECK:         memref.collapse_shape %arg2 {{\[}}[0], [1], [2, 3]] : memref<16x16x32x4xf16> into memref<16x16x128xf16>
// CHECK:         memref.alloc(%{{.*}}) : memref<?x2048xf32>
// CHECK:         nvvm.mma.sync {{.*}} : (vector<2xf16>, vector<2xf16>, f32)
// CHECK:         structured.kernel_name = "btt_f16_btt_stage1"
// CHECK:         structured.kernel_name = "btt_f16_btt_stage2"
// With an f16 intermediate the second stage (16 blocks per CTA of 16
// warps: 8 would move 16-byte runs) loads 8 terms (two blocks × 4) per
// 16-byte vector and stores each block's 4 as one 8-byte piece.
// ROUND-LABEL: func.func @btt_f16(
// ROUND:         structured.kernel_name = "btt_f16_btt_stage1"
// ROUND:         %[[TILE:.*]] = memref.view {{.*}} to memref<16x{{[0-9]+}}xf16, #gpu.address_space<workgroup>>
// ROUND:         %[[LOW:.*]] = vector.shuffle %[[V:.*]], %[[V]] [0, 1, 2, 3] : vector<8xf16>, vector<8xf16>
// ROUND:         vector.store %[[LOW]], %[[TILE]][{{.*}}] {alignment = 8 : i64} : memref<16x{{[0-9]+}}xf16, #gpu.address_space<workgroup>>, vector<4xf16>
// ROUND:         %[[HIGH:.*]] = vector.shuffle %[[V]], %[[V]] [4, 5, 6, 7] : vector<8xf16>, vector<8xf16>
// ROUND:         vector.store %[[HIGH]], %[[TILE]][{{.*}}] {alignment = 8 : i64} : memref<16x{{[0-9]+}}xf16, #gpu.address_space<workgroup>>, vector<4xf16>
// ROUND:         structured.kernel_name = "btt_f16_btt_stage2"
func.func @btt_f16(%x: memref<?x512xf16>, %w1: memref<16x4x32x32xf16>, %w2: memref<16x16x32x4xf16>, %y: memref<?x256xf16>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x512xf16>, memref<16x4x32x32xf16>, memref<16x16x32x4xf16>) outs(%y : memref<?x256xf16>)
  return
}

// -----

// Leading batch dimensions are collapsed; a reduction longer than 64 is
// split over lanes (4 here, the last part zero-padded) and summed with
// shuffles; one kernel for blockdiag.
// CHECK-LABEL: func.func @blockdiag_wide(
// CHECK:         %[[X:.*]] = memref.collapse_shape %arg0 {{\[}}[0, 1], [2]] : memref<3x?x260xf32> into memref<?x260xf32>
// CHECK:         gpu.launch
// CHECK:           gpu.shuffle  xor
// CHECK:           gpu.shuffle  xor
// CHECK-NOT:     gpu.launch
// CHECK:         } {structured.kernel_name = "blockdiag_wide_blockdiag"}
func.func @blockdiag_wide(%x: memref<3x?x260xf32>, %w: memref<2x6x130xf32>, %y: memref<3x?x12xf32>) {
  structured.blockdiag ins(%x, %w : memref<3x?x260xf32>, memref<2x6x130xf32>) outs(%y : memref<3x?x12xf32>)
  return
}

// -----

// f16 stays on tensor cores for the first stage; its second stage (f32
// intermediate) uses FMAs, since f16 parts cannot represent f32 values.
// CHECK-LABEL: func.func @monarch_f16(
// CHECK:         nvvm.mma.sync
// CHECK:         } {structured.kernel_name = "monarch_f16_monarch_stage1", structured.occupancy_ctas
// CHECK-NOT:     nvvm.mma.sync
// CHECK:         llvm.intr.fma
// CHECK:         } {structured.kernel_name = "monarch_f16_monarch_stage2"}
func.func @monarch_f16(%x: memref<?x1024xf16>, %w1: memref<32x32x32xf16>, %w2: memref<32x32x32xf16>, %y: memref<?x1024xf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x1024xf16>, memref<32x32x32xf16>, memref<32x32x32xf16>) outs(%y : memref<?x1024xf16>)
  return
}

// -----

// An in-place blockdiag reads a copy of x: CTAs of other column slices would
// otherwise overwrite inputs still to be read.
// CHECK-LABEL: func.func @in_place(
// CHECK:         %[[COPY:.*]] = memref.alloc() : memref<64x128xf32>
// CHECK:         memref.copy %arg0, %[[COPY]]
// CHECK:         gpu.launch
// CHECK:           vector.load %[[COPY]]
// CHECK:           vector.store {{.*}}, %arg0
// CHECK:         memref.dealloc %[[COPY]]
func.func @in_place(%x: memref<64x128xf32>, %w: memref<1x128x128xf32>) {
  structured.blockdiag ins(%x, %w : memref<64x128xf32>, memref<1x128x128xf32>) outs(%x : memref<64x128xf32>)
  return
}

// -----

// Strided buffers are copied to contiguous ones and back.
// CHECK-LABEL: func.func @strided(
// CHECK:         %[[XC:.*]] = memref.alloc(%{{.*}}) : memref<?x64xf32>
// CHECK:         memref.copy %{{.*}}, %[[XC]]
// CHECK:         %[[YC:.*]] = memref.alloc(%{{.*}}) : memref<?x64xf32>
// CHECK-NOT:     memref.copy
// CHECK:         gpu.launch
// CHECK:         memref.copy %[[YC]], %{{.*}} : memref<?x64xf32> to memref<?x64xf32, strided<[128, 1], offset: 64>>
// CHECK-DAG:     memref.dealloc %[[XC]]
// CHECK-DAG:     memref.dealloc %[[YC]]
func.func @strided(%x: memref<?x128xf32>, %w: memref<8x8x8xf32>, %y: memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x128xf32>
  %xs = memref.subview %x[0, 0] [%n, 64] [1, 1] : memref<?x128xf32> to memref<?x64xf32, strided<[128, 1]>>
  %ys = memref.subview %y[0, 64] [%n, 64] [1, 1] : memref<?x128xf32> to memref<?x64xf32, strided<[128, 1], offset: 64>>
  structured.blockdiag ins(%xs, %w : memref<?x64xf32, strided<[128, 1]>>, memref<8x8x8xf32>) outs(%ys : memref<?x64xf32, strided<[128, 1], offset: 64>>)
  return
}

// -----

// Left alone: tensors (bufferize first), and blocks too large for the
// register-resident weights (a reduction of 1000 > 8 lanes × 64).
// CHECK-LABEL: func.func @left_alone(
// CHECK:         structured.blockdiag ins(%{{.*}} : tensor<4x2000xf32>
// CHECK:         structured.blockdiag ins(%{{.*}} : memref<4x2000xf32>
// CHECK-NOT:     gpu.launch
func.func @left_alone(%t: tensor<4x2000xf32>, %wt: tensor<2x8x1000xf32>, %it: tensor<4x16xf32>, %x: memref<4x2000xf32>, %w: memref<2x8x1000xf32>, %y: memref<4x16xf32>) -> tensor<4x16xf32> {
  %r = structured.blockdiag ins(%t, %wt : tensor<4x2000xf32>, tensor<2x8x1000xf32>) outs(%it : tensor<4x16xf32>) -> tensor<4x16xf32>
  structured.blockdiag ins(%x, %w : memref<4x2000xf32>, memref<2x8x1000xf32>) outs(%y : memref<4x16xf32>)
  return %r : tensor<4x16xf32>
}

// -----

// fuse-stages: both stages of a bf16 Monarch with small blocks in one
// kernel; the f32 intermediate of a row tile stays in shared memory, written
// by the first stage in the second stage's input layout, as three bf16
// parts (3 × 32 blocks).
// RUN: struct-opt %s --split-input-file --convert-structured-to-gpu=fuse-stages=true | FileCheck %s --check-prefix=FUSED
// Without the option, two kernels:
// CHECK-LABEL: func.func @fused(
// CHECK:         structured.kernel_name = "fused_monarch_stage1"
// FUSED-LABEL: func.func @fused(
// FUSED-NOT:     memref.alloc
// FUSED-NOT:     scf.if
// FUSED:         gpu.launch
// FUSED:           scf.if
// FUSED:             cf.assert %{{.*}}, "structured GPU kernels need buffers aligned to 16 bytes"
// FUSED:           memref.view {{.*}} to memref<32x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>
// FUSED:           %[[PARTS:.*]] = memref.view {{.*}} to memref<96x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>
// FUSED:           memref.view {{.*}} to memref<32x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>
// FUSED:           scf.for
// FUSED:             gpu.barrier
// FUSED:             scf.for %[[BLOCK:.*]] = %{{.*}} to %c32{{.*}} step %c8
// FUSED:               nvvm.mma.sync
// FUSED:               arith.truncf {{.*}} : f32 to bf16
// FUSED:               memref.store {{.*}}, %[[PARTS]]{{.*}} : memref<96x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>>
// FUSED:             gpu.barrier
// FUSED:             scf.for
// FUSED:               nvgpu.ldmatrix %[[PARTS]]{{.*}} : memref<96x{{[0-9]+}}xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// FUSED:               nvvm.mma.sync
// FUSED:             gpu.barrier
// FUSED:         } {structured.kernel_name = "fused_monarch", structured.occupancy_ctas = 1 : i64}
// FUSED-NOT:     gpu.launch
// f32: both stages on FMA kernels in one launch, no occupancy bound.
// FUSED-LABEL: func.func @fused_f32(
// FUSED-NOT:     memref.alloc
// FUSED:         gpu.launch
// FUSED:           llvm.intr.fma
// FUSED:           memref.store {{.*}} : memref<32x{{[0-9]+}}xf32, #gpu.address_space<workgroup>>
// FUSED:           gpu.barrier
// FUSED:           llvm.intr.fma
// FUSED:         } {structured.kernel_name = "fused_f32_monarch"}
// FUSED-NOT:     gpu.launch
// Larger blocks keep two kernels.
// FUSED-LABEL: func.func @not_fused(
// FUSED:         memref.alloc
// FUSED:         structured.kernel_name = "not_fused_monarch_stage1"
// FUSED:         structured.kernel_name = "not_fused_monarch_stage2"
func.func @fused(%x: memref<?x1024xbf16>, %w1: memref<32x32x32xbf16>, %w2: memref<32x32x32xbf16>, %y: memref<?x1024xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x1024xbf16>, memref<32x32x32xbf16>, memref<32x32x32xbf16>) outs(%y : memref<?x1024xbf16>)
  return
}
func.func @fused_f32(%x: memref<?x1024xf32>, %w1: memref<32x32x32xf32>, %w2: memref<32x32x32xf32>, %y: memref<?x1024xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x1024xf32>, memref<32x32x32xf32>, memref<32x32x32xf32>) outs(%y : memref<?x1024xf32>)
  return
}
func.func @not_fused(%x: memref<?x4096xbf16>, %w1: memref<64x64x64xbf16>, %w2: memref<64x64x64xbf16>, %y: memref<?x4096xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x4096xbf16>, memref<64x64x64xbf16>, memref<64x64x64xbf16>) outs(%y : memref<?x4096xbf16>)
  return
}

// -----

// causal_conv with L = 100: rows padded to P = 256, transformed as complex
// sequences of N = 128 (passes of radix 16 and 8, one warp per CTA, 136
// complex f32 of shared memory: a pad element per 16). The twiddle table,
// computed at compile time (GpuFFTConvPlan::twiddleTable: W^t of P for
// t ≤ 64, then the 8 · 16 of the second pass, 1 + 0i first), is a global
// in GPU global memory that each kernel reads; the spectra of k, entries
// 0..128 per channel (a CTA per channel; the first pass reads k, so three
// barriers: one after it, two around the second pass's writes), split out
// of the N-point transform at
// the mirror pairs k, N − k; then a CTA per row: the transform (its first
// pass reading the row), the product with the spectrum merged back and
// conjugated (complex arithmetic that may contract into FMAs), the second
// transform, whose last pass writes its real parts as the even outputs and
// minus its imaginary parts as the odd ones, below L. With L even, a row's
// elements 2i and 2i + 1 are loaded and stored as one vector, in buffers
// that the kernels check for 16-byte alignment.
// CHECK:       memref.global "private" @__structured_fft_twiddles_128 : memref<386xf32, #gpu.address_space<global>> = dense<"0x0000803F00000080{{[0-9A-F]+}}"> {alignment = 16 : i64}
// CHECK-LABEL: func.func @causal_conv(
// CHECK-NOT:     memref<386xf32
// CHECK:         %[[SPECTRA:.*]] = memref.alloc() : memref<3x258xf32>
// CHECK-NOT:     gpu.launch
// CHECK:         gpu.launch blocks({{.*}}) in (%{{.*}} = %c3{{.*}}, {{.*}}) threads({{.*}}) in (%{{.*}} = %c32{{.*}}, {{.*}}) dynamic_shared_memory_size %c1088_i32
// CHECK:           %[[TW:.*]] = memref.get_global @__structured_fft_twiddles_128 : memref<386xf32, #gpu.address_space<global>>
// CHECK:           memref.extract_aligned_pointer_as_index %arg1
// CHECK:           cf.assert %{{.*}}, "structured GPU kernels need buffers aligned to 16 bytes"
// CHECK-NOT:       gpu.barrier
// CHECK-COUNT-16:    vector.load %arg1[{{.*}}] {alignment = 4 : i64} : memref<3x100xbf16>, vector<2xbf16>
// CHECK-NOT:       %arg1
// CHECK:           gpu.barrier
// The second pass (radix 8) loads twiddle rows 1 to 4; rows 5 to 7 are
// products of row 4 with rows 1 to 3.
// CHECK-COUNT-4:   vector.load %[[TW]]
// CHECK-NOT:       vector.load %[[TW]]
// CHECK-COUNT-2:   gpu.barrier
// CHECK-NOT:       gpu.barrier
// The N/2 + 1 = 65 mirror pairs, k = tid + 32·i unrolled, the last round
// (k = 64) under a condition; one twiddle load, W^tid (W^k = W^tid ·
// W^(32·i)).
// CHECK-NOT:       scf.for
// CHECK:           %[[M:.*]] = arith.subi %c128{{.*}}, %[[TID:.*]] : index
// CHECK:           vector.load %[[TW]]
// CHECK:           arith.remui %[[M]], %c128{{.*}} : index
// CHECK:           vector.store %{{.*}}, %[[SPECTRA]][%{{.*}}, %{{.*}}]
// CHECK:           vector.store %{{.*}}, %[[SPECTRA]][%{{.*}}, %{{.*}}]
// CHECK-NOT:       vector.load %[[TW]]
// CHECK:           %[[K1:.*]] = arith.addi %[[TID]], %c32{{.*}} : index
// CHECK-NOT:       vector.load %[[TW]]
// CHECK:           arith.subi %c128{{.*}}, %[[K1]] : index
// CHECK-NOT:       vector.load %[[TW]]
// CHECK-COUNT-2:   vector.store %{{.*}}, %[[SPECTRA]]
// CHECK-NOT:       vector.load %[[TW]]
// CHECK:           %[[K2:.*]] = arith.addi %[[TID]], %c64{{.*}} : index
// CHECK:           %[[LAST:.*]] = arith.cmpi ult, %[[K2]], %c65{{.*}} : index
// CHECK:           scf.if %[[LAST]] {
// CHECK:             arith.subi %c128{{.*}}, %[[K2]] : index
// CHECK-NOT:         vector.load %[[TW]]
// CHECK-COUNT-2:     vector.store %{{.*}}, %[[SPECTRA]]
// CHECK-NOT:       vector.store %{{.*}}, %[[SPECTRA]]
// CHECK:         } {structured.fft_occupancy_ctas = 110 : i64, structured.kernel_name = "causal_conv_causal_conv_kernel_dft"}
// The convolution kernel: a CTA per row, at least one; an empty batch
// skips the body on the device, not by a host branch.
// CHECK-NOT:     scf.if
// CHECK:         %[[ROWGRID:.*]] = arith.maxui %{{.*}}, %c1
// CHECK:         gpu.launch blocks({{.*}}) in (%{{.*}} = %[[ROWGRID]], {{.*}}) threads({{.*}}) in (%{{.*}} = %c32{{.*}}, {{.*}}) dynamic_shared_memory_size %c1088_i32
// CHECK:           scf.if %{{.*}} {
// CHECK:             memref.extract_aligned_pointer_as_index %arg0
// CHECK:             memref.extract_aligned_pointer_as_index %arg2
// CHECK:             cf.assert
// CHECK:             %[[TW:.*]] = memref.get_global @__structured_fft_twiddles_128
// CHECK-NOT:         gpu.barrier
// CHECK-COUNT-16:    vector.load %arg0[{{.*}}] {alignment = 4 : i64} : memref<?x3x100xbf16>, vector<2xbf16>
// CHECK-NOT:         %arg0
// CHECK-COUNT-2:     gpu.barrier
// CHECK:             vector.load %[[TW]]
// CHECK:             vector.load %[[SPECTRA]]
// CHECK:             arith.mulf %{{.*}}, %{{.*}} fastmath<contract> : f32
// CHECK:             vector.load %[[SPECTRA]]
// CHECK:             arith.negf
// CHECK-COUNT-3:   gpu.barrier
// CHECK-NOT:       gpu.barrier
// CHECK:             %[[EVEN:.*]] = arith.cmpi ult, %{{.*}}, %c100{{.*}} : index
// CHECK:             scf.if %[[EVEN]]
// CHECK:               %[[RE:.*]] = arith.truncf %{{.*}} : f32 to bf16
// CHECK:               %[[IMB:.*]] = arith.truncf %{{.*}} : f32 to bf16
// CHECK:               %[[PAIR:.*]] = vector.from_elements %[[RE]], %[[IMB]] : vector<2xbf16>
// CHECK:               vector.store %[[PAIR]], %arg2[{{.*}}] {alignment = 4 : i64} : memref<?x3x100xbf16>, vector<2xbf16>
// The odd element of each pair is minus the imaginary part (shown on the
// second pair, whose computation follows the first store line by line).
// CHECK-NEXT:        }
// CHECK-NEXT:        arith.constant 16 : index
// CHECK-NEXT:        arith.addi
// CHECK-NEXT:        arith.constant 2 : index
// CHECK-NEXT:        %[[EVEN2:.*]] = arith.muli
// CHECK-NEXT:        %[[IM:.*]] = arith.negf %{{.*}} : f32
// CHECK-NEXT:        %[[C100:.*]] = arith.constant 100 : index
// CHECK-NEXT:        %[[INSIDE:.*]] = arith.cmpi ult, %[[EVEN2]], %[[C100]] : index
// CHECK-NEXT:        scf.if %[[INSIDE]] {
// CHECK-NEXT:          %[[RE2:.*]] = arith.truncf %{{.*}} : f32 to bf16
// CHECK-NEXT:          %[[IMB2:.*]] = arith.truncf %[[IM]] : f32 to bf16
// CHECK-NEXT:          %[[PAIR2:.*]] = vector.from_elements %[[RE2]], %[[IMB2]] : vector<2xbf16>
// CHECK-NEXT:          vector.store %[[PAIR2]], %arg2[{{.*}}, %[[EVEN2]]]
// CHECK-COUNT-6:       vector.store %{{.*}}, %arg2
// CHECK-NOT:           %arg2
// CHECK:         } {structured.fft_occupancy_ctas = 110 : i64, structured.kernel_name = "causal_conv_causal_conv"}
// CHECK:         memref.dealloc %[[SPECTRA]]
// CHECK-NOT:     memref.dealloc
// fft-ctas-per-sm bounds the registers of the FFT kernels, and each
// kernel's module gets a public copy of the table (LLVM takes a private
// global that is never stored for a constant, and kept loaded twiddles in
// registers from one transform to the next).
// OUTLINE:       gpu.module @causal_conv_causal_conv_kernel_dft {
// OUTLINE-NEXT:    gpu.func @causal_conv_causal_conv_kernel_dft({{.*}}) kernel attributes {{{.*}}nvvm.minctasm = 3 : i32}
// OUTLINE:           memref.get_global @__structured_fft_twiddles_128
// OUTLINE:         memref.global @__structured_fft_twiddles_128 : memref<386xf32, #gpu.address_space<global>> = dense<
// OUTLINE:       gpu.module @causal_conv_causal_conv {
// OUTLINE-NEXT:    gpu.func @causal_conv_causal_conv({{.*}}) kernel attributes {{{.*}}nvvm.minctasm = 3 : i32}
// OUTLINE:         memref.global @__structured_fft_twiddles_128 : memref<386xf32
func.func @causal_conv(%u: memref<?x3x100xbf16>, %k: memref<3x100xbf16>, %y: memref<?x3x100xbf16>) {
  structured.causal_conv ins(%u, %k : memref<?x3x100xbf16>, memref<3x100xbf16>) outs(%y : memref<?x3x100xbf16>)
  return
}

// -----

// L = 9000 pads to P = 32768: complex sequences of 16384 (radices 32, 32,
// 16; 512 threads, 135168 bytes), the largest that fits shared memory;
// spectrum entries 0..16384 of each channel; 8193 twiddles of 32768,
// then 32 · 32 and 16 · 1024 of the second and third passes. The last
// pass writes y: two jobs of radix 16 per thread, 32 stores of pairs (the
// other 32 pairs are past L).
// CHECK:       memref.global "private" @__structured_fft_twiddles_16384 : memref<51202xf32, #gpu.address_space<global>>
// CHECK-LABEL: func.func @causal_conv_real(
// CHECK:         %[[SPECTRA:.*]] = memref.alloc() : memref<3x32770xf32>
// CHECK-NOT:     gpu.launch
// CHECK:         gpu.launch blocks({{.*}}) in (%{{.*}} = %c3{{.*}}, {{.*}}) threads({{.*}}) in (%{{.*}} = %c512{{.*}}, {{.*}}) dynamic_shared_memory_size %c135168_i32
// Four barriers: after the first pass (which reads k), around the second
// pass's writes, and after the last pass, which writes only the elements
// its jobs read (no barrier between its reads and writes).
// CHECK-COUNT-4:   gpu.barrier
// CHECK-NOT:       gpu.barrier
// CHECK:         } {structured.fft_occupancy_ctas = 1 : i64, structured.kernel_name = "causal_conv_real_causal_conv_kernel_dft"}
// CHECK:         gpu.launch blocks({{.*}}) threads({{.*}}) in (%{{.*}} = %c512{{.*}}, {{.*}}) dynamic_shared_memory_size %c135168_i32
// CHECK:           vector.load %arg0[{{.*}}] {alignment = 8 : i64} : memref<?x3x9000xf32>, vector<2xf32>
// CHECK:           vector.load %arg0[{{.*}}] {alignment = 8 : i64} : memref<?x3x9000xf32>, vector<2xf32>
// CHECK-COUNT-32:    vector.store %{{.*}}, %arg2[{{.*}}] {alignment = 8 : i64} : memref<?x3x9000xf32>, vector<2xf32>
// CHECK-NOT:         %arg2
// CHECK:         } {structured.fft_occupancy_ctas = 1 : i64, structured.kernel_name = "causal_conv_real_causal_conv"}
func.func @causal_conv_real(%u: memref<?x3x9000xf32>, %k: memref<3x9000xf32>, %y: memref<?x3x9000xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x3x9000xf32>, memref<3x9000xf32>) outs(%y : memref<?x3x9000xf32>)
  return
}

// -----

// Without batch dimensions a row is (h, t): one CTA per channel, no
// memref.dim; f16 is widened and narrowed. With L odd, elements are loaded
// and stored one by one, with no alignment check. Two batch dimensions are
// recovered from the row by remainders and quotients, the innermost first.
// CHECK-LABEL: func.func @causal_conv_unbatched(
// CHECK-NOT:     memref.dim
// CHECK-NOT:     cf.assert
// CHECK-NOT:     vector.load %arg1
// CHECK:         structured.kernel_name = "causal_conv_unbatched_causal_conv_kernel_dft"
// CHECK:         gpu.launch
// CHECK-NOT:         cf.assert
// CHECK-COUNT-2:     memref.load %arg0[%{{[0-9]+}}, %{{[0-9]+}}] : memref<3x99xf16>
// CHECK:             arith.truncf %{{.*}} : f32 to f16
// CHECK:             memref.store %{{.*}}, %arg2[%{{[0-9]+}}, %{{[0-9]+}}] : memref<3x99xf16>
// CHECK-NOT:         vector.store %{{.*}}, %arg2
// CHECK:         } {structured.fft_occupancy_ctas = {{[0-9]+}} : i64, structured.kernel_name = "causal_conv_unbatched_causal_conv"}
// CHECK-LABEL: func.func @causal_conv_batch2(
// CHECK:         %[[D0:.*]] = memref.dim %arg0, %c0{{.*}} : memref<?x2x3x100xf32>
// CHECK:         %[[ROWS0:.*]] = arith.muli %c1{{.*}}, %[[D0]] : index
// CHECK:         %[[D1:.*]] = memref.dim %arg0, %c1{{.*}} : memref<?x2x3x100xf32>
// CHECK:         %[[ROWS:.*]] = arith.muli %[[ROWS0]], %[[D1]] : index
// CHECK:         structured.kernel_name = "causal_conv_batch2_causal_conv_kernel_dft"
// CHECK:         gpu.launch blocks(%[[CTA:[^,]*]],
// CHECK:           %[[H:.*]] = arith.divui %[[CTA]], %[[ROWS]] : index
// CHECK:           %[[ROW:.*]] = arith.remui %[[CTA]], %[[ROWS]] : index
// CHECK:           %[[I1:.*]] = arith.remui %[[ROW]], %[[D1]] : index
// CHECK:           %[[REST:.*]] = arith.divui %[[ROW]], %[[D1]] : index
// CHECK:           %[[I0:.*]] = arith.remui %[[REST]], %[[D0]] : index
// CHECK:             vector.load %arg0[%[[I0]], %[[I1]], %[[H]], %{{.*}}] {{.*}} : memref<?x2x3x100xf32>, vector<2xf32>
// CHECK:               vector.store %{{.*}}, %arg2[%[[I0]], %[[I1]], %[[H]], %{{.*}}] {{.*}} : memref<?x2x3x100xf32>, vector<2xf32>
func.func @causal_conv_unbatched(%u: memref<3x99xf16>, %k: memref<3x99xf16>, %y: memref<3x99xf16>) {
  structured.causal_conv ins(%u, %k : memref<3x99xf16>, memref<3x99xf16>) outs(%y : memref<3x99xf16>)
  return
}
func.func @causal_conv_batch2(%u: memref<?x2x3x100xf32>, %k: memref<3x100xf32>, %y: memref<?x2x3x100xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x2x3x100xf32>, memref<3x100xf32>) outs(%y : memref<?x2x3x100xf32>)
  return
}
