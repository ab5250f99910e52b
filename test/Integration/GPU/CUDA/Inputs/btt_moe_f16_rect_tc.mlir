func.func @layer(%x: memref<?x384xf16>, %w1: memref<6x3x48x64xf16>, %w2: memref<24x40x12x3xf16>, %idx: memref<?x2xi32>, %gate: memref<?x2xf16>, %y: memref<?x960xf16>) {
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<?x384xf16>, memref<6x3x48x64xf16>, memref<24x40x12x3xf16>, memref<?x2xi32>, memref<?x2xf16>) outs(%y : memref<?x960xf16>)
  return
}
