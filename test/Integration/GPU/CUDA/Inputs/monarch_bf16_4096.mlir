func.func @layer(%x: memref<?x4096xbf16>, %w1: memref<64x64x64xbf16>, %w2: memref<64x64x64xbf16>, %y: memref<?x4096xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x4096xbf16>, memref<64x64x64xbf16>, memref<64x64x64xbf16>) outs(%y : memref<?x4096xbf16>)
  return
}
