func.func @layer(%x: memref<?x4096xf32>, %w1: memref<64x64x64xf32>, %w2: memref<64x64x64xf32>, %y: memref<?x4096xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x4096xf32>, memref<64x64x64xf32>, memref<64x64x64xf32>) outs(%y : memref<?x4096xf32>)
  return
}
