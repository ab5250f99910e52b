func.func @layer(%x: memref<?x5120xbf16>, %w1: memref<32x32x160xbf16>, %w2: memref<32x8x32xbf16>, %y: memref<?x256xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x5120xbf16>, memref<32x32x160xbf16>, memref<32x8x32xbf16>) outs(%y : memref<?x256xbf16>)
  return
}
