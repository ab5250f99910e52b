// structured.btt_moe against the float64 reference ref_btt_moe (written from
// the formulas of DESIGN.md §1, independent of ref_btt). R = 8 experts unless
// stated otherwise; idx is random in [0, R) (repeats within a row included),
// gates random.
//
// Square n = 64 (k = l = 8 blocks of 8×8, R = 8), K = 1, 2 and 8:
// RUN: %python -m structured_harness --op btt_moe --func square_k1 --seed 901 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func square_k2 --seed 902 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func square_k8 --seed 903 --shared-libs %mlir_runner_utils %s | FileCheck %s
// Rectangular (shrink 24 -> 15, expand 12 -> 28):
// RUN: %python -m structured_harness --op btt_moe --func rect_shrink --seed 904 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func rect_expand --seed 905 --shared-libs %mlir_runner_utils %s | FileCheck %s
// Batch 2×3 (3-D operands), static and dynamic:
// RUN: %python -m structured_harness --op btt_moe --func batch_3d --seed 906 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func dynamic_3d --batch 2x3 --seed 907 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func dynamic_3d --batch 1x5 --seed 908 --shared-libs %mlir_runner_utils %s | FileCheck %s
// Dynamic batch (x, idx, gate and init ?; sizes 7, 1 and 0), and a batch that
// is dynamic in some operands and static in others:
// RUN: %python -m structured_harness --op btt_moe --func dynamic --batch 7 --seed 909 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func dynamic --batch 1 --seed 910 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func dynamic --batch 0 --seed 925 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func memref_dynamic --batch 2x0 --seed 926 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func mixed_static_dynamic --batch 5 --seed 911 --shared-libs %mlir_runner_utils %s | FileCheck %s
// i64 indices:
// RUN: %python -m structured_harness --op btt_moe --func idx_i64 --seed 912 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func idx_i64_dynamic --batch 6 --seed 913 --shared-libs %mlir_runner_utils %s | FileCheck %s
// Low precision (exact inputs; one rounding at the end), and gates whose type
// differs from x:
// RUN: %python -m structured_harness --op btt_moe --func bf16 --seed 914 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func f16 --seed 915 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func bf16_f32_gate --seed 916 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func f32_bf16_gate --seed 917 --shared-libs %mlir_runner_utils %s | FileCheck %s
// Memref form (@layer writes into init):
// RUN: %python -m structured_harness --op btt_moe --func memref --seed 918 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func memref_dynamic --batch 2x3 --seed 919 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func memref_bf16_i64 --seed 920 --shared-libs %mlir_runner_utils %s | FileCheck %s
// A single expert (R = 1), selected three times:
// RUN: %python -m structured_harness --op btt_moe --func one_expert --seed 921 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @square_k1(%x: tensor<16x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                     %idx: tensor<16x1xi32>, %gate: tensor<16x1xf32>, %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<16x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<16x1xi32>, tensor<16x1xf32>)
                          outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

func.func @square_k2(%x: tensor<16x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                     %idx: tensor<16x2xi32>, %gate: tensor<16x2xf32>, %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<16x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<16x2xi32>, tensor<16x2xf32>)
                          outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

func.func @square_k8(%x: tensor<16x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                     %idx: tensor<16x8xi32>, %gate: tensor<16x8xf32>, %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<16x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<16x8xi32>, tensor<16x8xf32>)
                          outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// k=4, q=3, p=6 (n = 24, k·q = 12), l=3, r=4, s=5 (out 15).
func.func @rect_shrink(%x: tensor<6x24xf32>, %w1: tensor<4x8x3x6xf32>, %w2: tensor<3x5x4x8xf32>,
                       %idx: tensor<6x2xi32>, %gate: tensor<6x2xf32>, %init: tensor<6x15xf32>) -> tensor<6x15xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<6x24xf32>, tensor<4x8x3x6xf32>, tensor<3x5x4x8xf32>, tensor<6x2xi32>, tensor<6x2xf32>)
                          outs(%init : tensor<6x15xf32>) -> tensor<6x15xf32>
  return %y : tensor<6x15xf32>
}

// k=3, q=4, p=4 (n = 12, k·q = 12), l=4, r=3, s=7 (out 28), K = 3.
func.func @rect_expand(%x: tensor<5x12xf32>, %w1: tensor<3x8x4x4xf32>, %w2: tensor<4x7x3x8xf32>,
                       %idx: tensor<5x3xi32>, %gate: tensor<5x3xf32>, %init: tensor<5x28xf32>) -> tensor<5x28xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<5x12xf32>, tensor<3x8x4x4xf32>, tensor<4x7x3x8xf32>, tensor<5x3xi32>, tensor<5x3xf32>)
                          outs(%init : tensor<5x28xf32>) -> tensor<5x28xf32>
  return %y : tensor<5x28xf32>
}

func.func @batch_3d(%x: tensor<2x3x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                    %idx: tensor<2x3x2xi32>, %gate: tensor<2x3x2xf32>, %init: tensor<2x3x64xf32>) -> tensor<2x3x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<2x3x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<2x3x2xi32>, tensor<2x3x2xf32>)
                          outs(%init : tensor<2x3x64xf32>) -> tensor<2x3x64xf32>
  return %y : tensor<2x3x64xf32>
}

