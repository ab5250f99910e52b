// A Monarch layer of width 1024 (32 blocks of 32×32 in each factor) applied
// to a batch of 256 vectors. scripts/demo.sh compiles it with
// `struct-opt --structured-to-cpu-pipeline`, runs it under mlir-runner and
// checks it against numpy.
func.func @layer(%x: tensor<256x1024xf32>, %w1: tensor<32x32x32xf32>,
                 %w2: tensor<32x32x32xf32>, %init: tensor<256x1024xf32>)
    -> tensor<256x1024xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<256x1024xf32>, tensor<32x32x32xf32>, tensor<32x32x32xf32>)
                          outs(%init : tensor<256x1024xf32>) -> tensor<256x1024xf32>
  return %y : tensor<256x1024xf32>
}
