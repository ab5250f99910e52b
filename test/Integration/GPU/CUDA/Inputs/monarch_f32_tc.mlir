func.func @layer(%x: memref<?x256xf32>, %w1: memref<16x16x16xf32>, %w2: memref<16x16x16xf32>, %y: memref<?x256xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x256xf32>, memref<16x16x16xf32>, memref<16x16x16xf32>) outs(%y : memref<?x256xf32>)
  return
}
