func.func @layer(%x: memref<?x32xf32>, %w1: memref<4x3x8x8xf32>, %w2: memref<8x4x4x3xf32>, %y: memref<?x32xf32>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x32xf32>, memref<4x3x8x8xf32>, memref<8x4x4x3xf32>) outs(%y : memref<?x32xf32>)
  return
}
