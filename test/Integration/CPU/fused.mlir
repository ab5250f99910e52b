// Structured ops fused with elementwise producers and consumers
// (structured-fuse in the CPU pipeline) still compute the op: the
// elementwise work around it is exact identities that read and write every
// element (x·2 gating undone by y·0.5, relu(y) + min(y, 0) = y, a residual of
// 0·x), so the
// numpy reference of the op alone applies. Monarch and BTT, f32 and bf16,
// a dynamic and a 3-D batch; then the same without fusion, and a perturbed
// reference that must fail. The lit test
// Dialect/Structured/Transforms/fuse-pass.mlir checks the loop structure.
//
// RUN: %python -m structured_harness --op monarch --func monarch_act --seed 801 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --func monarch_gate_dynamic --batch 37 --seed 802 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt --func btt_residual_3d --seed 803 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --func monarch_act_bf16 --seed 804 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --func monarch_act --seed 801 --pipeline=--structured-to-cpu-pipeline=fuse=false --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: env STRUCTURED_HARNESS_PERTURB=1 not %python -m structured_harness --op monarch --func monarch_act --seed 801 --shared-libs %mlir_runner_utils %s | FileCheck %s --check-prefix=PERTURBED
// CHECK: PASS
// PERTURBED: FAIL

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

func.func @monarch_act(%x: tensor<96x64xf32>, %w1: tensor<8x8x8xf32>, %w2: tensor<8x8x8xf32>, %init: tensor<96x64xf32>) -> tensor<96x64xf32> {
  %e = tensor.empty() : tensor<96x64xf32>
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<96x64xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>) outs(%e : tensor<96x64xf32>) -> tensor<96x64xf32>
  %z = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<96x64xf32>) outs(%init : tensor<96x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %pos = arith.maximumf %a, %zero : f32
    %neg = arith.minimumf %a, %zero : f32
    %s = arith.addf %pos, %neg : f32
    linalg.yield %s : f32
  } -> tensor<96x64xf32>
  return %z : tensor<96x64xf32>
}

func.func @monarch_gate_dynamic(%x: tensor<?x48xf32>, %w1: tensor<6x8x8xf32>, %w2: tensor<8x5x6xf32>, %init: tensor<?x40xf32>) -> tensor<?x40xf32> {
  %c0 = arith.constant 0 : index
  %two = arith.constant 2.0 : f32
  %half = arith.constant 0.5 : f32
  %b = tensor.dim %x, %c0 : tensor<?x48xf32>
  %ex = tensor.empty(%b) : tensor<?x48xf32>
  %ey = tensor.empty(%b) : tensor<?x40xf32>
  %g = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x48xf32>) outs(%ex : tensor<?x48xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %two : f32
    linalg.yield %m : f32
  } -> tensor<?x48xf32>
  %y = structured.monarch ins(%g, %w1, %w2 : tensor<?x48xf32>, tensor<6x8x8xf32>, tensor<8x5x6xf32>) outs(%ey : tensor<?x40xf32>) -> tensor<?x40xf32>
  %z = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<?x40xf32>) outs(%init : tensor<?x40xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %half : f32
    linalg.yield %m : f32
  } -> tensor<?x40xf32>
  return %z : tensor<?x40xf32>
}

func.func @btt_residual_3d(%x: tensor<3x20x32xf32>, %w1: tensor<4x3x8x8xf32>, %w2: tensor<8x4x4x3xf32>, %init: tensor<3x20x32xf32>) -> tensor<3x20x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x20x32xf32>
  %y = structured.btt ins(%x, %w1, %w2 : tensor<3x20x32xf32>, tensor<4x3x8x8xf32>, tensor<8x4x4x3xf32>) outs(%e : tensor<3x20x32xf32>) -> tensor<3x20x32xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%y, %x : tensor<3x20x32xf32>, tensor<3x20x32xf32>) outs(%init : tensor<3x20x32xf32>) {
  ^bb0(%a: f32, %v: f32, %o: f32):
    %m = arith.mulf %v, %zero : f32
    %s = arith.addf %a, %m : f32
    linalg.yield %s : f32
  } -> tensor<3x20x32xf32>
  return %r : tensor<3x20x32xf32>
}

func.func @monarch_act_bf16(%x: tensor<64x64xbf16>, %w1: tensor<8x8x8xbf16>, %w2: tensor<8x8x8xbf16>, %init: tensor<64x64xbf16>) -> tensor<64x64xbf16> {
  %e = tensor.empty() : tensor<64x64xbf16>
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<64x64xbf16>, tensor<8x8x8xbf16>, tensor<8x8x8xbf16>) outs(%e : tensor<64x64xbf16>) -> tensor<64x64xbf16>
  %z = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<64x64xbf16>) outs(%init : tensor<64x64xbf16>) {
  ^bb0(%a: bf16, %o: bf16):
    %zero = arith.constant 0.0 : bf16
    %pos = arith.maximumf %a, %zero : bf16
    %neg = arith.minimumf %a, %zero : bf16
    %s = arith.addf %pos, %neg : bf16
    linalg.yield %s : bf16
  } -> tensor<64x64xbf16>
  return %z : tensor<64x64xbf16>
}
