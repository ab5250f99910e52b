func.func @layer(%x: memref<?x512xbf16>, %w1: memref<16x4x32x32xbf16>, %w2: memref<32x16x16x4xbf16>, %y: memref<?x512xbf16>) {
  structured.btt ins(%x, %w1, %w2 : memref<?x512xbf16>, memref<16x4x32x32xbf16>, memref<32x16x16x4xbf16>) outs(%y : memref<?x512xbf16>)
  return
}
