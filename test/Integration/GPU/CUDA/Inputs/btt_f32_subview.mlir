func.func @layer(%x: memref<?x64xf32>, %w1: memref<8x2x8x8xf32>, %w2: memref<8x8x8x2xf32>, %y: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  %m = arith.subi %n, %c1 : index
  %xs = memref.subview %x[1, 0] [%m, 64] [1, 1] : memref<?x64xf32> to memref<?x64xf32, strided<[64, 1], offset: 64>>
  %ys = memref.subview %y[1, 0] [%m, 64] [1, 1] : memref<?x64xf32> to memref<?x64xf32, strided<[64, 1], offset: 64>>
  structured.btt ins(%xs, %w1, %w2 : memref<?x64xf32, strided<[64, 1], offset: 64>>, memref<8x2x8x8xf32>, memref<8x8x8x2xf32>) outs(%ys : memref<?x64xf32, strided<[64, 1], offset: 64>>)
  return
}
