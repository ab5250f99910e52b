func.func @layer(%x: memref<?x35xf32>, %y: memref<?x35xf32>) {
  structured.permute ins(%x : memref<?x35xf32>) outs(%y : memref<?x35xf32>) {rows = 5 : i64, cols = 7 : i64}
  return
}
