func.func @layer(%u: memref<?x4x16xf16>, %k: memref<4x16xf16>, %y: memref<?x4x16xf16>) {
  structured.causal_conv ins(%u, %k : memref<?x4x16xf16>, memref<4x16xf16>) outs(%y : memref<?x4x16xf16>)
  return
}
