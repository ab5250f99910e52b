func.func @layer(%x: memref<?x120xbf16>, %w: memref<3x20x40xbf16>, %y: memref<?x60xbf16>) {
  structured.blockdiag ins(%x, %w : memref<?x120xbf16>, memref<3x20x40xbf16>) outs(%y : memref<?x60xbf16>)
  return
}
