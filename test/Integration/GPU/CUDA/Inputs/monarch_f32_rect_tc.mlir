func.func @layer(%x: memref<3x?x128xf32>, %w1: memref<4x48x32xf32>, %w2: memref<12x24x16xf32>, %y: memref<3x?x288xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<3x?x128xf32>, memref<4x48x32xf32>, memref<12x24x16xf32>) outs(%y : memref<3x?x288xf32>)
  return
}
