func.func @layer(%u: memref<?x5x300xbf16>, %k: memref<5x300xbf16>, %y: memref<?x5x300xbf16>) {
  structured.causal_conv ins(%u, %k : memref<?x5x300xbf16>, memref<5x300xbf16>) outs(%y : memref<?x5x300xbf16>)
  return
}
