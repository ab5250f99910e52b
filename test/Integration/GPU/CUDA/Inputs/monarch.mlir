func.func @layer(%x: memref<?x64xf32>, %w1: memref<8x8x8xf32>, %w2: memref<8x8x8xf32>, %y: memref<?x64xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x64xf32>, memref<8x8x8xf32>, memref<8x8x8xf32>) outs(%y : memref<?x64xf32>)
  return
}
