// RUN: not struct-opt %s -split-input-file 2>&1 | FileCheck %s
// RUN: not struct-opt %s -split-input-file 2>&1 | FileCheck %s --check-prefix=NOCRASH

// Malformed or invalid inputs: each split must give a diagnostic (checked in
// order, with its line and column), the tool must exit non-zero, and it must
// never crash or print a module.
// NOCRASH-NOT: Stack dump
// NOCRASH-NOT: PLEASE submit a bug report
// NOCRASH-NOT: {{^}}module
// NOCRASH-NOT: LLVM ERROR

//===----------------------------------------------------------------------===//
// Malformed custom assembly
//===----------------------------------------------------------------------===//

func.func @missing_outs(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:78: error: custom op 'structured.blockdiag' expected 'outs'
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @missing_ins(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:27: error: custom op 'structured.permute' expected 'ins'
  %y = structured.permute (%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @too_few_types(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:57: error: expected ','
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @too_few_operands(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:38: error: expected ','
  %y = structured.monarch ins(%x, %w1 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @unclosed_paren(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:106: error: expected ')'
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32> -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

// A '->' with no type after it: the optional result group of the assembly
// format accepts it (see the report); on tensors the verifier then rejects the
// op for lacking its result. Only require some diagnostic here.
func.func @dangling_arrow(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) {
  // CHECK: robustness.mlir:[[@LINE+1]]:{{[0-9]+}}: error: {{.+}}
  structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} ->
  return
}

// -----

func.func @operand_type_mismatch(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:33: error: use of value '%x' expects different type than prior uses: 'tensor<8x6xf16>' vs 'tensor<8x6xf32>'
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf16>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @undefined_value(%x: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:58: error: use of undeclared SSA value name
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%nope : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @unknown_op(%x: tensor<8x6xf32>) {
  // CHECK: robustness.mlir:[[@LINE+1]]:3: error: custom op 'structured.frobnicate' is unknown
  structured.frobnicate ins(%x : tensor<8x6xf32>)
  return
}

// -----

func.func @trailing_garbage(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:123: error: custom op 'garbage' is unknown (tried 'func.garbage' as well)
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32> garbage
  return %y : tensor<8x6xf32>
}

// -----

func.func @non_shaped_operand(%x: vector<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op operand #0 must be ranked tensor or memref, but got 'vector<8x6xf32>'
  %y = structured.permute ins(%x : vector<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @unranked_memref(%x: memref<*xf32>, %init: memref<8x6xf32>) {
  // CHECK: robustness.mlir:[[@LINE+1]]:3: error: 'structured.permute' op operand #0 must be ranked tensor or memref, but got 'memref<*xf32>'
  structured.permute ins(%x : memref<*xf32>) outs(%init : memref<8x6xf32>) {rows = 2, cols = 3}
  return
}

// -----

func.func @index_elements(%x: tensor<8x6xindex>, %init: tensor<8x6xindex>) -> tensor<8x6xindex> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op 'x' has element type 'index', expected f32, f16, bf16 or complex<f32>
  %y = structured.permute ins(%x : tensor<8x6xindex>) outs(%init : tensor<8x6xindex>) {rows = 2, cols = 3} -> tensor<8x6xindex>
  return %y : tensor<8x6xindex>
}

// -----

//===----------------------------------------------------------------------===//
// Generic form with missing operands or attributes
//===----------------------------------------------------------------------===//

func.func @generic_blockdiag_two_operands(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>) -> tensor<8x4xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.blockdiag' op expected 3 operands, but found 2
  %y = "structured.blockdiag"(%x, %w) : (tensor<8x6xf32>, tensor<2x2x3xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @generic_monarch_three_operands(%x: tensor<8x16xf32>, %w: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.monarch' op expected 4 operands, but found 3
  %y = "structured.monarch"(%x, %w, %init) : (tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @generic_btt_no_operands() -> tensor<8x16xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.btt' op expected 4 operands, but found 0
  %y = "structured.btt"() : () -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

func.func @generic_btt_no_operands_no_result() {
  // CHECK: robustness.mlir:[[@LINE+1]]:3: error: 'structured.btt' op expected 4 operands, but found 0
  "structured.btt"() : () -> ()
  return
}

// -----

func.func @generic_permute_one_operand(%x: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op expected 2 operands, but found 1
  %y = "structured.permute"(%x) <{rows = 2 : i64, cols = 3 : i64}> : (tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @generic_permute_no_attributes(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op requires attribute 'cols'
  %y = "structured.permute"(%x, %init) : (tensor<8x6xf32>, tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @generic_permute_missing_rows(%x: memref<8x6xf32>, %init: memref<8x6xf32>) {
  // CHECK: robustness.mlir:[[@LINE+1]]:3: error: 'structured.permute' op requires attribute 'rows'
  "structured.permute"(%x, %init) <{cols = 3 : i64}> : (memref<8x6xf32>, memref<8x6xf32>) -> ()
  return
}

// -----

//===----------------------------------------------------------------------===//
// Wrong attribute types on permute
//===----------------------------------------------------------------------===//

func.func @rows_string(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:83: error: custom op 'structured.permute' 'structured.permute' op attribute 'rows' failed to satisfy constraint: 64-bit signless integer attribute
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = "two", cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @cols_float(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:83: error: custom op 'structured.permute' 'structured.permute' op attribute 'cols' failed to satisfy constraint: 64-bit signless integer attribute
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3.0} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @rows_index(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:83: error: custom op 'structured.permute' 'structured.permute' op attribute 'rows' failed to satisfy constraint: 64-bit signless integer attribute
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2 : index, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @rows_unit(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:83: error: custom op 'structured.permute' 'structured.permute' op attribute 'rows' failed to satisfy constraint: 64-bit signless integer attribute
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @rows_out_of_range_literal(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:91: error: integer constant out of range for attribute
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 99999999999999999999999, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @generic_rows_array(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: invalid properties {cols = 3 : i64, rows = [2]} for op structured.permute: Invalid attribute `rows` in property conversion: [2]
  %y = "structured.permute"(%x, %init) <{rows = [2], cols = 3 : i64}> : (tensor<8x6xf32>, tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @generic_rows_f32(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: invalid properties {cols = 3 : i64, rows = 2.000000e+00 : f32} for op structured.permute: Invalid attribute `rows` in property conversion: 2.000000e+00 : f32
  %y = "structured.permute"(%x, %init) <{rows = 2.0 : f32, cols = 3 : i64}> : (tensor<8x6xf32>, tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @generic_rows_si64(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op attribute 'rows' failed to satisfy constraint: 64-bit signless integer attribute
  %y = "structured.permute"(%x, %init) <{rows = 2 : si64, cols = 3 : i64}> : (tensor<8x6xf32>, tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @generic_cols_i32_in_attr_dict(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op attribute 'cols' failed to satisfy constraint: 64-bit signless integer attribute
  %y = "structured.permute"(%x, %init) {rows = 2 : i64, cols = 3 : i32} : (tensor<8x6xf32>, tensor<8x6xf32>) -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Zero-size and huge dimensions
//===----------------------------------------------------------------------===//

func.func @zero_block_count(%x: tensor<8x6xf32>, %w: tensor<0x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.blockdiag' op 'w' has size 0 in dimension 0, expected a positive size
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<0x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @zero_everything(%x: tensor<0x0xf32>, %w: tensor<0x0x0xf32>, %init: tensor<0x0xf32>) -> tensor<0x0xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.blockdiag' op 'w' has size 0 in dimension 0, expected a positive size
  %y = structured.blockdiag ins(%x, %w : tensor<0x0xf32>, tensor<0x0x0xf32>) outs(%init : tensor<0x0xf32>) -> tensor<0x0xf32>
  return %y : tensor<0x0xf32>
}

// -----

func.func @zero_features_monarch(%x: memref<8x0xf32>, %w1: memref<1x1x1xf32>, %w2: memref<1x1x1xf32>, %init: memref<8x1xf32>) {
  // CHECK: robustness.mlir:[[@LINE+1]]:3: error: 'structured.monarch' op 'x' has 0 features, expected a positive size
  structured.monarch ins(%x, %w1, %w2 : memref<8x0xf32>, memref<1x1x1xf32>, memref<1x1x1xf32>) outs(%init : memref<8x1xf32>)
  return
}

// -----

func.func @zero_rows(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op expects positive 'rows' and 'cols', got rows = 0, cols = 0
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 0, cols = 0} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

// Both negative, with a product equal to n: still rejected.
func.func @negative_rows_and_cols(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op expects positive 'rows' and 'cols', got rows = -2, cols = -3
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = -2, cols = -3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @int64_min_rows(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op expects positive 'rows' and 'cols', got rows = -9223372036854775808, cols = 3
  %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = -9223372036854775808, cols = 3} -> tensor<8x6xf32>
  return %y : tensor<8x6xf32>
}

// -----

func.func @huge_rows_cols(%x: tensor<2x9223372036854775807xf32>, %init: tensor<2x9223372036854775807xf32>) -> tensor<2x9223372036854775807xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.permute' op rows·cols = 9223372036854775807·9223372036854775807 overflows a 64-bit size
  %y = structured.permute ins(%x : tensor<2x9223372036854775807xf32>) outs(%init : tensor<2x9223372036854775807xf32>) {rows = 9223372036854775807, cols = 9223372036854775807} -> tensor<2x9223372036854775807xf32>
  return %y : tensor<2x9223372036854775807xf32>
}

// -----

func.func @huge_blockdiag(%x: tensor<8x4xf32>, %w: tensor<9223372036854775807x9223372036854775807x9223372036854775807xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // CHECK: robustness.mlir:[[@LINE+1]]:8: error: 'structured.blockdiag' op k·p = 9223372036854775807·9223372036854775807 overflows a 64-bit size
  %y = structured.blockdiag ins(%x, %w : tensor<8x4xf32>, tensor<9223372036854775807x9223372036854775807x9223372036854775807xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

func.func @huge_btt_ls(%x: memref<1x4611686018427387904xf32>, %w1: memref<4611686018427387904x2x1x1xf32>, %w2: memref<4611686018427387904x4x1x2xf32>, %init: memref<1x16xf32>) {
  // CHECK: robustness.mlir:[[@LINE+1]]:3: error: 'structured.btt' op l·s = 4611686018427387904·4 overflows a 64-bit size
  structured.btt ins(%x, %w1, %w2 : memref<1x4611686018427387904xf32>, memref<4611686018427387904x2x1x1xf32>, memref<4611686018427387904x4x1x2xf32>) outs(%init : memref<1x16xf32>)
  return
}

// -----

// CHECK: robustness.mlir:[[@LINE+1]]:45: error: invalid dimension
func.func @dimension_too_large(%x: tensor<8x9223372036854775808xf32>) {
  return
}

// -----

// CHECK: robustness.mlir:[[@LINE+1]]:44: error: expected non-function type
func.func @negative_dimension(%x: tensor<8x-1xf32>) {
  return
}
