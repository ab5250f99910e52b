func.func @layer(%x: memref<5x3x48xf32>, %w1: memref<6x8x8xf32>, %w2: memref<8x5x6xf32>, %y: memref<5x3x40xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<5x3x48xf32>, memref<6x8x8xf32>, memref<8x5x6xf32>) outs(%y : memref<5x3x40xf32>)
  return
}
