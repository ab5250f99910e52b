// RUN: struct-opt %s -split-input-file -verify-diagnostics

// One case per verifier diagnostic of the structured ops (and the ODS-level
// diagnostics that guard them). Every message is matched in full.

//===----------------------------------------------------------------------===//
// Operand kinds
//===----------------------------------------------------------------------===//

func.func @mixed_tensor_weight_memref(%x: tensor<8x6xf32>, %w: memref<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op expects all operands to be tensors or all to be memrefs, but 'w' is 'memref<2x2x3xf32>' and 'init' is 'tensor<8x4xf32>'}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, memref<2x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @mixed_memref_x_tensor_init(%x: memref<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op expects all operands to be tensors or all to be memrefs, but 'x' is 'memref<8x6xf32>' and 'init' is 'tensor<8x6xf32>'}}
  %y = structured.permute ins(%x : memref<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @mixed_tensor_x_memref_init(%x: tensor<8x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %init: memref<8x16xf32>) {
  // expected-error @+1 {{'structured.monarch' op expects all operands to be tensors or all to be memrefs, but 'x' is 'tensor<8x16xf32>' and 'init' is 'memref<8x16xf32>'}}
  structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%init : memref<8x16xf32>)
  return
}

// -----

func.func @mixed_btt_w2(%x: memref<8x16xf32>, %w1: memref<4x2x4x4xf32>, %w2: tensor<4x4x4x2xf32>, %init: memref<8x16xf32>) {
  // expected-error @+1 {{'structured.btt' op expects all operands to be tensors or all to be memrefs, but 'w2' is 'tensor<4x4x4x2xf32>' and 'init' is 'memref<8x16xf32>'}}
  structured.btt ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x2x4x4xf32>, tensor<4x4x4x2xf32>) outs(%init : memref<8x16xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

func.func @unsupported_element_type_x(%x: tensor<8x6xi32>, %w: tensor<2x2x3xi32>, %init: tensor<8x4xi32>) -> tensor<8x4xi32> {
  // expected-error @+1 {{'structured.blockdiag' op 'x' has element type 'i32', expected f32, f16, bf16 or complex<f32>}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xi32>, tensor<2x2x3xi32>) outs(%init : tensor<8x4xi32>) -> tensor<8x4xi32>
  return %y : tensor<8x4xi32>
}

// -----

func.func @unsupported_element_type_f64(%x: tensor<8x6xf64>, %init: tensor<8x6xf64>) -> tensor<8x6xf64> {
  // expected-error @+1 {{'structured.permute' op 'x' has element type 'f64', expected f32, f16, bf16 or complex<f32>}}
  %y = structured.permute ins(%x : tensor<8x6xf64>) outs(%init : tensor<8x6xf64>) {rows = 2, cols = 3} -> tensor<8x6xf64>
  return %y : tensor<8x6xf64>
}

// -----

func.func @unsupported_element_type_w1(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xi8>, %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.monarch' op 'w1' has element type 'i8', expected f32, f16, bf16 or complex<f32>}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xi8>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @unsupported_element_type_w2(%x: memref<8x16xf16>, %w1: memref<4x2x4x4xf16>, %w2: memref<4x4x4x2xf64>, %init: memref<8x16xf16>) {
  // expected-error @+1 {{'structured.btt' op 'w2' has element type 'f64', expected f32, f16, bf16 or complex<f32>}}
  structured.btt ins(%x, %w1, %w2 : memref<8x16xf16>, memref<4x2x4x4xf16>, memref<4x4x4x2xf64>) outs(%init : memref<8x16xf16>)
  return
}

// -----

func.func @mismatched_complex_init(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xcomplex<f32>>) -> tensor<8x4xcomplex<f32>> {
  // expected-error @+1 {{'structured.blockdiag' op 'init' has element type 'complex<f32>' but 'x' has 'f32'}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xcomplex<f32>>) -> tensor<8x4xcomplex<f32>>
  return %y : tensor<8x4xcomplex<f32>>
}

// -----

func.func @element_type_mismatch_w(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf16>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op 'w' has element type 'f16' but 'x' has 'f32'}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf16>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @element_type_mismatch_init(%x: memref<8x6xbf16>, %init: memref<8x6xf16>) {
  // expected-error @+1 {{'structured.permute' op 'init' has element type 'f16' but 'x' has 'bf16'}}
  structured.permute ins(%x : memref<8x6xbf16>) outs(%init : memref<8x6xf16>) {rows = 2, cols = 3}
  return
}

// -----

func.func @element_type_mismatch_w2(%x: tensor<8x16xbf16>, %w1: tensor<4x4x4xbf16>, %w2: tensor<4x4x4xf32>, %init: tensor<8x16xbf16>) -> tensor<8x16xbf16> {
  // expected-error @+1 {{'structured.monarch' op 'w2' has element type 'f32' but 'x' has 'bf16'}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xbf16>, tensor<4x4x4xbf16>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xbf16>) -> tensor<8x16xbf16>
  return %y : tensor<8x16xbf16>
}

// -----

//===----------------------------------------------------------------------===//
// Results
//===----------------------------------------------------------------------===//

func.func @missing_result_on_tensors(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) {
  // expected-error @+1 {{'structured.blockdiag' op expects one result of the type of 'init' ('tensor<8x4xf32>') when operating on tensors}}
  structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32>)
  return
}