func.func @dynamic_3d(%x: tensor<?x?x24xf32>, %w1: tensor<4x8x3x6xf32>, %w2: tensor<3x5x4x8xf32>,
                      %idx: tensor<?x?x3xi32>, %gate: tensor<?x?x3xf32>, %init: tensor<?x?x15xf32>) -> tensor<?x?x15xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<?x?x24xf32>, tensor<4x8x3x6xf32>, tensor<3x5x4x8xf32>, tensor<?x?x3xi32>, tensor<?x?x3xf32>)
                          outs(%init : tensor<?x?x15xf32>) -> tensor<?x?x15xf32>
  return %y : tensor<?x?x15xf32>
}

func.func @dynamic(%x: tensor<?x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                   %idx: tensor<?x2xi32>, %gate: tensor<?x2xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<?x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<?x2xi32>, tensor<?x2xf32>)
                          outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// The batch is static in idx only.
func.func @mixed_static_dynamic(%x: tensor<?x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                                %idx: tensor<5x2xi32>, %gate: tensor<?x2xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<?x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<5x2xi32>, tensor<?x2xf32>)
                          outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @idx_i64(%x: tensor<16x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                   %idx: tensor<16x2xi64>, %gate: tensor<16x2xf32>, %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<16x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<16x2xi64>, tensor<16x2xf32>)
                          outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

func.func @idx_i64_dynamic(%x: tensor<?x24xf32>, %w1: tensor<4x8x3x6xf32>, %w2: tensor<3x5x4x8xf32>,
                           %idx: tensor<?x4xi64>, %gate: tensor<?x4xf32>, %init: tensor<?x15xf32>) -> tensor<?x15xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<?x24xf32>, tensor<4x8x3x6xf32>, tensor<3x5x4x8xf32>, tensor<?x4xi64>, tensor<?x4xf32>)
                          outs(%init : tensor<?x15xf32>) -> tensor<?x15xf32>
  return %y : tensor<?x15xf32>
}

func.func @bf16(%x: tensor<8x64xbf16>, %w1: tensor<8x8x8x8xbf16>, %w2: tensor<8x8x8x8xbf16>,
                %idx: tensor<8x2xi32>, %gate: tensor<8x2xbf16>, %init: tensor<8x64xbf16>) -> tensor<8x64xbf16> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x64xbf16>, tensor<8x8x8x8xbf16>, tensor<8x8x8x8xbf16>, tensor<8x2xi32>, tensor<8x2xbf16>)
                          outs(%init : tensor<8x64xbf16>) -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}

func.func @f16(%x: tensor<6x24xf16>, %w1: tensor<4x8x3x6xf16>, %w2: tensor<3x5x4x8xf16>,
               %idx: tensor<6x3xi64>, %gate: tensor<6x3xf16>, %init: tensor<6x15xf16>) -> tensor<6x15xf16> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<6x24xf16>, tensor<4x8x3x6xf16>, tensor<3x5x4x8xf16>, tensor<6x3xi64>, tensor<6x3xf16>)
                          outs(%init : tensor<6x15xf16>) -> tensor<6x15xf16>
  return %y : tensor<6x15xf16>
}

func.func @bf16_f32_gate(%x: tensor<8x64xbf16>, %w1: tensor<8x8x8x8xbf16>, %w2: tensor<8x8x8x8xbf16>,
                         %idx: tensor<8x2xi32>, %gate: tensor<8x2xf32>, %init: tensor<8x64xbf16>) -> tensor<8x64xbf16> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x64xbf16>, tensor<8x8x8x8xbf16>, tensor<8x8x8x8xbf16>, tensor<8x2xi32>, tensor<8x2xf32>)
                          outs(%init : tensor<8x64xbf16>) -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}

func.func @f32_bf16_gate(%x: tensor<8x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                         %idx: tensor<8x2xi32>, %gate: tensor<8x2xbf16>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<8x2xi32>, tensor<8x2xbf16>)
                          outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

func.func @memref(%x: memref<6x64xf32>, %w1: memref<8x8x8x8xf32>, %w2: memref<8x8x8x8xf32>,
                  %idx: memref<6x2xi32>, %gate: memref<6x2xf32>, %init: memref<6x64xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<6x64xf32>, memref<8x8x8x8xf32>, memref<8x8x8x8xf32>, memref<6x2xi32>, memref<6x2xf32>)
                     outs(%init : memref<6x64xf32>)
  return
}

func.func @memref_dynamic(%x: memref<?x?x12xf32>, %w1: memref<3x8x4x4xf32>, %w2: memref<4x7x3x8xf32>,
                          %idx: memref<?x?x3xi32>, %gate: memref<?x?x3xf32>, %init: memref<?x?x28xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x?x12xf32>, memref<3x8x4x4xf32>, memref<4x7x3x8xf32>, memref<?x?x3xi32>, memref<?x?x3xf32>)
                     outs(%init : memref<?x?x28xf32>)
  return
}

func.func @memref_bf16_i64(%x: memref<4x64xbf16>, %w1: memref<8x8x8x8xbf16>, %w2: memref<8x8x8x8xbf16>,
                           %idx: memref<4x2xi64>, %gate: memref<4x2xbf16>, %init: memref<4x64xbf16>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<4x64xbf16>, memref<8x8x8x8xbf16>, memref<8x8x8x8xbf16>, memref<4x2xi64>, memref<4x2xbf16>)
                     outs(%init : memref<4x64xbf16>)
  return
}

func.func @one_expert(%x: tensor<4x16xf32>, %w1: tensor<4x1x4x4xf32>, %w2: tensor<4x4x4x1xf32>,
                      %idx: tensor<4x3xi32>, %gate: tensor<4x3xf32>, %init: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<4x16xf32>, tensor<4x1x4x4xf32>, tensor<4x4x4x1xf32>, tensor<4x3xi32>, tensor<4x3xf32>)
                          outs(%init : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}
