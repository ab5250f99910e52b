func.func @layer(%x: memref<3x?x384xf16>, %w1: memref<6x48x64xf16>, %w2: memref<24x40x12xf16>, %y: memref<3x?x960xf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<3x?x384xf16>, memref<6x48x64xf16>, memref<24x40x12xf16>) outs(%y : memref<3x?x960xf16>)
  return
}
