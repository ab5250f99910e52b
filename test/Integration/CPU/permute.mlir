// structured.permute on its own, y[b, c·rows + r] = x[b, r·cols + c]:
// rows = cols, both rectangular orientations, non-powers of two, the
// degenerate rows = 1, a 3-D batch, a dynamic batch and bf16.
// RUN: %python -m structured_harness --op permute --func layer --seed 301 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func r2c3 --seed 302 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func r3c2 --seed 303 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func r5c7 --seed 304 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func r1c8 --seed 305 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func r8c1 --seed 306 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func batch_3d --seed 307 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func dynamic --batch 1 --seed 308 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func dynamic --batch 9 --seed 309 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func bf16 --seed 310 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<4x16xf32>, %init: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = structured.permute ins(%x : tensor<4x16xf32>) outs(%init : tensor<4x16xf32>) {rows = 4 : i64, cols = 4 : i64} -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

func.func @r2c3(%x: tensor<4x6xf32>, %init: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %y = structured.permute ins(%x : tensor<4x6xf32>) outs(%init : tensor<4x6xf32>) {rows = 2 : i64, cols = 3 : i64} -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}

func.func @r3c2(%x: tensor<4x6xf32>, %init: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %y = structured.permute ins(%x : tensor<4x6xf32>) outs(%init : tensor<4x6xf32>) {rows = 3 : i64, cols = 2 : i64} -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}

func.func @r5c7(%x: tensor<3x35xf32>, %init: tensor<3x35xf32>) -> tensor<3x35xf32> {
  %y = structured.permute ins(%x : tensor<3x35xf32>) outs(%init : tensor<3x35xf32>) {rows = 5 : i64, cols = 7 : i64} -> tensor<3x35xf32>
  return %y : tensor<3x35xf32>
}

func.func @r1c8(%x: tensor<2x8xf32>, %init: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %y = structured.permute ins(%x : tensor<2x8xf32>) outs(%init : tensor<2x8xf32>) {rows = 1 : i64, cols = 8 : i64} -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

func.func @r8c1(%x: tensor<2x8xf32>, %init: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %y = structured.permute ins(%x : tensor<2x8xf32>) outs(%init : tensor<2x8xf32>) {rows = 8 : i64, cols = 1 : i64} -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

func.func @batch_3d(%x: tensor<2x3x12xf32>, %init: tensor<2x3x12xf32>) -> tensor<2x3x12xf32> {
  %y = structured.permute ins(%x : tensor<2x3x12xf32>) outs(%init : tensor<2x3x12xf32>) {rows = 3 : i64, cols = 4 : i64} -> tensor<2x3x12xf32>
  return %y : tensor<2x3x12xf32>
}

func.func @dynamic(%x: tensor<?x20xf32>, %init: tensor<?x20xf32>) -> tensor<?x20xf32> {
  %y = structured.permute ins(%x : tensor<?x20xf32>) outs(%init : tensor<?x20xf32>) {rows = 4 : i64, cols = 5 : i64} -> tensor<?x20xf32>
  return %y : tensor<?x20xf32>
}

func.func @bf16(%x: tensor<4x24xbf16>, %init: tensor<4x24xbf16>) -> tensor<4x24xbf16> {
  %y = structured.permute ins(%x : tensor<4x24xbf16>) outs(%init : tensor<4x24xbf16>) {rows = 6 : i64, cols = 4 : i64} -> tensor<4x24xbf16>
  return %y : tensor<4x24xbf16>
}
