func.func @layer(%x: memref<?x512xbf16>, %w1: memref<16x4x32x32xbf16>, %w2: memref<32x16x16x4xbf16>, %idx: memref<?x2xi32>, %gate: memref<?x2xf32>, %y: memref<?x512xbf16>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x512xbf16>, memref<16x4x32x32xbf16>, memref<32x16x16x4xbf16>, memref<?x2xi32>, memref<?x2xf32>) outs(%y : memref<?x512xbf16>)
  return
}
