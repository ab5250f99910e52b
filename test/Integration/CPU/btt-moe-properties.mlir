// Property tests of structured.btt_moe (--property; the harness checks each
// identity in numpy first, then compares the compiled btt_moe with the other
// side of it):
// (a) all-experts: K = R, idx[b] = [0..R-1] in every row and gates constant
//     across rows (gate[b, κ] = g_κ): btt_moe equals btt with w2[..., ρ]
//     scaled by g_ρ; the compiled result is compared with the numpy btt
//     reference (ref_btt) on the folded weights. all-experts-shuffled: the
//     same with the experts in a random order in each row (gate[b, κ] =
//     g_idx[b,κ]).
// (b) duplicate: in every row one expert is selected twice, with gates g1 and
//     g2; the result equals that expert selected once with gate g1 + g2 (the
//     compiled K-expert result against the reference with K - 1 experts).
//
// RUN: %python -m structured_harness --op btt_moe --property all-experts --func all_experts --seed 951 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --property all-experts-shuffled --func all_experts --seed 952 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --property all-experts --func all_experts_rect_dynamic --batch 2x3 --seed 953 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --property all-experts --func all_experts_bf16 --seed 954 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --property duplicate --func duplicate_k2 --seed 955 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --property duplicate --func duplicate_k3_rect --batch 6 --seed 956 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --property duplicate --func duplicate_bf16 --seed 957 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --property duplicate --func all_experts --seed 958 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS {{.*}} (property

// R = K = 8, n = 64.
func.func @all_experts(%x: tensor<8x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                       %idx: tensor<8x8xi32>, %gate: tensor<8x8xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<8x8xi32>, tensor<8x8xf32>)
                          outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// R = K = 3, 24 -> 15, dynamic 2-D batch, i64 indices.
func.func @all_experts_rect_dynamic(%x: tensor<?x?x24xf32>, %w1: tensor<4x3x3x6xf32>, %w2: tensor<3x5x4x3xf32>,
                                    %idx: tensor<?x?x3xi64>, %gate: tensor<?x?x3xf32>, %init: tensor<?x?x15xf32>) -> tensor<?x?x15xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<?x?x24xf32>, tensor<4x3x3x6xf32>, tensor<3x5x4x3xf32>, tensor<?x?x3xi64>, tensor<?x?x3xf32>)
                          outs(%init : tensor<?x?x15xf32>) -> tensor<?x?x15xf32>
  return %y : tensor<?x?x15xf32>
}

// R = K = 4, n = 32, bf16 (exact inputs and gates; one rounding at the end).
func.func @all_experts_bf16(%x: tensor<8x32xbf16>, %w1: tensor<4x4x8x8xbf16>, %w2: tensor<8x4x4x4xbf16>,
                            %idx: tensor<8x4xi32>, %gate: tensor<8x4xbf16>, %init: tensor<8x32xbf16>) -> tensor<8x32xbf16> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x32xbf16>, tensor<4x4x8x8xbf16>, tensor<8x4x4x4xbf16>, tensor<8x4xi32>, tensor<8x4xbf16>)
                          outs(%init : tensor<8x32xbf16>) -> tensor<8x32xbf16>
  return %y : tensor<8x32xbf16>
}

// R = 8, K = 2: every row selects one expert twice.
func.func @duplicate_k2(%x: tensor<16x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                        %idx: tensor<16x2xi32>, %gate: tensor<16x2xf32>, %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<16x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<16x2xi32>, tensor<16x2xf32>)
                          outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// R = 8, K = 3, 24 -> 15, dynamic batch, i64 indices.
func.func @duplicate_k3_rect(%x: tensor<?x24xf32>, %w1: tensor<4x8x3x6xf32>, %w2: tensor<3x5x4x8xf32>,
                             %idx: tensor<?x3xi64>, %gate: tensor<?x3xf32>, %init: tensor<?x15xf32>) -> tensor<?x15xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<?x24xf32>, tensor<4x8x3x6xf32>, tensor<3x5x4x8xf32>, tensor<?x3xi64>, tensor<?x3xf32>)
                          outs(%init : tensor<?x15xf32>) -> tensor<?x15xf32>
  return %y : tensor<?x15xf32>
}

// R = 8, K = 2, bf16, n = 32 (k = l = 8 blocks of 4×4).
func.func @duplicate_bf16(%x: tensor<8x32xbf16>, %w1: tensor<8x8x4x4xbf16>, %w2: tensor<8x4x4x8xbf16>,
                          %idx: tensor<8x2xi32>, %gate: tensor<8x2xbf16>, %init: tensor<8x32xbf16>) -> tensor<8x32xbf16> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x32xbf16>, tensor<8x8x4x4xbf16>, tensor<8x4x4x8xbf16>, tensor<8x2xi32>, tensor<8x2xbf16>)
                          outs(%init : tensor<8x32xbf16>) -> tensor<8x32xbf16>
  return %y : tensor<8x32xbf16>
}
