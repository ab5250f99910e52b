func.func @layer(%u: memref<?x3x1000xf32>, %k: memref<3x1000xf32>, %y: memref<?x3x1000xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x3x1000xf32>, memref<3x1000xf32>) outs(%y : memref<?x3x1000xf32>)
  return
}
