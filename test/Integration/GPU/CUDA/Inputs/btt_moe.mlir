func.func @layer(%x: memref<?x64xf32>, %w1: memref<8x4x8x8xf32>, %w2: memref<8x8x8x4xf32>, %idx: memref<?x2xi32>, %gate: memref<?x2xf32>, %y: memref<?x64xf32>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x64xf32>, memref<8x4x8x8xf32>, memref<8x8x8x4xf32>, memref<?x2xi32>, memref<?x2xf32>) outs(%y : memref<?x64xf32>)
  return
}
