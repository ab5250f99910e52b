// structured.blockdiag on bf16 and f16 (accumulation in f32; inputs exact).
// RUN: %python -m structured_harness --op blockdiag --func bf16 --seed 211 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op blockdiag --func f16 --batch 5 --seed 212 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @bf16(%x: tensor<8x64xbf16>, %w: tensor<4x8x16xbf16>, %init: tensor<8x32xbf16>) -> tensor<8x32xbf16> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x64xbf16>, tensor<4x8x16xbf16>)
                            outs(%init : tensor<8x32xbf16>) -> tensor<8x32xbf16>
  return %y : tensor<8x32xbf16>
}

func.func @f16(%x: tensor<?x21xf16>, %w: tensor<3x5x7xf16>, %init: tensor<?x15xf16>) -> tensor<?x15xf16> {
  %y = structured.blockdiag ins(%x, %w : tensor<?x21xf16>, tensor<3x5x7xf16>)
                            outs(%init : tensor<?x15xf16>) -> tensor<?x15xf16>
  return %y : tensor<?x15xf16>
}
