// RUN: struct-opt %s --structured-deduplicate-gpu-modules | FileCheck %s

// Two outlined modules with the same body: the second goes, its launch
// uses the first. A module whose kernel differs (a constant) stays.
// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK:         func.func @layers(
// CHECK:           gpu.launch_func @scale::@scale
// CHECK-NEXT:      gpu.launch_func @scale::@scale
// CHECK-NEXT:      gpu.launch_func @scale_1::@scale
// CHECK:         gpu.module @scale {
// CHECK-NOT:     gpu.module @scale_0
// CHECK:         gpu.module @scale_1
// CHECK-NOT:     gpu.module
module attributes {gpu.container_module} {
  func.func @layers(%a: memref<4xf32>, %b: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @scale::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @scale_0::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%b : memref<4xf32>)
    gpu.launch_func @scale_1::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%b : memref<4xf32>)
    return
  }
  gpu.module @scale {
    gpu.func @scale(%m: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %two = arith.constant 2.0 : f32
      %v = memref.load %m[%c0] : memref<4xf32>
      %w = arith.mulf %v, %two : f32
      memref.store %w, %m[%c0] : memref<4xf32>
      gpu.return
    }
  }
  gpu.module @scale_0 {
    gpu.func @scale(%m: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %two = arith.constant 2.0 : f32
      %v = memref.load %m[%c0] : memref<4xf32>
      %w = arith.mulf %v, %two : f32
      memref.store %w, %m[%c0] : memref<4xf32>
      gpu.return
    }
  }
  gpu.module @scale_1 {
    gpu.func @scale(%m: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %three = arith.constant 3.0 : f32
      %v = memref.load %m[%c0] : memref<4xf32>
      %w = arith.mulf %v, %three : f32
      memref.store %w, %m[%c0] : memref<4xf32>
      gpu.return
    }
  }
}
