// bf16 BTT of rank 2 (exact inputs; one rounding to bf16 at the end).
// RUN: %python -m structured_harness --op btt --seed 141 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<8x64xbf16>, %w1: tensor<8x2x8x8xbf16>, %w2: tensor<8x8x8x2xbf16>,
                 %init: tensor<8x64xbf16>) -> tensor<8x64xbf16> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x64xbf16>, tensor<8x2x8x8xbf16>, tensor<8x8x8x2xbf16>)
                          outs(%init : tensor<8x64xbf16>) -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}
