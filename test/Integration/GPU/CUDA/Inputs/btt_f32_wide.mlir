func.func @layer(%x: memref<?x1040xf32>, %w1: memref<8x2x13x130xf32>, %w2: memref<4x25x26x2xf32>, %y: memref<?x100xf32>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x1040xf32>, memref<8x2x13x130xf32>, memref<4x25x26x2xf32>) outs(%y : memref<?x100xf32>)
  return
}
