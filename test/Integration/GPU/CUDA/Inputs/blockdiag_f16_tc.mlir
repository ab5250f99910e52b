func.func @layer(%x: memref<?x64xf16>, %w: memref<4x24x16xf16>, %y: memref<?x96xf16>) {
  structured.blockdiag ins(%x, %w : memref<?x64xf16>, memref<4x24x16xf16>) outs(%y : memref<?x96xf16>)
  return
}
