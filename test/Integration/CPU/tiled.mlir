// Tiled execution: --pipeline runs struct-opt steps before the CPU pipeline.
// (a) Tiling of structured.monarch / structured.btt through their
//     TilingInterface: batch by 3 (partial last tile), output blocks by 2.
// (b) --structured-decompose, then every linalg.generic tiled along its batch
//     dimension by 3, then the CPU pipeline.
//
// RUN: struct-opt --transform-preload-library=transform-library-paths=%S/Inputs/tile-structured.mlir --transform-interpreter %s | FileCheck %s --check-prefix=TILED
// RUN: struct-opt --structured-decompose --transform-preload-library=transform-library-paths=%S/Inputs/tile-decomposed.mlir --transform-interpreter %s | FileCheck %s --check-prefix=DECOMP
// RUN: %python -m structured_harness --op monarch --seed 701 --pipeline="--transform-preload-library=transform-library-paths=%S/Inputs/tile-structured.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --func dynamic --batch 7 --seed 702 --pipeline="--transform-preload-library=transform-library-paths=%S/Inputs/tile-structured.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt --func btt --seed 703 --pipeline="--transform-preload-library=transform-library-paths=%S/Inputs/tile-structured.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op monarch --seed 704 --pipeline="--structured-decompose --transform-preload-library=transform-library-paths=%S/Inputs/tile-decomposed.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt --func btt --seed 705 --pipeline="--structured-decompose --transform-preload-library=transform-library-paths=%S/Inputs/tile-decomposed.mlir --transform-interpreter" --pipeline=--structured-to-cpu-pipeline --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

// DECOMP-LABEL: func.func @layer
// DECOMP-NOT:     structured.
// DECOMP:         scf.for
// DECOMP:           linalg.generic {{.*}} ins(%{{.*}} : tensor<?x8x8xf32>, tensor<8x8x8xf32>)

// TILED-LABEL: func.func @layer
// TILED:         scf.for
// TILED:           scf.for
// TILED:             structured.monarch ins(%{{.*}} : tensor<?x64xf32>, tensor<8x8x8xf32>, tensor<8x2x8xf32>) outs(%{{.*}} : tensor<?x16xf32>)
// TILED-LABEL: func.func @dynamic
// TILED:             structured.monarch ins(%{{.*}} : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x2x4xf32>) outs(%{{.*}} : tensor<?x8xf32>)
// TILED-LABEL: func.func @btt
// TILED:             structured.btt ins(%{{.*}} : tensor<?x64xf32>, tensor<8x3x8x8xf32>, tensor<8x2x8x3xf32>) outs(%{{.*}} : tensor<?x16xf32>)

// Monarch n = 64, 8 blocks of 8×8, batch 8.
func.func @layer(%x: tensor<8x64xf32>, %w1: tensor<8x8x8xf32>, %w2: tensor<8x8x8xf32>,
                 %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x64xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>)
                          outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// Monarch n = 16, 4 blocks of 4×4, dynamic batch.
func.func @dynamic(%x: tensor<?x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>,
                   %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>)
                          outs(%init : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// BTT of rank 3, n = 64, 8 blocks of 8×8, batch 8.
func.func @btt(%x: tensor<8x64xf32>, %w1: tensor<8x3x8x8xf32>, %w2: tensor<8x8x8x3xf32>,
               %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x64xf32>, tensor<8x3x8x8xf32>, tensor<8x8x8x3xf32>)
                      outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
