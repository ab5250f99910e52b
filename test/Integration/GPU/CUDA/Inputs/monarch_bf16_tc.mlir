func.func @layer(%x: memref<?x1024xbf16>, %w1: memref<32x32x32xbf16>, %w2: memref<32x32x32xbf16>, %y: memref<?x1024xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x1024xbf16>, memref<32x32x32xbf16>, memref<32x32x32xbf16>) outs(%y : memref<?x1024xbf16>)
  return
}
