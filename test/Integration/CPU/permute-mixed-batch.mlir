// A permute whose input has a dynamic batch and whose destination has a
// static one (and the converse); the decomposition casts between the two.
// RUN: %python -m structured_harness --op permute --func dynamic_in --batch 8 --seed 601 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op permute --func dynamic_out --batch 5 --seed 602 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @dynamic_in(%x: tensor<?x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  %y = structured.permute ins(%x : tensor<?x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

func.func @dynamic_out(%x: tensor<5x20xf32>, %init: tensor<?x20xf32>) -> tensor<?x20xf32> {
  %y = structured.permute ins(%x : tensor<5x20xf32>) outs(%init : tensor<?x20xf32>) {rows = 4, cols = 5} -> tensor<?x20xf32>
  return %y : tensor<?x20xf32>
}
