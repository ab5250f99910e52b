// Invalid kernel shapes on an op are reported, never lowered.
func.func @zero_lanes(%x: memref<?x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %y: memref<?x16xf32>) {
  // expected-error @below {{has an invalid 'structured.kernel' attribute: expected array<i64: lanes, row_block> with lanes a positive multiple of 16 and row_block > 0}}
  structured.monarch ins(%x, %w1, %w2 : memref<?x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%y : memref<?x16xf32>) {structured.kernel = array<i64: 0, 4>}
  return
}

// -----

func.func @negative_lanes(%x: memref<?x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %y: memref<?x16xf32>) {
  // expected-error @below {{has an invalid 'structured.kernel' attribute}}
  structured.monarch ins(%x, %w1, %w2 : memref<?x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%y : memref<?x16xf32>) {structured.kernel = array<i64: -16, 4>}
  return
}

// -----

func.func @odd_lanes(%x: memref<?x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %y: memref<?x16xf32>) {
  // expected-error @below {{has an invalid 'structured.kernel' attribute}}
  structured.monarch ins(%x, %w1, %w2 : memref<?x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%y : memref<?x16xf32>) {structured.kernel = array<i64: 20, 4>}
  return
}

// -----

func.func @wrong_type(%x: memref<?x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %y: memref<?x16xf32>) {
  // expected-error @below {{has an invalid 'structured.kernel' attribute}}
  structured.monarch ins(%x, %w1, %w2 : memref<?x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%y : memref<?x16xf32>) {structured.kernel = [32, 4]}
  return
}
