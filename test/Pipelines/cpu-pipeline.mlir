// The CPU pipeline lowers a module that mixes structured ops with func, arith,
// math, scf, tensor, linalg and vector ops entirely to the LLVM dialect, and
// the result runs under mlir-runner.
//
// RUN: struct-opt %s --structured-to-cpu-pipeline | FileCheck %s --check-prefix=LLVM
// RUN: struct-opt %s --structured-to-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils \
// RUN:   | FileCheck %s --check-prefix=EXEC
// The kernels' vector width is the pipeline's choice, not the host's (the
// cost model plans for it): 8-wide kernels on any host give the same
// result.
// RUN: struct-opt %s --structured-to-cpu-pipeline=vector-width=8 \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils \
// RUN:   | FileCheck %s --check-prefix=EXEC

// LLVM-NOT: structured.
// LLVM-NOT: linalg.
// LLVM-NOT: tensor.
// LLVM-NOT: memref.
// LLVM-NOT: scf.
// LLVM-NOT: vector.
// LLVM-NOT: math.
// LLVM-NOT: bufferization.
// LLVM: llvm.func @layer
// LLVM: llvm.func @main

// relu(monarch(x) + bias), with the bias added by a vector op and the
// activation by linalg; one layer applied twice in an scf.for loop.
func.func @layer(%x: tensor<2x16xf32>, %w1: tensor<4x4x4xf32>,
                 %w2: tensor<4x4x4xf32>) -> tensor<2x16xf32> {
  %init = tensor.empty() : tensor<2x16xf32>
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<2x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>)
                          outs(%init : tensor<2x16xf32>) -> tensor<2x16xf32>
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %y[%c0, %c0], %pad : tensor<2x16xf32>, vector<2x16xf32>
  %bias = arith.constant dense<-1.0> : vector<2x16xf32>
  %sum = arith.addf %v, %bias : vector<2x16xf32>
  %biased = vector.transfer_write %sum, %y[%c0, %c0] : vector<2x16xf32>, tensor<2x16xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>],
                          iterator_types = ["parallel", "parallel"]}
      outs(%biased : tensor<2x16xf32>) {
  ^bb0(%o: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %o, %zero : f32
    %s = math.sqrt %m : f32
    linalg.yield %s : f32
  } -> tensor<2x16xf32>
  return %relu : tensor<2x16xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<1.0> : tensor<2x16xf32>
  %w1 = arith.constant dense<0.5> : tensor<4x4x4xf32>
  %w2 = arith.constant dense<1.25> : tensor<4x4x4xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // First application: z = 4·0.5 = 2, y = 4·1.25·2 = 10, sqrt(10 - 1) = 3.
  // Second: z = 4·0.5·3 = 6, y = 4·1.25·6 = 30, sqrt(30 - 1) ≈ 5.38516.
  %r = scf.for %i = %c0 to %c2 step %c1 iter_args(%acc = %x) -> (tensor<2x16xf32>) {
    %next = func.call @layer(%acc, %w1, %w2) : (tensor<2x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) -> tensor<2x16xf32>
    scf.yield %next : tensor<2x16xf32>
  }
  %u = tensor.cast %r : tensor<2x16xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

// EXEC: rank = 2 offset = 0 sizes = [2, 16]
// EXEC-COUNT-2: [5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}},   5.38516{{[0-9]*}}]
