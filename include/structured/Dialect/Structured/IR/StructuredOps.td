//===- StructuredOps.td - Structured dialect ops -----------*- tablegen -*-===//
//
// Op definitions. Shapes and semantics follow DESIGN.md §1; every rule stated
// in an op description is checked by that op's verifier.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDOPS_TD
#define STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDOPS_TD

include "structured/Dialect/Structured/IR/StructuredDialect.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

// Operands are ranked tensors or ranked memrefs; element types, ranks and
// sizes are checked by the verifiers so that their messages can name the
// operand and the sizes involved.
def Structured_ShapedOperand
    : AnyTypeOf<[AnyRankedTensor, AnyNon0RankedMemRef],
                "ranked tensor or memref">;

class Structured_Op<string mnemonic, list<Trait> traits = []>
    : Op<Structured_Dialect, mnemonic, !listconcat(traits, [
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
        DestinationStyleOpInterface,
        DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                                  ["reifyResultShapes"]>])> {
  let results = (outs Optional<AnyRankedTensor>:$result);
  let hasVerifier = 1;

  code structuredClassDeclaration = [{
    /// Operand holding the destination; the result overwrites it.
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
    /// Number of leading batch dimensions of the input and output.
    int64_t getBatchRank() {
      return ::llvm::cast<::mlir::ShapedType>(getX().getType()).getRank() - 1;
    }
  }];
  let extraClassDeclaration = structuredClassDeclaration;
}

//===----------------------------------------------------------------------===//
// BlockDiagOp
//===----------------------------------------------------------------------===//

