func.func @layer(%x: memref<?x6xf32>, %w1: memref<2x3x3x3xf32>, %w2: memref<3x2x2x3xf32>, %idx: memref<?x2xi32>, %gate: memref<?x2xf32>, %y: memref<?x6xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x6xf32>, memref<2x3x3x3xf32>, memref<3x2x2x3xf32>, memref<?x2xi32>, memref<?x2xf32>) outs(%y : memref<?x6xf32>)
  return
}
