// f16 Monarch, square n = 64 (8 blocks of 8×8), dynamic batch.
// RUN: %python -m structured_harness --op monarch --batch 6 --seed 92 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<?x64xf16>, %w1: tensor<8x8x8xf16>, %w2: tensor<8x8x8xf16>,
                 %init: tensor<?x64xf16>) -> tensor<?x64xf16> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x64xf16>, tensor<8x8x8xf16>, tensor<8x8x8xf16>)
                          outs(%init : tensor<?x64xf16>) -> tensor<?x64xf16>
  return %y : tensor<?x64xf16>
}
