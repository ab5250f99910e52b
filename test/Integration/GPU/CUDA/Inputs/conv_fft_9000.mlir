func.func @layer(%u: memref<?x2x9000xf32>, %k: memref<2x9000xf32>, %y: memref<?x2x9000xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x2x9000xf32>, memref<2x9000xf32>) outs(%y : memref<?x2x9000xf32>)
  return
}
