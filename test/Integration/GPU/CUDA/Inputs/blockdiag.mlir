func.func @layer(%x: memref<?x32xf32>, %w: memref<4x16x8xf32>, %y: memref<?x64xf32>) {
  structured.blockdiag ins(%x, %w : memref<?x32xf32>, memref<4x16x8xf32>) outs(%y : memref<?x64xf32>)
  return
}
