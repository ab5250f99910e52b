func.func @layer(%x: memref<?x512xf16>, %w1: memref<16x16x32xf16>, %w2: memref<16x24x16xf16>, %y: memref<?x384xf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x512xf16>, memref<16x16x32xf16>, memref<16x24x16xf16>) outs(%y : memref<?x384xf16>)
  return
}
