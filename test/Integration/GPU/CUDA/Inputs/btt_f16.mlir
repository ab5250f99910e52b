func.func @layer(%x: memref<?x32xf16>, %w1: memref<4x3x8x8xf16>, %w2: memref<8x4x4x3xf16>, %y: memref<?x32xf16>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x32xf16>, memref<4x3x8x8xf16>, memref<8x4x4x3xf16>) outs(%y : memref<?x32xf16>)
  return
}