// -----

func.func @wrong_result_type_on_tensors(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{'structured.monarch' op expects one result of the type of 'init' ('tensor<8x16xf32>') when operating on tensors}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

func.func @wrong_result_element_type_on_tensors(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf16> {
  // expected-error @+1 {{'structured.permute' op expects one result of the type of 'init' ('tensor<8x6xf32>') when operating on tensors}}
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf16>
  return %y : tensor<8x6xf16>
}

// -----

func.func @result_on_memrefs(%x: memref<8x16xf32>, %w1: memref<4x2x4x4xf32>, %w2: memref<4x4x4x2xf32>, %init: memref<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt' op expects no result when operating on memrefs}}
  %y = structured.btt ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x2x4x4xf32>, memref<4x4x4x2xf32>) outs(%init : memref<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @result_on_memrefs_permute(%x: memref<8x6xf32>, %init: memref<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op expects no result when operating on memrefs}}
  %y = structured.permute ins(%x : memref<8x6xf32>) outs(%init : memref<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Batch/feature layout of x and init
//===----------------------------------------------------------------------===//

func.func @x_rank_1(%x: tensor<6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op 'x' has rank 1, expected at least 2 (batch dimensions, then features)}}
  %y = structured.permute ins(%x : tensor<6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @x_rank_0(%x: tensor<f32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op 'x' has rank 0, expected at least 2 (batch dimensions, then features)}}
  %y = structured.blockdiag ins(%x, %w : tensor<f32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @init_rank_1(%x: memref<8x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %init: memref<16xf32>) {
  // expected-error @+1 {{'structured.monarch' op 'init' has rank 1, expected at least 2 (batch dimensions, then features)}}
  structured.monarch ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%init : memref<16xf32>)
  return
}

// -----

func.func @x_dynamic_features(%x: tensor<8x?xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op 'x' has a dynamic feature dimension; only batch dimensions may be dynamic}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x?xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @init_dynamic_features(%x: memref<?x16xf32>, %w1: memref<4x2x4x4xf32>, %w2: memref<4x4x4x2xf32>, %init: memref<?x?xf32>) {
  // expected-error @+1 {{'structured.btt' op 'init' has a dynamic feature dimension; only batch dimensions may be dynamic}}
  structured.btt ins(%x, %w1, %w2 : memref<?x16xf32>, memref<4x2x4x4xf32>, memref<4x4x4x2xf32>) outs(%init : memref<?x?xf32>)
  return
}

// -----

func.func @init_rank_mismatch(%x: tensor<8x6xf32>, %init: tensor<2x4x6xf32>) -> tensor<2x4x6xf32> {
  // expected-error @+1 {{'structured.permute' op 'init' has rank 3 but 'x' has rank 2 (the batch dimensions must agree)}}
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<2x4x6xf32>) {rows = 2, cols = 3} -> tensor<2x4x6xf32>
  return %y : tensor<2x4x6xf32>
}

// -----

func.func @batch_dim_mismatch(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op batch dimension 0 is 4 in 'init' but 8 in 'x'}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// -----

func.func @batch_dim_mismatch_inner(%x: memref<?x3x16xf32>, %w1: memref<4x4x4xf32>, %w2: memref<4x4x4xf32>, %init: memref<?x5x16xf32>) {
  // expected-error @+1 {{'structured.monarch' op batch dimension 1 is 5 in 'init' but 3 in 'x'}}
  structured.monarch ins(%x, %w1, %w2 : memref<?x3x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>) outs(%init : memref<?x5x16xf32>)
  return
}

// -----

func.func @x_zero_features(%x: tensor<8x0xf32>, %init: tensor<8x0xf32>) -> tensor<8x0xf32> {
  // expected-error @+1 {{'structured.permute' op 'x' has 0 features, expected a positive size}}
  %y = structured.permute ins(%x : tensor<8x0xf32>) outs(%init : tensor<8x0xf32>) {rows = 1, cols = 1} -> tensor<8x0xf32>
  return %y : tensor<8x0xf32>
}

// -----

func.func @init_zero_features(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x0xf32>) -> tensor<8x0xf32> {
  // expected-error @+1 {{'structured.blockdiag' op 'init' has 0 features, expected a positive size}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x0xf32>) -> tensor<8x0xf32>
  return %y : tensor<8x0xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

func.func @blockdiag_weight_rank(%x: tensor<8x6xf32>, %w: tensor<6x4xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op 'w' has rank 2, expected 3}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<6x4xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @monarch_w2_rank(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4x1xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.monarch' op 'w2' has rank 4, expected 3}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4x1xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @btt_w1_rank(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4x1xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt' op 'w1' has rank 3, expected 4}}
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4x1xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @dynamic_weight(%x: tensor<8x6xf32>, %w: tensor<?x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op 'w' must have a static shape, got 'tensor<?x2x3xf32>'}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<?x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @dynamic_weight_w2(%x: memref<8x16xf32>, %w1: memref<4x2x4x4xf32>, %w2: memref<4x4x4x?xf32>, %init: memref<8x16xf32>) {
  // expected-error @+1 {{'structured.btt' op 'w2' must have a static shape, got 'memref<4x4x4x?xf32>'}}
  structured.btt ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x2x4x4xf32>, memref<4x4x4x?xf32>) outs(%init : memref<8x16xf32>)
  return
}

