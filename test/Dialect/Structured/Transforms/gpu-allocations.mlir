// structured-gpu-allocations: host-side allocations, frees and copies use GPU
// memory; those inside launches are left alone.
// RUN: struct-opt %s --structured-gpu-allocations | FileCheck %s

// CHECK-LABEL: func.func @host(
// CHECK-SAME:    %[[A:.*]]: memref<?x8xf32>, %[[N:.*]]: index
// CHECK:         %[[T:.*]] = gpu.alloc (%[[N]]) : memref<?x8xf32>
// CHECK:         gpu.memcpy %[[T]], %[[A]] : memref<?x8xf32>, memref<?x8xf32>
// CHECK:         gpu.launch
// CHECK:           memref.alloc() : memref<2xf32>
// CHECK:           memref.dealloc
// CHECK:         gpu.dealloc %[[T]] : memref<?x8xf32>
// CHECK-NOT:     memref.alloc(
// CHECK-NOT:     memref.copy
func.func @host(%a: memref<?x8xf32>, %n: index) {
  %t = memref.alloc(%n) : memref<?x8xf32>
  memref.copy %a, %t : memref<?x8xf32> to memref<?x8xf32>
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    %m = memref.alloc() : memref<2xf32>
    memref.dealloc %m : memref<2xf32>
    gpu.terminator
  }
  memref.dealloc %t : memref<?x8xf32>
  return
}

// A copy into a strided view is not one contiguous memcpy: it becomes a
// linalg.copy (a kernel once linalg is lowered to loops).
// CHECK-LABEL: func.func @strided_copy(
// CHECK:         linalg.copy ins(%{{.*}} : memref<4x8xf32>) outs(%{{.*}} : memref<4x8xf32, strided<[16, 1]>>)
// CHECK-NOT:     gpu.memcpy
func.func @strided_copy(%a: memref<4x8xf32>, %b: memref<4x8xf32, strided<[16, 1]>>) {
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32, strided<[16, 1]>>
  return
}
