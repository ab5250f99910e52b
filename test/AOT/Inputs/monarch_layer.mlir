// A Monarch layer on buffers (n = 48: 6 blocks of 8), compiled by
// struct-aot into a library that c-program.c calls.
func.func @layer(%x: memref<?x48xf32>, %w1: memref<6x8x8xf32>,
                 %w2: memref<8x6x6xf32>, %y: memref<?x48xf32>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x48xf32>, memref<6x8x8xf32>, memref<8x6x6xf32>)
                     outs(%y : memref<?x48xf32>)
  return
}
