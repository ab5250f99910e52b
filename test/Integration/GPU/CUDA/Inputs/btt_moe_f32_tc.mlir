func.func @layer(%x: memref<?x3x256xf32>, %w1: memref<16x8x16x16xf32>, %w2: memref<16x16x16x8xf32>, %idx: memref<?x3x3xi64>, %gate: memref<?x3x3xf32>, %y: memref<?x3x256xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x3x256xf32>, memref<16x8x16x16xf32>, memref<16x16x16x8xf32>, memref<?x3x3xi64>, memref<?x3x3xf32>) outs(%y : memref<?x3x256xf32>)
  return
}
