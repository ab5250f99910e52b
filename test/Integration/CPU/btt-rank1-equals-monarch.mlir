// Property: a rank-1 BTT is the Monarch map of the same weights with the rank
// dimension dropped (w1 k×1×q×p ≡ k×q×p, w2 l×s×r×1 ≡ l×s×r). The harness
// checks it in numpy (BTT reference == Monarch reference) and compares the
// compiled BTT with the Monarch reference, both with the canonicalizer that
// rewrites it into structured.monarch and without it (BTT decomposition).
//
// RUN: struct-opt --canonicalize %s | FileCheck %s --check-prefix=CANON
// RUN: %python -m structured_harness --op btt --reference monarch --seed 601 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt --reference monarch --seed 602 --pipeline=--structured-to-cpu-pipeline=canonicalize-structured=false --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt --reference monarch --func rect --batch 3 --seed 603 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt --reference monarch --func rect --batch 7 --seed 604 --pipeline=--structured-to-cpu-pipeline=canonicalize-structured=false --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

// CANON-LABEL: func.func @layer
// CANON-NOT:     structured.btt
// CANON:         structured.monarch ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x64xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>)
// CANON-LABEL: func.func @rect
// CANON-NOT:     structured.btt
// CANON:         structured.monarch ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x21xf32>, tensor<3x5x7xf32>, tensor<5x11x3xf32>)

// Square, n = 64 with 8 blocks of 8×8.
func.func @layer(%x: tensor<8x64xf32>, %w1: tensor<8x1x8x8xf32>, %w2: tensor<8x8x8x1xf32>,
                 %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x64xf32>, tensor<8x1x8x8xf32>, tensor<8x8x8x1xf32>)
                      outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// Rectangular 21 → 55 (k=3, q=5, p=7; l=5, s=11, r=3), dynamic batch.
func.func @rect(%x: tensor<?x21xf32>, %w1: tensor<3x1x5x7xf32>, %w2: tensor<5x11x3x1xf32>,
                %init: tensor<?x55xf32>) -> tensor<?x55xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<?x21xf32>, tensor<3x1x5x7xf32>, tensor<5x11x3x1xf32>)
                      outs(%init : tensor<?x55xf32>) -> tensor<?x55xf32>
  return %y : tensor<?x55xf32>
}
