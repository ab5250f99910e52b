// Permutes folded into elementwise neighbours by structured-fold-permutations
// (a step of the CPU pipeline) compute the same permutation as on their own:
// consumer and producer side, odd sizes, a dynamic batch, a 3-D batch, bf16
// and two elementwise ops around one permute. The lit test
// Dialect/Structured/Transforms/fold-permutations.mlir checks that these
// permutes do fold; here the numbers are checked against numpy.
//
// RUN: %python -m structured_harness --op permute --func consumer --seed 701 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func producer --seed 702 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func consumer_dynamic --batch 7 --seed 703 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func producer_3d --seed 704 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func both_bf16 --seed 705 --shared-libs %mlir_runner_utils %s | FileCheck %s
// The same without folding.
// RUN: %python -m structured_harness --op permute --func both_bf16 --seed 705 --pipeline=--structured-to-cpu-pipeline=canonicalize-structured=false --shared-libs %mlir_runner_utils %s | FileCheck %s
// A reference moved by four tolerances must fail.
// RUN: env STRUCTURED_HARNESS_PERTURB=1 not %python -m structured_harness --op permute --func consumer --seed 701 --shared-libs %mlir_runner_utils %s | FileCheck %s --check-prefix=PERTURBED
// CHECK: PASS
// PERTURBED: FAIL

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

func.func @consumer(%x: tensor<4x15xf32>, %init: tensor<4x15xf32>) -> tensor<4x15xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4x15xf32>
  %p = structured.permute ins(%x : tensor<4x15xf32>) outs(%e : tensor<4x15xf32>) {rows = 3 : i64, cols = 5 : i64} -> tensor<4x15xf32>
  %y = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<4x15xf32>) outs(%init : tensor<4x15xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %one : f32
    linalg.yield %m : f32
  } -> tensor<4x15xf32>
  return %y : tensor<4x15xf32>
}

func.func @producer(%x: tensor<6x35xf32>, %init: tensor<6x35xf32>) -> tensor<6x35xf32> {
  %e = tensor.empty() : tensor<6x35xf32>
  %a = linalg.copy ins(%x : tensor<6x35xf32>) outs(%e : tensor<6x35xf32>) -> tensor<6x35xf32>
  %p = structured.permute ins(%a : tensor<6x35xf32>) outs(%init : tensor<6x35xf32>) {rows = 7 : i64, cols = 5 : i64} -> tensor<6x35xf32>
  return %p : tensor<6x35xf32>
}

func.func @consumer_dynamic(%x: tensor<?x12xf32>, %init: tensor<?x12xf32>) -> tensor<?x12xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %b = tensor.dim %x, %c0 : tensor<?x12xf32>
  %e = tensor.empty(%b) : tensor<?x12xf32>
  %p = structured.permute ins(%x : tensor<?x12xf32>) outs(%e : tensor<?x12xf32>) {rows = 4 : i64, cols = 3 : i64} -> tensor<?x12xf32>
  %y = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<?x12xf32>) outs(%init : tensor<?x12xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x12xf32>
  return %y : tensor<?x12xf32>
}

func.func @producer_3d(%x: tensor<2x3x10xf32>, %init: tensor<2x3x10xf32>) -> tensor<2x3x10xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<2x3x10xf32>
  %a = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<2x3x10xf32>) outs(%e : tensor<2x3x10xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.mulf %v, %one : f32
    linalg.yield %m : f32
  } -> tensor<2x3x10xf32>
  %p = structured.permute ins(%a : tensor<2x3x10xf32>) outs(%init : tensor<2x3x10xf32>) {rows = 2 : i64, cols = 5 : i64} -> tensor<2x3x10xf32>
  return %p : tensor<2x3x10xf32>
}

func.func @both_bf16(%x: tensor<5x21xbf16>, %init: tensor<5x21xbf16>) -> tensor<5x21xbf16> {
  %e = tensor.empty() : tensor<5x21xbf16>
  %a = linalg.copy ins(%x : tensor<5x21xbf16>) outs(%e : tensor<5x21xbf16>) -> tensor<5x21xbf16>
  %p = structured.permute ins(%a : tensor<5x21xbf16>) outs(%e : tensor<5x21xbf16>) {rows = 3 : i64, cols = 7 : i64} -> tensor<5x21xbf16>
  %y = linalg.copy ins(%p : tensor<5x21xbf16>) outs(%init : tensor<5x21xbf16>) -> tensor<5x21xbf16>
  return %y : tensor<5x21xbf16>
}