// -----

func.func @zero_size_weight(%x: tensor<8x6xf32>, %w: tensor<2x0x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op 'w' has size 0 in dimension 1, expected a positive size}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x0x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @zero_size_btt_rank(%x: tensor<8x16xf32>, %w1: tensor<4x0x4x4xf32>, %w2: tensor<4x4x4x0xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt' op 'w1' has size 0 in dimension 1, expected a positive size}}
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x0x4x4xf32>, tensor<4x4x4x0xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// structured.blockdiag shape relations
//===----------------------------------------------------------------------===//

func.func @blockdiag_kp_ne_n(%x: tensor<8x7xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op 'w' has 2 blocks of 3 columns but 'x' has 7 features (expected k·p = n)}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x7xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @blockdiag_out_features(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.blockdiag' op 'init' has 6 features but the map yields 4 (expected k·q)}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @blockdiag_kp_overflow(%x: tensor<8x4xf32>, %w: tensor<4611686018427387904x1x4xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op k·p = 4611686018427387904·4 overflows a 64-bit size}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x4xf32>, tensor<4611686018427387904x1x4xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @blockdiag_kq_overflow(%x: tensor<8x4611686018427387904xf32>, %w: tensor<4611686018427387904x4x1xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op k·q = 4611686018427387904·4 overflows a 64-bit size}}
  %y = structured.blockdiag ins(%x, %w : tensor<8x4611686018427387904xf32>, tensor<4611686018427387904x4x1xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// structured.permute attributes
//===----------------------------------------------------------------------===//

func.func @permute_zero_rows(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op expects positive 'rows' and 'cols', got rows = 0, cols = 6}}
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 0, cols = 6} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @permute_negative_cols(%x: memref<8x6xf32>, %init: memref<8x6xf32>) {
  // expected-error @+1 {{'structured.permute' op expects positive 'rows' and 'cols', got rows = -2, cols = -3}}
  structured.permute ins(%x : memref<8x6xf32>) outs(%init : memref<8x6xf32>) {rows = -2, cols = -3}
  return
}

// -----

func.func @permute_rows_cols_ne_n(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op views 'x' as 2×4 = 8 features but 'x' has 6 (expected rows·cols = n)}}
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 4} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @permute_out_features(%x: tensor<8x6xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.permute' op 'init' has 4 features but the map yields 6 (expected rows·cols)}}
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x4xf32>) {rows = 2, cols = 3} -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @permute_overflow(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op rows·cols = 4611686018427387904·4 overflows a 64-bit size}}
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 4611686018427387904, cols = 4} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// structured.monarch shape relations
//===----------------------------------------------------------------------===//

func.func @monarch_kp_ne_n(%x: tensor<8x1024xf32>, %w1: tensor<33x32x32xf32>, %w2: tensor<32x32x33xf32>, %init: tensor<8x1024xf32>) -> tensor<8x1024xf32> {
  // expected-error @+1 {{'structured.monarch' op 'w1' has 33 blocks of 32 columns but 'x' has 1024 features (expected k·p = n)}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x1024xf32>, tensor<33x32x32xf32>, tensor<32x32x33xf32>) outs(%init : tensor<8x1024xf32>) -> tensor<8x1024xf32>
  return %y : tensor<8x1024xf32>
}

// -----

