// Tiled structured.btt_moe: --pipeline runs struct-opt steps before the CPU
// pipeline.
// (a) Tiling through the TilingInterface (Inputs/tile-moe.mlir): batch by 3
//     (partial last tile at batch 7 and 8), output blocks by 2; idx and gate
//     are sliced with the batch tile.
// (b) --structured-decompose, then every linalg.generic tiled along its batch
//     dimension by 3 (Inputs/tile-decomposed.mlir).
//
// RUN: struct-opt --transform-preload-library=transform-library-paths=%S/Inputs/tile-moe.mlir --transform-interpreter %s | FileCheck %s --check-prefix=TILED
// RUN: %python -m structured_harness --op btt_moe --func layer --seed 931 --pipeline="--transform-preload-library=transform-library-paths=%S/Inputs/tile-moe.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func dynamic --batch 7 --seed 932 --pipeline="--transform-preload-library=transform-library-paths=%S/Inputs/tile-moe.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func rect --seed 933 --pipeline="--transform-preload-library=transform-library-paths=%S/Inputs/tile-moe.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func layer --seed 934 --pipeline="--structured-decompose --transform-preload-library=transform-library-paths=%S/Inputs/tile-decomposed.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt_moe --func dynamic --batch 7 --seed 935 --pipeline="--structured-decompose --transform-preload-library=transform-library-paths=%S/Inputs/tile-decomposed.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

// TILED-LABEL: func.func @layer
// TILED:         scf.for
// TILED:           scf.for
// TILED:             structured.btt_moe ins(%{{.*}} : tensor<?x64xf32>, tensor<8x8x8x8xf32>, tensor<8x2x8x8xf32>, tensor<?x2xi32>, tensor<?x2xf32>) outs(%{{.*}} : tensor<?x16xf32>)
// TILED-LABEL: func.func @dynamic
// TILED:             structured.btt_moe ins(%{{.*}} : tensor<?x64xf32>, tensor<8x8x8x8xf32>, tensor<8x2x8x8xf32>, tensor<?x8xi32>, tensor<?x8xf32>) outs(%{{.*}} : tensor<?x16xf32>)
// TILED-LABEL: func.func @rect
// TILED:             structured.btt_moe ins(%{{.*}} : tensor<?x24xf32>, tensor<4x8x3x6xf32>, tensor<3x2x4x8xf32>, tensor<?x3xi64>, tensor<?x3xf32>) outs(%{{.*}} : tensor<?x6xf32>)

// n = 64, R = 8, K = 2, batch 8 (tiles 3, 3, 2).
func.func @layer(%x: tensor<8x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                 %idx: tensor<8x2xi32>, %gate: tensor<8x2xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<8x2xi32>, tensor<8x2xf32>)
                          outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// Dynamic batch, K = R = 8.
func.func @dynamic(%x: tensor<?x64xf32>, %w1: tensor<8x8x8x8xf32>, %w2: tensor<8x8x8x8xf32>,
                   %idx: tensor<?x8xi32>, %gate: tensor<?x8xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<?x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<?x8xi32>, tensor<?x8xf32>)
                          outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// k=4, q=3, p=6, l=3, r=4, s=6 (24 -> 18), K = 3, i64 indices.
func.func @rect(%x: tensor<7x24xf32>, %w1: tensor<4x8x3x6xf32>, %w2: tensor<3x6x4x8xf32>,
                %idx: tensor<7x3xi64>, %gate: tensor<7x3xf32>, %init: tensor<7x18xf32>) -> tensor<7x18xf32> {
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<7x24xf32>, tensor<4x8x3x6xf32>, tensor<3x6x4x8xf32>, tensor<7x3xi64>, tensor<7x3xf32>)
                          outs(%init : tensor<7x18xf32>) -> tensor<7x18xf32>
  return %y : tensor<7x18xf32>
}
