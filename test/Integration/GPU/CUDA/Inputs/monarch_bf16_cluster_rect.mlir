func.func @layer(%x: memref<?x512xbf16>, %w1: memref<16x16x32xbf16>, %w2: memref<16x24x16xbf16>, %y: memref<?x384xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x512xbf16>, memref<16x16x32xbf16>, memref<16x24x16xbf16>) outs(%y : memref<?x384xbf16>)
  return
}
