// structured.causal_conv against np.fft (the product of the zero-padded
// polynomials, truncated to L), through the fast lowering (Monarch-factored
// DFTs) and through the direct O(L^2) sum: odd, prime and power-of-two
// lengths, L = 1, L = 1000, several batch ranks, dynamic batches, f16/bf16
// (computed in f32, one rounding at the end) and the memref form.
//
// RUN: %python -m structured_harness --op causal_conv --func conv_4x16 --seed 1 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_odd --seed 2 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_prime --seed 3 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_l1 --seed 4 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_l1000 --seed 5 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_batch_3d --seed 6 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_dynamic --batch 2x3 --seed 7 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_bf16 --seed 8 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_f16 --seed 9 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_memref --batch 3 --seed 10 --shared-libs %mlir_runner_utils %s | FileCheck %s
//
// The direct lowering on the same functions.
// RUN: %python -m structured_harness --op causal_conv --func conv_odd --seed 2 --pipeline=--structured-to-cpu-pipeline=causal-conv=direct --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_prime --seed 3 --pipeline=--structured-to-cpu-pipeline=causal-conv=direct --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_l1 --seed 4 --pipeline=--structured-to-cpu-pipeline=causal-conv=direct --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_dynamic --batch 2x3 --seed 7 --pipeline=--structured-to-cpu-pipeline=causal-conv=direct --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_bf16 --seed 8 --pipeline=--structured-to-cpu-pipeline=causal-conv=direct --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op causal_conv --func conv_memref --batch 3 --seed 10 --pipeline=--structured-to-cpu-pipeline=causal-conv=direct --shared-libs %mlir_runner_utils %s | FileCheck %s
//
// Property: the fast and the direct lowerings agree (besides both matching
// np.fft).
// RUN: %python -m structured_harness --op causal_conv --func conv_prime --seed 11 --compare-with=--structured-to-cpu-pipeline=causal-conv=direct --shared-libs %mlir_runner_utils %s | FileCheck %s --check-prefix=SAME
// RUN: %python -m structured_harness --op causal_conv --func conv_l1000 --seed 12 --compare-with=--structured-to-cpu-pipeline=causal-conv=direct --shared-libs %mlir_runner_utils %s | FileCheck %s --check-prefix=SAME
// RUN: %python -m structured_harness --op causal_conv --func conv_f16 --seed 13 --compare-with=--structured-to-cpu-pipeline=causal-conv=direct --shared-libs %mlir_runner_utils %s | FileCheck %s --check-prefix=SAME
// SAME: PASS {{.*}} (== --structured-to-cpu-pipeline=causal-conv=direct)
//
// The check itself can fail: a reference moved by four tolerances.
// RUN: env STRUCTURED_HARNESS_PERTURB=1 not %python -m structured_harness --op causal_conv --func conv_l1000 --seed 5 --shared-libs %mlir_runner_utils %s | FileCheck %s --check-prefix=FAIL
// RUN: env STRUCTURED_HARNESS_PERTURB=1 not %python -m structured_harness --op causal_conv --func conv_bf16 --seed 8 --shared-libs %mlir_runner_utils %s | FileCheck %s --check-prefix=FAIL
// CHECK: PASS
// FAIL: FAIL {{.*}} elements out of tolerance

func.func @conv_4x16(%u: tensor<2x4x16xf32>, %k: tensor<4x16xf32>, %init: tensor<2x4x16xf32>) -> tensor<2x4x16xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<2x4x16xf32>, tensor<4x16xf32>) outs(%init : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  return %y : tensor<2x4x16xf32>
}

func.func @conv_odd(%u: tensor<3x5x21xf32>, %k: tensor<5x21xf32>, %init: tensor<3x5x21xf32>) -> tensor<3x5x21xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<3x5x21xf32>, tensor<5x21xf32>) outs(%init : tensor<3x5x21xf32>) -> tensor<3x5x21xf32>
  return %y : tensor<3x5x21xf32>
}

func.func @conv_prime(%u: tensor<2x3x97xf32>, %k: tensor<3x97xf32>, %init: tensor<2x3x97xf32>) -> tensor<2x3x97xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<2x3x97xf32>, tensor<3x97xf32>) outs(%init : tensor<2x3x97xf32>) -> tensor<2x3x97xf32>
  return %y : tensor<2x3x97xf32>
}

func.func @conv_l1(%u: tensor<4x3x1xf32>, %k: tensor<3x1xf32>, %init: tensor<4x3x1xf32>) -> tensor<4x3x1xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<4x3x1xf32>, tensor<3x1xf32>) outs(%init : tensor<4x3x1xf32>) -> tensor<4x3x1xf32>
  return %y : tensor<4x3x1xf32>
}

func.func @conv_l1000(%u: tensor<2x2x1000xf32>, %k: tensor<2x1000xf32>, %init: tensor<2x2x1000xf32>) -> tensor<2x2x1000xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<2x2x1000xf32>, tensor<2x1000xf32>) outs(%init : tensor<2x2x1000xf32>) -> tensor<2x2x1000xf32>
  return %y : tensor<2x2x1000xf32>
}

func.func @conv_batch_3d(%u: tensor<2x3x2x4x12xf32>, %k: tensor<4x12xf32>, %init: tensor<2x3x2x4x12xf32>) -> tensor<2x3x2x4x12xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<2x3x2x4x12xf32>, tensor<4x12xf32>) outs(%init : tensor<2x3x2x4x12xf32>) -> tensor<2x3x2x4x12xf32>
  return %y : tensor<2x3x2x4x12xf32>
}

func.func @conv_dynamic(%u: tensor<?x?x3x13xf32>, %k: tensor<3x13xf32>, %init: tensor<?x?x3x13xf32>) -> tensor<?x?x3x13xf32> {
  %y = structured.causal_conv ins(%u, %k : tensor<?x?x3x13xf32>, tensor<3x13xf32>) outs(%init : tensor<?x?x3x13xf32>) -> tensor<?x?x3x13xf32>
  return %y : tensor<?x?x3x13xf32>
}

func.func @conv_bf16(%u: tensor<2x3x37xbf16>, %k: tensor<3x37xbf16>, %init: tensor<2x3x37xbf16>) -> tensor<2x3x37xbf16> {
  %y = structured.causal_conv ins(%u, %k : tensor<2x3x37xbf16>, tensor<3x37xbf16>) outs(%init : tensor<2x3x37xbf16>) -> tensor<2x3x37xbf16>
  return %y : tensor<2x3x37xbf16>
}

func.func @conv_f16(%u: tensor<3x2x64xf16>, %k: tensor<2x64xf16>, %init: tensor<3x2x64xf16>) -> tensor<3x2x64xf16> {
  %y = structured.causal_conv ins(%u, %k : tensor<3x2x64xf16>, tensor<2x64xf16>) outs(%init : tensor<3x2x64xf16>) -> tensor<3x2x64xf16>
  return %y : tensor<3x2x64xf16>
}

func.func @conv_memref(%u: memref<?x4x19xf32>, %k: memref<4x19xf32>, %init: memref<?x4x19xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x4x19xf32>, memref<4x19xf32>) outs(%init : memref<?x4x19xf32>)
  return
}
