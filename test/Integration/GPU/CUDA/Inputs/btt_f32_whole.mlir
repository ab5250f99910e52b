func.func @layer(%x: memref<?x512xf32>, %w1: memref<8x4x64x64xf32>, %w2: memref<64x8x8x4xf32>, %y: memref<?x512xf32>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x512xf32>, memref<8x4x64x64xf32>, memref<64x8x8x4xf32>) outs(%y : memref<?x512xf32>)
  return
}
