func.func @layer(%u: memref<?x4x97xf32>, %k: memref<4x97xf32>, %y: memref<?x4x97xf32>) {
  structured.causal_conv ins(%u, %k : memref<?x4x97xf32>, memref<4x97xf32>) outs(%y : memref<?x4x97xf32>)
  return
}
