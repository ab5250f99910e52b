// structured-parallel-loops-to-gpu: an outermost scf.parallel becomes a 1-D
// launch, one thread per iteration, innermost dimension fastest; sequential
// loops inside stay in the thread.
// RUN: struct-opt %s --structured-parallel-loops-to-gpu | FileCheck %s
// RUN: struct-opt %s --structured-parallel-loops-to-gpu=block-size=64 | FileCheck %s --check-prefix=B64
// RUN: not struct-opt %s --structured-parallel-loops-to-gpu=block-size=2048 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not struct-opt %S/Inputs/host-access.mlir --structured-parallel-loops-to-gpu 2>&1 | FileCheck %s --check-prefix=HOST

// CHECK-LABEL: func.func @loops(
// CHECK-SAME:    %[[M:.*]]: memref<?x12xf32>, %[[N:.*]]: index
// CHECK-DAG:     %[[C256:.*]] = arith.constant 256 : index
// CHECK-DAG:     %[[C12:.*]] = arith.constant 12 : index
// CHECK:         %[[TOTAL:.*]] = arith.muli %{{.*}}, %[[C12]] : index
// An empty loop launches one block of idle threads (no host branch).
// CHECK:         %[[BLOCKS:.*]] = arith.ceildivui %[[TOTAL]], %[[C256]] : index
// CHECK:         %[[GRID:.*]] = arith.maxui %[[BLOCKS]], %{{.*}} : index
// CHECK-NOT:     scf.if
// CHECK:         gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[GRID]], %{{.*}}, %{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C256]], %{{.*}}, %{{.*}})
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %[[TX]] : index
// CHECK:           %[[IN:.*]] = arith.cmpi ult, %[[ID]], %[[TOTAL]] : index
// CHECK:           scf.if %[[IN]] {
// CHECK:             %[[J:.*]] = arith.remui %[[ID]], %[[C12]] : index
// CHECK:             %[[I:.*]] = arith.divui %[[ID]], %[[C12]] : index
// CHECK:             scf.for
// CHECK:               memref.store %{{.*}}, %[[M]][%{{.*}}, %{{.*}}]
// CHECK:           gpu.terminator
// CHECK-NOT:     scf.parallel
// B64:           arith.constant 64 : index
// B64:           gpu.launch
// BAD:           block-size must be in [1, 1024], got 2048
// HOST:          error: 'memref.load' op runs on the host but would access device memory
func.func @loops(%m: memref<?x12xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c12 = arith.constant 12 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c12) step (%c1, %c1) {
    scf.for %k = %c0 to %c4 step %c1 {
      memref.store %f, %m[%i, %j] : memref<?x12xf32>
    }
    scf.reduce
  }
  return
}