func.func @monarch_lr_ne_kq(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x3xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.monarch' op 'w2' has 4 blocks of 3 columns but the first factor yields 16 features (expected l·r = k·q)}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x3xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @monarch_out_features(%x: memref<8x16xf32>, %w1: memref<4x6x4xf32>, %w2: memref<3x10x8xf32>, %init: memref<8x16xf32>) {
  // expected-error @+1 {{'structured.monarch' op 'init' has 16 features but the map yields 30 (expected l·s)}}
  structured.monarch ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x6x4xf32>, memref<3x10x8xf32>) outs(%init : memref<8x16xf32>)
  return
}

// -----

func.func @monarch_kp_overflow(%x: tensor<8x16xf32>, %w1: tensor<4611686018427387904x1x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.monarch' op k·p = 4611686018427387904·4 overflows a 64-bit size}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4611686018427387904x1x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// k·p = 1·16 = n and k·q = 4 fit, l·r overflows.
func.func @monarch_lr_overflow(%x: tensor<8x16xf32>, %w1: tensor<1x4x16xf32>, %w2: tensor<4611686018427387904x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.monarch' op l·r = 4611686018427387904·4 overflows a 64-bit size}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<1x4x16xf32>, tensor<4611686018427387904x4x4xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @monarch_kq_overflow(%x: tensor<8x4611686018427387904xf32>, %w1: tensor<4611686018427387904x4x1xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.monarch' op k·q = 4611686018427387904·4 overflows a 64-bit size}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x4611686018427387904xf32>, tensor<4611686018427387904x4x1xf32>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// k = l = 2^62, q = p = r = 1, s = 4: everything fits except l·s.
func.func @monarch_ls_overflow(%x: tensor<8x4611686018427387904xf32>, %w1: tensor<4611686018427387904x1x1xf32>, %w2: tensor<4611686018427387904x4x1xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.monarch' op l·s = 4611686018427387904·4 overflows a 64-bit size}}
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x4611686018427387904xf32>, tensor<4611686018427387904x1x1xf32>, tensor<4611686018427387904x4x1xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// structured.btt shape relations
//===----------------------------------------------------------------------===//

func.func @btt_rank_mismatch(%x: tensor<8x16xf32>, %w1: tensor<4x2x4x4xf32>, %w2: tensor<4x4x4x3xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt' op 'w1' has rank 2 (dimension 1) but 'w2' has rank 3 (dimension 3); the BTT ranks must agree}}
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x2x4x4xf32>, tensor<4x4x4x3xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @btt_kp_ne_n(%x: tensor<8x16xf32>, %w1: tensor<4x2x4x5xf32>, %w2: tensor<4x4x4x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt' op 'w1' has 4 blocks of 5 columns but 'x' has 16 features (expected k·p = n)}}
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x2x4x5xf32>, tensor<4x4x4x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @btt_lr_ne_kq(%x: memref<?x16xf32>, %w1: memref<4x2x4x4xf32>, %w2: memref<2x8x4x2xf32>, %init: memref<?x16xf32>) {
  // expected-error @+1 {{'structured.btt' op 'w2' has 2 blocks of 4 columns but the first factor yields 16 features (expected l·r = k·q)}}
  structured.btt ins(%x, %w1, %w2 : memref<?x16xf32>, memref<4x2x4x4xf32>, memref<2x8x4x2xf32>) outs(%init : memref<?x16xf32>)
  return
}

// -----

func.func @btt_out_features(%x: tensor<8x16xf32>, %w1: tensor<4x2x4x4xf32>, %w2: tensor<4x3x4x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt' op 'init' has 16 features but the map yields 12 (expected l·s)}}
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x2x4x4xf32>, tensor<4x3x4x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @btt_kp_overflow(%x: tensor<8x16xf32>, %w1: tensor<4611686018427387904x1x1x4xf32>, %w2: tensor<4x4x4x1xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt' op k·p = 4611686018427387904·4 overflows a 64-bit size}}
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4611686018427387904x1x1x4xf32>, tensor<4x4x4x1xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// ODS-level diagnostics
//===----------------------------------------------------------------------===//

func.func @generic_missing_operand(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op expected 3 operands, but found 2}}
  %y = "structured.blockdiag"(%x, %w) : (tensor<8x6xf32>, tensor<2x2x3xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @generic_extra_operand(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op expected 2 operands, but found 3}}
  %y = "structured.permute"(%x, %init, %init) <{rows = 2 : i64, cols = 3 : i64}> : (tensor<8x6xf32>, tensor<8x6xf32>, tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @generic_missing_attribute(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op requires attribute 'cols'}}
  %y = "structured.permute"(%x, %init) <{rows = 2 : i64}> : (tensor<8x6xf32>, tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @custom_missing_attribute(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op requires attribute 'rows'}}
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @wrong_attribute_type(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op attribute 'rows' failed to satisfy constraint: 64-bit signless integer attribute}}
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2 : i32, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @operand_not_shaped(%x: f32, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op operand #0 must be ranked tensor or memref, but got 'f32'}}
  %y = "structured.permute"(%x, %init) <{rows = 2 : i64, cols = 3 : i64}> : (f32, tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @operand_unranked(%x: tensor<*xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.blockdiag' op operand #0 must be ranked tensor or memref, but got 'tensor<*xf32>'}}
  %y = structured.blockdiag ins(%x, %w : tensor<*xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @operand_rank0_memref(%x: memref<f32>, %init: memref<8x6xf32>) {
  // expected-error @+1 {{'structured.permute' op operand #0 must be ranked tensor or memref, but got 'memref<f32>'}}
  structured.permute ins(%x : memref<f32>) outs(%init : memref<8x6xf32>) {rows = 2, cols = 3}
  return
}

// -----

func.func @memref_result(%x: memref<8x6xf32>, %init: memref<8x6xf32>) {
  // expected-error @+1 {{'structured.permute' op result #0 must be ranked tensor of any type values, but got 'memref<8x6xf32>'}}
  %y = "structured.permute"(%x, %init) <{rows = 2 : i64, cols = 3 : i64}> : (memref<8x6xf32>, memref<8x6xf32>) -> memref<8x6xf32>
  return
}

// -----

func.func @two_results(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) {
  // expected-error @+1 {{'structured.monarch' op result group starting at #0 requires 0 or 1 element, but found 2}}
  %y:2 = "structured.monarch"(%x, %w1, %w2, %init) : (tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>, tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>)
  return
}

// -----

func.func @tensor_encoding(%x: tensor<8x6xf32, "enc">, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.permute' op 'x' has a tensor encoding ("enc"), which structured ops do not support}}
  %y = structured.permute ins(%x : tensor<8x6xf32, "enc">) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @non_strided_layout(%x: memref<8x6xf32, affine_map<(a, b) -> (b, a)>>, %init: memref<8x6xf32>) {
  // expected-error @+1 {{'structured.permute' op 'x' has the non-strided layout affine_map<(d0, d1) -> (d1, d0)>; expected a strided layout}}
  structured.permute ins(%x : memref<8x6xf32, affine_map<(a, b) -> (b, a)>>) outs(%init : memref<8x6xf32>) {rows = 2, cols = 3}
  return
}

// -----

func.func @non_strided_weight(%x: memref<8x16xf32>, %w1: memref<4x1x4x4xf32, affine_map<(a, b, c, d) -> (d, c, b, a)>>, %w2: memref<4x4x4x1xf32>, %init: memref<8x16xf32>) {
  // expected-error @+1 {{'structured.btt' op 'w1' has the non-strided layout}}
  structured.btt ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x1x4x4xf32, affine_map<(a, b, c, d) -> (d, c, b, a)>>, memref<4x4x4x1xf32>) outs(%init : memref<8x16xf32>)
  return
}

// -----

func.func @moe_idx_type(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<8x2xf32>, %gate: tensor<8x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt_moe' op 'idx' has element type 'f32', expected i32 or i64}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<8x2xf32>, tensor<8x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @moe_gate_type(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<8x2xi32>, %gate: tensor<8x2xi32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt_moe' op 'gate' has element type 'i32', expected f32, f16 or bf16}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<8x2xi32>, tensor<8x2xi32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @moe_k_mismatch(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<8x2xi32>, %gate: tensor<8x3xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt_moe' op 'idx' selects 2 experts per row but 'gate' has 3 (the K must agree)}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<8x2xi32>, tensor<8x3xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @moe_idx_rank(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<8xi32>, %gate: tensor<8x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt_moe' op 'idx' has rank 1 but 'x' has rank 2 (expected the batch dimensions of 'x', then K)}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<8xi32>, tensor<8x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @moe_gate_batch(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<8x2xi32>, %gate: tensor<4x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt_moe' op batch dimension 0 is 4 in 'gate' but 8 in 'x'}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<8x2xi32>, tensor<4x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @moe_dynamic_k(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<8x?xi32>, %gate: tensor<8x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt_moe' op 'idx' must select a static, positive number K of experts in its last dimension, got 'tensor<8x?xi32>'}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<8x?xi32>, tensor<8x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @moe_mixed_kind(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: memref<8x2xi32>, %gate: tensor<8x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt_moe' op expects all operands to be tensors or all to be memrefs, but 'idx' is 'memref<8x2xi32>' and 'x' is 'tensor<8x16xf32>'}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, memref<8x2xi32>, tensor<8x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @moe_rank_mismatch(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x6xf32>, %idx: tensor<8x2xi32>, %gate: tensor<8x2xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt_moe' op 'w1' has rank 8 (dimension 1) but 'w2' has rank 6 (dimension 3); the BTT ranks must agree}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x6xf32>, tensor<8x2xi32>, tensor<8x2xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @moe_idx_layout(%x: memref<8x16xf32>, %w1: memref<4x8x4x4xf32>, %w2: memref<4x4x4x8xf32>, %idx: memref<8x2xi32, affine_map<(a, b) -> (b, a)>>, %gate: memref<8x2xf32>, %init: memref<8x16xf32>) {
  // expected-error @+1 {{'structured.btt_moe' op 'idx' has the non-strided layout}}
  structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : memref<8x16xf32>, memref<4x8x4x4xf32>, memref<4x4x4x8xf32>, memref<8x2xi32, affine_map<(a, b) -> (b, a)>>, memref<8x2xf32>) outs(%init : memref<8x16xf32>)
  return
}

// -----

func.func @moe_gate_encoding(%x: tensor<8x16xf32>, %w1: tensor<4x8x4x4xf32>, %w2: tensor<4x4x4x8xf32>, %idx: tensor<8x2xi32>, %gate: tensor<8x2xf32, "enc">, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'structured.btt_moe' op 'gate' has a tensor encoding ("enc"), which structured ops do not support}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xf32>, tensor<4x8x4x4xf32>, tensor<4x4x4x8xf32>, tensor<8x2xi32>, tensor<8x2xf32, "enc">) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @einsum_no_x(%init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op expects x as the first operand of 'ins'}}
  %y = "structured.einsum_linear"(%init) <{spec = "bi->bi"}> : (tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @einsum_no_arrow(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: spec "bi,ri" has no '->'}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "bi,ri"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @einsum_empty_term(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: spec "bi,,ri->br" has an empty term}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "bi,,ri->br"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @einsum_bad_char(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: spec "b...i,ri->br" has '.'; terms are made of letters only}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "b...i,ri->br"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @einsum_repeated_letter(%x: tensor<8x4xf32>, %f: tensor<4x4xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: term 'ii' repeats the letter 'i'}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<4x4xf32>) outs(%init : tensor<8x4xf32>) {spec = "bi,ii->bi"} -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @einsum_x_without_features(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: the input term 'b' needs the batch letter and at least one feature letter}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "b,ri->br"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @einsum_output_batch(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: the output term 'rb' must start with the batch letter 'b'}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "bi,ri->rb"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @einsum_factor_batch(%x: tensor<8x4xf32>, %f: tensor<8x4xf32>, %init: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: factor term 'bi' uses the batch letter 'b', so the map would not be a fixed matrix applied to x}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<8x4xf32>) outs(%init : tensor<8x8xf32>) {spec = "bi,bi->bi"} -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}

// -----

func.func @einsum_output_letter_unknown(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: output letter 'o' appears in no input term}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "bi,ri->bo"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @einsum_term_count(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: spec has 2 factor terms but 1 factor operands are given}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "bi,ri,sr->bs"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @einsum_term_rank(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: factor term 'rij' has 3 letters but factor #0 has rank 2}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "bi,rij->br"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @einsum_letter_sizes(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %g: tensor<3x5xf32>, %init: tensor<8x3xf32>) -> tensor<8x3xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: letter 'r' has size 5 in factor #1 but 2 elsewhere}}
  %y = structured.einsum_linear ins(%x, %f, %g : tensor<8x4xf32>, tensor<2x4xf32>, tensor<3x5xf32>) outs(%init : tensor<8x3xf32>) {spec = "bi,ri,or->bo"} -> tensor<8x3xf32>
  return %y : tensor<8x3xf32>
}

// -----

func.func @einsum_x_letter_unknown(%x: tensor<8x12xf32>, %f: tensor<2x4xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: letter 'j' of x appears in no factor term, so its size is unknown}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x12xf32>, tensor<2x4xf32>) outs(%init : tensor<8x6xf32>) {spec = "bij,ri->brj"} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @einsum_in_features(%x: tensor<8x6xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: x's letters 'i' multiply to 4 but 'x' has 6 features}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x6xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "bi,ri->br"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @einsum_out_features(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x3xf32>) -> tensor<8x3xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: the output letters 'r' multiply to 2 but 'init' has 3 features}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x3xf32>) {spec = "bi,ri->br"} -> tensor<8x3xf32>
  return %y : tensor<8x3xf32>
}

// -----

func.func @einsum_overflow(%x: tensor<8x4611686018427387904xf32>, %f: tensor<4611686018427387904x1xf32>, %g: tensor<4x1xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: the product of the letter sizes overflows a 64-bit size}}
  %y = structured.einsum_linear ins(%x, %f, %g : tensor<8x4611686018427387904xf32>, tensor<4611686018427387904x1xf32>, tensor<4x1xf32>) outs(%init : tensor<8x4xf32>) {spec = "bij,ir,jr->br"} -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @einsum_output_repeats_batch(%x: tensor<8x4xf32>, %f: tensor<2x4xf32>, %init: tensor<8x2xf32>) -> tensor<8x2xf32> {
  // expected-error @+1 {{'structured.einsum_linear' op spec: term 'brb' repeats the letter 'b'}}
  %y = structured.einsum_linear ins(%x, %f : tensor<8x4xf32>, tensor<2x4xf32>) outs(%init : tensor<8x2xf32>) {spec = "bi,ri->brb"} -> tensor<8x2xf32>
  return %y : tensor<8x2xf32>
}

// -----

func.func @moe_complex(%x: tensor<8x16xcomplex<f32>>, %w1: tensor<4x8x4x4xcomplex<f32>>, %w2: tensor<4x4x4x8xcomplex<f32>>, %idx: tensor<8x2xi32>, %gate: tensor<8x2xf32>, %init: tensor<8x16xcomplex<f32>>) -> tensor<8x16xcomplex<f32>> {
  // expected-error @+1 {{'structured.btt_moe' op 'x' has element type 'complex<f32>', expected f32, f16 or bf16}}
  %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<8x16xcomplex<f32>>, tensor<4x8x4x4xcomplex<f32>>, tensor<4x4x4x8xcomplex<f32>>, tensor<8x2xi32>, tensor<8x2xf32>) outs(%init : tensor<8x16xcomplex<f32>>) -> tensor<8x16xcomplex<f32>>
  return %y : tensor<8x16xcomplex<f32>>
}

