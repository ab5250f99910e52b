func.func @layer(%x: memref<?x512xf32>, %w1: memref<16x4x32x32xf32>, %w2: memref<32x16x16x4xf32>, %y: memref<?x512xf32>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x512xf32>, memref<16x4x32x32xf32>, memref<32x16x16x4xf32>) outs(%y : memref<?x512xf32>)
  return
}
