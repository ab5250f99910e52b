func.func @layer(%u: memref<?x3x4096xf32>, %k: memref<3x4096xf32>, %y: memref<?x3x4096xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x3x4096xf32>, memref<3x4096xf32>) outs(%y : memref<?x3x4096xf32>)
  return
}
