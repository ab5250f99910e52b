func.func @layer(%x: memref<?x64xbf16>, %w1: memref<8x8x8xbf16>, %w2: memref<8x8x8xbf16>, %y: memref<?x64xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x64xbf16>, memref<8x8x8xbf16>, memref<8x8x8xbf16>) outs(%y : memref<?x64xbf16>)
  return
}