def Structured_BlockDiagOp : Structured_Op<"blockdiag"> {
  let summary = "Block-diagonal linear map";
  let description = [{
    Multiplies the feature dimension of `x` by a block-diagonal matrix of `k`
    blocks, each `q×p`, stored as `w : k×q×p`:

    ```
    y[b, i·q + j] = Σ_t w[i, j, t] · x[b, i·p + t]
    ```

    with `x : B×n`, `n = k·p`, and `y : B×(k·q)`. `B` stands for any number of
    leading batch dimensions.

    Example: two 2×3 blocks map 6 features to 4.

    ```mlir
    %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>)
                              outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
    ```
  }];
  let arguments = (ins Structured_ShapedOperand:$x,
                       Structured_ShapedOperand:$w,
                       Structured_ShapedOperand:$init);
  let assemblyFormat = [{
    `ins` `(` $x `,` $w `:` type($x) `,` type($w) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// PermuteOp
//===----------------------------------------------------------------------===//

def Structured_PermuteOp : Structured_Op<"permute"> {
  let summary = "Stride permutation of the feature dimension";
  let description = [{
    Views the feature dimension as a row-major `rows×cols` matrix and
    transposes it:

    ```
    y[b, c·rows + r] = x[b, r·cols + c]
    ```

    with `n = rows·cols` features in and out. `permute {rows = C, cols = R}`
    is the inverse of `permute {rows = R, cols = C}`; stride permutations of
    the same size compose into another stride permutation when the product of
    their row counts is congruent to a divisor of `n` modulo `n − 1`.

    Example: `[x0 x1 x2 x3 x4 x5]` with `rows = 2, cols = 3` becomes
    `[x0 x3 x1 x4 x2 x5]`.

    ```mlir
    %y = structured.permute ins(%x : tensor<8x6xf32>)
                            outs(%init : tensor<8x6xf32>) {cols = 3 : i64, rows = 2 : i64}
                            -> tensor<8x6xf32>
    ```
  }];
  let arguments = (ins Structured_ShapedOperand:$x,
                       Structured_ShapedOperand:$init,
                       I64Attr:$rows, I64Attr:$cols);
  let assemblyFormat = [{
    `ins` `(` $x `:` type($x) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($result)^)?
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// MonarchOp
//===----------------------------------------------------------------------===//

def Structured_MonarchOp : Structured_Op<"monarch"> {
  let summary = "Monarch matrix: two block-diagonal factors and a stride permutation";
  let description = [{
    Applies a Monarch matrix, the product of two block-diagonal factors with
    stride permutations between them, to the feature dimension of `x`:

    ```
    z[b, i·q + j] = Σ_t w1[i, j, t] · x[b, i·p + t]      (k blocks of q×p)
    y[b, u·l + a] = Σ_c w2[a, u, c] · z[b, c·l + a]      (l blocks of s×r)
    ```

    Shapes: `x : B×n`, `w1 : k×q×p` with `k·p = n`, `w2 : l×s×r` with
    `l·r = k·q`, `y : B×(l·s)`. Rectangular maps (`n ≠ l·s`) are allowed. For
    square `n = m²` and all block sizes `m` this is
    `einsum('bkp,kqp,qlk->blq')`.

    The op is exactly `permute{rows=l, cols=s}(blockdiag(permute{rows=r,
    cols=l}(blockdiag(x, w1)), w2))`; canonicalization recognises that chain.

    Example: a 16×16 Monarch matrix with 4 blocks of 4×4 in each factor.

    ```mlir
    %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>)
                            outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins Structured_ShapedOperand:$x,
                       Structured_ShapedOperand:$w1,
                       Structured_ShapedOperand:$w2,
                       Structured_ShapedOperand:$init);
  let assemblyFormat = [{
    `ins` `(` $x `,` $w1 `,` $w2 `:` type($x) `,` type($w1) `,` type($w2) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// BTTOp
//===----------------------------------------------------------------------===//

def Structured_BTTOp : Structured_Op<"btt"> {
  let summary = "Block Tensor-Train of rank R";
  let description = [{
    Block Tensor-Train: a Monarch matrix whose two factors are connected by a
    rank index `ρ` of size `R`:

    ```
    z[b, ρ, i·q + j] = Σ_t     w1[i, ρ, j, t] · x[b, i·p + t]
    y[b, u·l + a]    = Σ_{c,ρ} w2[a, u, c, ρ] · z[b, ρ, c·l + a]
    ```

    Shapes: `x : B×n`, `w1 : k×R×q×p` with `k·p = n`, `w2 : l×s×r×R` with
    `l·r = k·q`, `y : B×(l·s)`. With `R = 1` this is `structured.monarch`,
    and canonicalization rewrites it so.

    ```mlir
    %y = structured.btt ins(%x, %w1, %w2 : tensor<16x1024xf32>, tensor<32x4x32x32xf32>, tensor<32x32x32x4xf32>)
                        outs(%init : tensor<16x1024xf32>) -> tensor<16x1024xf32>
    ```
  }];
  let arguments = (ins Structured_ShapedOperand:$x,
                       Structured_ShapedOperand:$w1,
                       Structured_ShapedOperand:$w2,
                       Structured_ShapedOperand:$init);
  let assemblyFormat = [{
    `ins` `(` $x `,` $w1 `,` $w2 `:` type($x) `,` type($w1) `,` type($w2) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($result)^)?
  }];
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// BTTMoEOp
//===----------------------------------------------------------------------===//

def Structured_BTTMoEOp : Structured_Op<"btt_moe"> {
  let summary = "Block Tensor-Train with a mixture of experts in the rank";
  let description = [{
    Like `structured.btt`, but each row `b` uses only `K` of the `R` rank
    components (the experts): `ρ = idx[b, κ]`, each scaled by `gate[b, κ]`:

    ```
    z[b, ρ, i·q + j] = Σ_t w1[i, ρ, j, t] · x[b, i·p + t]
    y[b, u·l + a]    = Σ_κ gate[b, κ] · Σ_c w2[a, u, c, idx[b, κ]] · z[b, idx[b, κ], c·l + a]
    ```

    Shapes: `x : B×n`, `w1 : k×R×q×p` with `k·p = n`, `w2 : l×s×r×R` with
    `l·r = k·q`, `idx : B×K` of `i32` or `i64`, `gate : B×K` of a float
    type, `y : B×(l·s)`. `B` is the same (possibly multi-dimensional) batch
    for `x`, `idx`, `gate` and `y`. Lowerings compute only the selected
    components, so their cost grows with `K`, not `R`. An index outside
    `[0, R)` is a runtime error where runtime checks are enabled (the
    default of `structured-decompose` and the CPU pipeline).

    Example: one row, experts 0 and 1 of R = 2 with gates 0.25 and 0.75
    computes `0.25·(monarch of rank slice 0) + 0.75·(monarch of rank slice 1)`
    applied to that row.

    ```mlir
    %y = structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : tensor<16x64xf32>, tensor<8x8x8x8xf32>, tensor<8x8x8x8xf32>, tensor<16x2xi32>, tensor<16x2xf32>)
                            outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
    ```
  }];
  let arguments = (ins Structured_ShapedOperand:$x,
                       Structured_ShapedOperand:$w1,
                       Structured_ShapedOperand:$w2,
                       Structured_ShapedOperand:$idx,
                       Structured_ShapedOperand:$gate,
                       Structured_ShapedOperand:$init);
  let assemblyFormat = [{
    `ins` `(` $x `,` $w1 `,` $w2 `,` $idx `,` $gate `:` type($x) `,` type($w1)
      `,` type($w2) `,` type($idx) `,` type($gate) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// EinsumLinearOp
//===----------------------------------------------------------------------===//

def Structured_EinsumLinearOp : Structured_Op<"einsum_linear"> {
  let summary = "Linear map of x written as an einsum over structured factors";
  let description = [{
    Applies the linear map given by an einsum `spec` in numpy notation:
    `"x,f1,...,fn->y"`. The first term is `x`: its first letter is the batch
    dimension (all leading batch dimensions of the operand) and its other
    letters are a row-major factored view of the feature dimension, whose
    sizes come from the factors. Then one term per factor operand, then the
    output: the batch letter first, and letters that are flattened row-major
    into the output feature dimension. Factors never carry the batch letter,
    so the map is a fixed matrix applied to every row of `x`; letters not in
    the output are summed over.

    Low-rank, Kronecker, Tensor-Train, Monarch and BTT maps are instances:

    | map | spec |
    |---|---|
    | low rank | `"bi,ri,or->bo"` |
    | Kronecker | `"bij,ki,lj->bkl"` |
    | Tensor-Train (3 cores) | `"zijk,aip,pjeq,qkc->zaec"` |
    | Monarch | `"bkp,kqp,qlk->blq"` |
    | BTT | `"bkp,kRqp,qlkR->blq"` |

    Canonicalization rewrites the low-rank, Monarch and BTT patterns into
    `structured.monarch` / `structured.btt`; `structured-decompose` lowers the
    rest to pairwise `linalg.generic` contractions in an order chosen
    greedily by FLOP count (as opt_einsum's greedy path does), accumulating
    in `f32`.

    Example: a Kronecker product `A ⊗ B` with `A : 3×2`, `B : 5×4`, mapping
    8 features (viewed as 2×4) to 15 (viewed as 3×5):

    ```mlir
    %y = structured.einsum_linear ins(%x, %a, %b : tensor<16x8xf32>, tensor<3x2xf32>, tensor<5x4xf32>)
                                  outs(%init : tensor<16x15xf32>) {spec = "bij,ki,lj->bkl"}
                                  -> tensor<16x15xf32>
    ```
  }];
  let arguments = (ins Variadic<Structured_ShapedOperand>:$inputs,
                       Structured_ShapedOperand:$init,
                       StrAttr:$spec);
  let assemblyFormat = [{
    `ins` `(` $inputs `:` type($inputs) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = structuredClassDeclaration # [{
    /// The input x: the first operand of `ins`.
    ::mlir::Value getX() { return getInputs().front(); }
    /// The factor operands, in the order of the spec's terms.
    ::mlir::OperandRange getFactors() { return getInputs().drop_front(); }
    /// The spec, parsed and with letter sizes resolved against the operand
    /// shapes; `error` (if any) receives what is wrong with it.
    ::mlir::FailureOr<::mlir::structured::EinsumSpec> getResolvedSpec(
        ::llvm::function_ref<void(const ::llvm::Twine &)> error = {});
  }];
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Causal polynomial maps: PolyEvalOp, PolyInterpOp, CausalConvOp
//===----------------------------------------------------------------------===//

def Structured_PolyEvalOp : Structured_Op<"poly_eval"> {
  let summary = "Evaluate polynomials at the roots of unity (a DFT)";
  let description = [{
    Reads each row of `x` as the coefficients of a polynomial of degree
    `< N` and evaluates it at the `M` points `ω^k`, `ω = exp(-2πi/M)`,
    `M >= N` (the coefficients are zero-padded to `M`):

    ```
    y[b, k] = Σ_{n<N} x[b, n] · ω^{n·k}        (k < M)
    ```

    `x` is real (`f32`, `f16`, `bf16`) or `complex<f32>`; `y` is
    `complex<f32>`. The decomposition is the Monarch factorisation of the DFT
    used by FlashFFTConv and Monarch Mixer: with `M = m1·m2`,
    `DFT_M = monarch(w1, w2) ∘ permute{rows = m1, cols = m2}`, where `w1`
    holds `m2` copies of `DFT_m1` and `w2[k1, k2, n2] = ω_{m2}^{n2·k2} ·
    ω_M^{n2·k1}` folds the twiddle factors into the second factor. Its cost is
    `O(M·(m1 + m2))`, i.e. `O(M^1.5)` for a balanced factorisation.

    Example: `N = 3` coefficients `[1, 2, 3]` at the `M = 4` points
    `1, -i, -1, i` give `[6, -2-2i, 2, -2+2i]`.

    ```mlir
    %y = structured.poly_eval ins(%x : tensor<8x3xf32>)
                              outs(%init : tensor<8x4xcomplex<f32>>) -> tensor<8x4xcomplex<f32>>
    ```
  }];
  let arguments = (ins Structured_ShapedOperand:$x,
                       Structured_ShapedOperand:$init);
  let assemblyFormat = [{
    `ins` `(` $x `:` type($x) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($result)^)?
  }];
}

def Structured_PolyInterpOp : Structured_Op<"poly_interp"> {
  let summary = "Interpolate polynomials from their values at the roots of unity";
  let description = [{
    The inverse of `structured.poly_eval`, truncated: from the values
    `x[b, k]` of a polynomial at the `M` points `ω^k`, recovers its leading
    `L <= M` coefficients, keeping their real part:

    ```
    y[b, n] = Re( (1/M) Σ_{k<M} x[b, k] · ω^{-n·k} )        (n < L)
    ```

    `x` is `complex<f32>`, `y` is real. Lowered, like `poly_eval`, through
    `structured.monarch` with conjugate twiddle factors.

    ```mlir
    %y = structured.poly_interp ins(%x : tensor<8x4xcomplex<f32>>)
                                outs(%init : tensor<8x3xf32>) -> tensor<8x3xf32>
    ```
  }];
  let arguments = (ins Structured_ShapedOperand:$x,
                       Structured_ShapedOperand:$init);
  let assemblyFormat = [{
    `ins` `(` $x `:` type($x) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($result)^)?
  }];
}

def Structured_CausalConvOp : Structured_Op<"causal_conv"> {
  let summary = "Causal long convolution (Monarch Mixer's sequence mixer)";
  let description = [{
    Convolves each channel of `x` (the signal `u` of Monarch Mixer) with that
    channel's kernel, causally, along the last dimension:

    ```
    y[b, h, t] = Σ_{s<=t} k[h, s] · x[b, h, t − s]
    ```

    Shapes: `x : B×H×L` (any number of leading batch dimensions), `k : H×L`
    (static), `y : B×H×L`; `f32`, `f16` or `bf16`, computed in `f32`.

    It is polynomial multiplication truncated to `L` coefficients, which is
    how `structured-decompose` computes it: pad to `M >= 2L` (the next power
    of two, so that the circular product has no wrap-around), evaluate both
    polynomials with `structured.poly_eval`, multiply pointwise, and
    `structured.poly_interp` back to `L` coefficients; `O(M^1.5)` for any
    `L`, odd and prime lengths included. `structured-decompose{causal-conv=direct}`
    instead emits the `O(L²)` sum above (the reference for testing).

    Example: `x = [1, 2, 3]`, `k = [1, 1, 0]` gives `y = [1, 3, 5]`.

    ```mlir
    %y = structured.causal_conv ins(%x, %k : tensor<8x768x4096xf32>, tensor<768x4096xf32>)
                                outs(%init : tensor<8x768x4096xf32>) -> tensor<8x768x4096xf32>
    ```
  }];
  let arguments = (ins Structured_ShapedOperand:$x,
                       Structured_ShapedOperand:$k,
                       Structured_ShapedOperand:$init);
  let assemblyFormat = [{
    `ins` `(` $x `,` $k `:` type($x) `,` type($k) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($result)^)?
  }];
}

#endif // STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDOPS_TD