// -----

func.func @complex_f64(%x: tensor<8x6xcomplex<f64>>, %init: tensor<8x6xcomplex<f64>>) -> tensor<8x6xcomplex<f64>> {
  // expected-error @+1 {{'structured.permute' op 'x' has element type 'complex<f64>', expected f32, f16, bf16 or complex<f32>}}
  %y = structured.permute ins(%x : tensor<8x6xcomplex<f64>>) outs(%init : tensor<8x6xcomplex<f64>>) {rows = 2, cols = 3} -> tensor<8x6xcomplex<f64>>
  return %y : tensor<8x6xcomplex<f64>>
}

// -----

func.func @poly_eval_real_init(%x: tensor<8x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.poly_eval' op 'init' has element type 'f32', expected complex<f32> (values at roots of unity)}}
  %y = structured.poly_eval ins(%x : tensor<8x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @poly_eval_too_few_points(%x: tensor<8x6xf32>, %init: tensor<8x4xcomplex<f32>>) -> tensor<8x4xcomplex<f32>> {
  // expected-error @+1 {{'structured.poly_eval' op 'init' has 4 points but 'x' has 6 coefficients (expected M >= N)}}
  %y = structured.poly_eval ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x4xcomplex<f32>>) -> tensor<8x4xcomplex<f32>>
  return %y : tensor<8x4xcomplex<f32>>
}

// -----

func.func @poly_interp_real_input(%x: tensor<8x4xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{'structured.poly_interp' op 'x' has element type 'f32', expected complex<f32> (values at roots of unity)}}
  %y = structured.poly_interp ins(%x : tensor<8x4xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @poly_interp_complex_output(%x: tensor<8x4xcomplex<f32>>, %init: tensor<8x4xcomplex<f32>>) -> tensor<8x4xcomplex<f32>> {
  // expected-error @+1 {{'structured.poly_interp' op 'init' has element type 'complex<f32>', expected f32, f16 or bf16 (real coefficients)}}
  %y = structured.poly_interp ins(%x : tensor<8x4xcomplex<f32>>) outs(%init : tensor<8x4xcomplex<f32>>) -> tensor<8x4xcomplex<f32>>
  return %y : tensor<8x4xcomplex<f32>>
}

// -----

func.func @poly_interp_too_many(%x: tensor<8x4xcomplex<f32>>, %init: tensor<8x5xf32>) -> tensor<8x5xf32> {
  // expected-error @+1 {{'structured.poly_interp' op 'init' keeps 5 coefficients but 'x' has only 4 points (expected L <= M)}}
  %y = structured.poly_interp ins(%x : tensor<8x4xcomplex<f32>>) outs(%init : tensor<8x5xf32>) -> tensor<8x5xf32>
  return %y : tensor<8x5xf32>
}

// -----

func.func @causal_conv_complex(%u: tensor<2x4x8xcomplex<f32>>, %k: tensor<4x8xcomplex<f32>>, %init: tensor<2x4x8xcomplex<f32>>) -> tensor<2x4x8xcomplex<f32>> {
  // expected-error @+1 {{'structured.causal_conv' op 'x' has element type 'complex<f32>', expected f32, f16 or bf16}}
  %y = structured.causal_conv ins(%u, %k : tensor<2x4x8xcomplex<f32>>, tensor<4x8xcomplex<f32>>) outs(%init : tensor<2x4x8xcomplex<f32>>) -> tensor<2x4x8xcomplex<f32>>
  return %y : tensor<2x4x8xcomplex<f32>>
}

// -----

func.func @causal_conv_channels(%u: tensor<2x4x8xf32>, %k: tensor<3x8xf32>, %init: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  // expected-error @+1 {{'structured.causal_conv' op 'k' has 3 channels but 'x' has 4}}
  %y = structured.causal_conv ins(%u, %k : tensor<2x4x8xf32>, tensor<3x8xf32>) outs(%init : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}

// -----

func.func @causal_conv_kernel_length(%u: tensor<2x4x8xf32>, %k: tensor<4x6xf32>, %init: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  // expected-error @+1 {{'structured.causal_conv' op 'k' has length 6 but 'x' has length 8}}
  %y = structured.causal_conv ins(%u, %k : tensor<2x4x8xf32>, tensor<4x6xf32>) outs(%init : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}

// -----

func.func @causal_conv_out_length(%u: tensor<2x4x8xf32>, %k: tensor<4x8xf32>, %init: tensor<2x4x6xf32>) -> tensor<2x4x6xf32> {
  // expected-error @+1 {{'structured.causal_conv' op 'init' has length 6 but 'x' has length 8}}
  %y = structured.causal_conv ins(%u, %k : tensor<2x4x8xf32>, tensor<4x8xf32>) outs(%init : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  return %y : tensor<2x4x6xf32>
}

// -----

func.func @causal_conv_dynamic_channels(%u: tensor<2x?x8xf32>, %k: tensor<4x8xf32>, %init: tensor<2x?x8xf32>) -> tensor<2x?x8xf32> {
  // expected-error @+1 {{'structured.causal_conv' op 'x' needs a static channel dimension before its length, got 'tensor<2x?x8xf32>'}}
  %y = structured.causal_conv ins(%u, %k : tensor<2x?x8xf32>, tensor<4x8xf32>) outs(%init : tensor<2x?x8xf32>) -> tensor<2x?x8xf32>
  return %y : tensor<2x?x8xf32>
}

// -----

func.func @causal_conv_kernel_rank(%u: tensor<2x4x8xf32>, %k: tensor<8xf32>, %init: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  // expected-error @+1 {{'structured.causal_conv' op 'k' has rank 1, expected 2}}
  %y = structured.causal_conv ins(%u, %k : tensor<2x4x8xf32>, tensor<8xf32>) outs(%init : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}

// -----

func.func @causal_conv_too_long(%u: tensor<1x1x4611686018427387904xf32>, %k: tensor<1x4611686018427387904xf32>, %i: tensor<1x1x4611686018427387904xf32>) -> tensor<1x1x4611686018427387904xf32> {
  // expected-error @+1 {{'structured.causal_conv' op 'x' has length 4611686018427387904, more than the supported 549755813888}}
  %y = structured.causal_conv ins(%u, %k : tensor<1x1x4611686018427387904xf32>, tensor<1x4611686018427387904xf32>) outs(%i : tensor<1x1x4611686018427387904xf32>) -> tensor<1x1x4611686018427387904xf32>
  return %y : tensor<1x1x4611686018427387904xf32>
}

// -----

func.func @poly_eval_too_many_points(%x: tensor<1x3xf32>, %i: tensor<1x9223372036854775807xcomplex<f32>>) -> tensor<1x9223372036854775807xcomplex<f32>> {
  // expected-error @+1 {{'structured.poly_eval' op 'init' has 9223372036854775807 points, more than the supported 1099511627776}}
  %y = structured.poly_eval ins(%x : tensor<1x3xf32>) outs(%i : tensor<1x9223372036854775807xcomplex<f32>>) -> tensor<1x9223372036854775807xcomplex<f32>>
  return %y : tensor<1x9223372036854775807xcomplex<f32>>
}

// -----

func.func @poly_interp_too_many_points(%x: tensor<1x2199023255552xcomplex<f32>>, %i: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'structured.poly_interp' op 'x' has 2199023255552 points, more than the supported 1099511627776}}
  %y = structured.poly_interp ins(%x : tensor<1x2199023255552xcomplex<f32>>) outs(%i : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
