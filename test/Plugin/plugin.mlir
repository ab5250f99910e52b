// Upstream mlir-opt loads the dialect and the passes from the plugin. Pass
// plugins are loaded after the command line is parsed, so passes are named in
// --pass-pipeline rather than as flags.
// RUN: mlir-opt %s --load-dialect-plugin=%structured_plugin --load-pass-plugin=%structured_plugin \
// RUN:   | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: mlir-opt %s --load-dialect-plugin=%structured_plugin --load-pass-plugin=%structured_plugin \
// RUN:   --pass-pipeline="builtin.module(func.func(structured-decompose))" | FileCheck %s --check-prefix=DECOMPOSE
// RUN: mlir-opt %s --load-dialect-plugin=%structured_plugin --load-pass-plugin=%structured_plugin \
// RUN:   --pass-pipeline="builtin.module(structured-to-cpu-pipeline)" | FileCheck %s --check-prefix=LLVM

// ROUNDTRIP-LABEL: func.func @layer
// ROUNDTRIP: structured.monarch ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%{{.*}} : tensor<8x16xf32>) -> tensor<8x16xf32>

// DECOMPOSE-LABEL: func.func @layer
// DECOMPOSE-NOT: structured.
// DECOMPOSE-COUNT-2: linalg.generic

// LLVM: llvm.func @layer
// LLVM-NOT: structured.
func.func @layer(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>,
                 %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>)
                          outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}
