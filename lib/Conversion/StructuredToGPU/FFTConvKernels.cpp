//===- FFTConvKernels.cpp - causal_conv as fused FFT kernels --------------===//
//
// A buffer-form causal_conv with a GpuFFTConvPlan becomes two launches,
// which read their twiddles from a global of the module (one per
// transform size: W[t] = exp(-2πi·t/P) for t ≤ N/2, P = 2N the padded
// length, then those of the FFT passes in the order they are read;
// GpuFFTConvPlan::twiddleTable):
//
//   1. kernel spectra: per channel h (a CTA), K̂[h][f] for f = 0..N, the
//      P-point DFT of k[h] padded with zeros, scaled by 1/(4N);
//   2. the convolution: per row (a CTA; the rows of a channel in
//      neighbouring CTAs, so their K̂[h] reads hit L2), the spectrum X of
//      the padded row, Y = X·K̂[h], and the row of the inverse, truncated
//      to L. Each row is transformed on its own, so rows never mix (a NaN
//      stays in its row, rounding scales with the row's own values).
//
// With L even, the kernels read (k, x) and write (y) elements 2i and 2i + 1
// of a row as one vector: half the memory instructions.
//
// A real row of P = 2N is transformed as one complex sequence of N, z[n] =
// x[2n] + i·x[2n+1]. From Z = FFT(z), X[k] = E[k] + W^k·O[k] with
// E[k] = (Z[k] + conj Z[N−k]) / 2 and O[k] = −i·(Z[k] − conj Z[N−k]) / 2
// (the DFTs of the even and odd elements); the inverse merges Y back into
// Z'[k] = (Y[k] + conj Y[N−k]) / 2 + i·(Y[k] − conj Y[N−k])·conj(W^k) / 2,
// whose inverse N-point transform, conj(FFT(conj Z')) / N, holds y's even
// (real) and odd (imaginary) elements. A thread takes k and N − k together,
// which need W^k only (W^(N−k) = −conj W^k, for k ≤ N/2).
//
// An FFT runs in shared memory (complex f32, one pad element after every
// radices[0]) as Stockham passes: for pass radix R after a product Ns of
// earlier radices, job j < N/R reads elements j + r·N/R (r < R), multiplies
// them by exp(-2πi·r·(j mod Ns)/(Ns·R)) (the pass's table entry r·Ns + j
// mod Ns, or the product of two such entries), takes their R-point DFT in
// registers (radix-2 butterflies with constant twiddles) and writes element r
// to (j / Ns)·Ns·R + j mod Ns + r·Ns; the last pass leaves the transform in
// natural order. Each pass is a factor of the Monarch factorization of the DFT:
// block-diagonal R-point DFTs, a twiddle diagonal and a stride permutation.
//
//===----------------------------------------------------------------------===//

#include "structured/Conversion/StructuredToGPU/StructuredToGPU.h"

#include "KernelBuilder.h"
#include "StageLaunch.h"

#include "structured/Analysis/CostModel/GpuFFTConvPlan.h"
#include "structured/Analysis/CostModel/GpuKernelPlan.h"
#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::structured;

namespace {

struct Complex {
  Value re, im;
};

/// Builds the index and complex arithmetic of the kernels, and the FFT of
/// the sequence in shared memory.
class FFTKernelBuilder : public KernelBuilder {
public:
  FFTKernelBuilder(OpBuilder &b, Location loc, const GpuFFTConvPlan &plan)
      : KernelBuilder(b, loc), plan(plan) {}

  Value f32(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value toF32(Value v) {
    return v.getType().isF32()
               ? v
               : arith::ExtFOp::create(b, loc, b.getF32Type(), v).getResult();
  }

  // f32 arithmetic that may contract into FMAs (a complex product becomes
  // two multiplications and two FMAs).
  Value addf(Value x, Value y) {
    return arith::AddFOp::create(b, loc, x, y, contract());
  }
  Value subf(Value x, Value y) {
    return arith::SubFOp::create(b, loc, x, y, contract());
  }
  Value mulf(Value x, Value y) {
    return arith::MulFOp::create(b, loc, x, y, contract());
  }

  Complex cadd(Complex x, Complex y) {
    return {addf(x.re, y.re), addf(x.im, y.im)};
  }
  Complex csub(Complex x, Complex y) {
    return {subf(x.re, y.re), subf(x.im, y.im)};
  }
  Complex cmul(Complex x, Complex y) {
    return {subf(mulf(x.re, y.re), mulf(x.im, y.im)),
            addf(mulf(x.re, y.im), mulf(x.im, y.re))};
  }
  Value negate(Value v) { return arith::NegFOp::create(b, loc, v); }
  Complex conj(Complex c) { return {c.re, negate(c.im)}; }
  Complex scale(Complex c, double factor) {
    Value f = f32(factor);
    return {mulf(c.re, f), mulf(c.im, f)};
  }
  /// i·c and −i·c.
  Complex timesI(Complex c) { return {negate(c.im), c.re}; }
  Complex timesMinusI(Complex c) { return {c.im, negate(c.re)}; }
  /// exp(i·angle), rounded to f32 at compile time.
  Complex unitRoot(double angle) {
    return {f32(std::cos(angle)), f32(std::sin(angle))};
  }

  /// Twice the spectrum X of the real sequence of 2N at k and m = N − k,
  /// from the transform Z of its even (real) and odd (imaginary) elements.
  /// X[k] = E[k] + W^k·O[k] with E[k] = (Z[k] + conj Z[m]) / 2 and
  /// O[k] = −i·(Z[k] − conj Z[m]) / 2; E[m] = conj E[k], O[m] = conj O[k]
  /// and W^m = −conj W^k, so with A = Z[k] + conj Z[m] and
  /// T = −i·W^k·(Z[k] − conj Z[m]): 2X[k] = A + T, 2X[m] = conj(A − T).
  std::pair<Complex, Complex> realSpectrum(Complex zk, Complex zm, Complex wk) {
    Complex a = cadd(zk, conj(zm));
    Complex t = timesMinusI(cmul(wk, csub(zk, conj(zm))));
    return {cadd(a, t), conj(csub(a, t))};
  }
  /// The inverse, conjugated: twice conj Z'[k] and conj Z'[m] of the
  /// transform Z' of N whose inverse holds the even (real) and odd
  /// (imaginary) elements of the real sequence of spectrum Y. Z'[k] =
  /// E[k] + i·O[k] with E[k] = (Y[k] + conj Y[m]) / 2 and O[k] =
  /// (Y[k] − conj Y[m])·conj(W^k) / 2, so with C = Y[k] + conj Y[m] and
  /// U = i·conj(W^k)·(Y[k] − conj Y[m]): 2Z'[k] = C + U, 2Z'[m] =
  /// conj(C − U).
  std::pair<Complex, Complex> conjRealTransform(Complex yk, Complex ym,
                                                Complex wk) {
    Complex c = cadd(yk, conj(ym));
    Complex u = timesI(cmul(conj(wk), csub(yk, conj(ym))));
    return {conj(cadd(c, u)), csub(c, u)};
  }

  /// Loads and stores of complex element `i` of an interleaved f32 buffer.
  Complex loadPair(Value memref, ValueRange indices) {
    Value pair = vector::LoadOp::create(b, loc, VectorType::get({2}, f32Type()),
                                        memref, indices, /*nontemporal=*/false,
                                        llvm::MaybeAlign(8));
    return {vector::ExtractOp::create(b, loc, pair, 0),
            vector::ExtractOp::create(b, loc, pair, 1)};
  }
  void storePair(Complex c, Value memref, ValueRange indices) {
    Value pair = vector::FromElementsOp::create(
        b, loc, VectorType::get({2}, f32Type()), ValueRange{c.re, c.im});
    vector::StoreOp::create(b, loc, pair, memref, indices,
                            /*nontemporal=*/false, llvm::MaybeAlign(8));
  }

  /// Thread id, the sequence in dynamic shared memory and the twiddle
  /// table, the global `table`.
  void begin(gpu::LaunchOp launch, memref::GlobalOp table) {
    tid = launch.getThreadIds().x;
    twiddles = memref::GetGlobalOp::create(b, loc, table.getType(),
                                           table.getSymName());
    sequence = memref::ViewOp::create(
        b, loc,
        MemRefType::get({2 * plan.sharedElements()}, f32Type(), AffineMap(),
                        workgroupSpace()),
        dynamicSharedMemory(), index(0), ValueRange{});
  }
  /// Entry t of the twiddle table (W^t of P for t ≤ N/2).
  Complex twiddle(Value t) { return loadPair(twiddles, {mul(t, 2)}); }
  Complex loadShared(Value i) {
    return loadPair(sequence, {mul(add(i, div(i, plan.radices.front())), 2)});
  }
  void storeShared(Complex c, Value i) {
    storePair(c, sequence, {mul(add(i, div(i, plan.radices.front())), 2)});
  }

  /// Calls `body(i, first)` for i = tid + first, first = 0, threads, ...
  /// while i is below `count`, unrolled: as a loop, each round waited for its
  /// global loads before the next issued its own (a third of the convolution
  /// kernel's stall samples); unrolled, they are all in flight at once. A last,
  /// partial round runs under a condition.
  void forEachElement(int64_t count,
                      llvm::function_ref<void(Value, int64_t)> body) {
    for (int64_t first = 0; first < count; first += plan.threads) {
      Value i = first == 0 ? tid : add(tid, index(first));
      if (first + plan.threads <= count) {
        body(i, first);
        continue;
      }
      auto inside = scf::IfOp::create(b, loc, less(i, index(count)),
                                      /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&inside.getThenRegion().front());
      body(i, first);
    }
  }

  void barrier() { gpu::BarrierOp::create(b, loc); }

  /// Reads element i of the sequence to transform, or writes element i of
  /// the transform, outside shared memory.
  using ElementLoad = llvm::function_ref<Complex(Value)>;
  using ElementStore = llvm::function_ref<void(Complex, Value)>;

  /// The forward FFT of the sequence, in place in shared memory; starts
  /// after a barrier over its writes, ends with one. With `loadInput`, the
  /// first pass reads the sequence through it instead (shared memory is
  /// not read, no barrier needed before); with `storeOutput`, the last
  /// pass writes the transform through it (shared memory is not written,
  /// no final barrier).
  void fft(ElementLoad loadInput = nullptr,
           ElementStore storeOutput = nullptr) {
    int64_t strideProduct = 1;
    unsigned passes = plan.radices.size();
    for (auto [pass, radix] : llvm::enumerate(plan.radices)) {
      emitPass(plan.twiddleOffset(pass), radix, strideProduct,
               pass == 0 ? loadInput : nullptr,
               pass + 1 == passes ? storeOutput : nullptr);
      strideProduct *= radix;
    }
  }

private:
  Type f32Type() { return b.getF32Type(); }
  arith::FastMathFlagsAttr contract() {
    return arith::FastMathFlagsAttr::get(b.getContext(),
                                         arith::FastMathFlags::contract);
  }

  /// The R-point DFT of `v` in place: bit-reversed order, then radix-2
  /// butterflies whose twiddles are constants.
  void dft(SmallVectorImpl<Complex> &v) {
    int64_t radix = v.size();
    unsigned bits = llvm::Log2_64(radix);
    SmallVector<Complex> a(radix);
    for (int64_t i = 0; i < radix; ++i) {
      int64_t reversed = 0;
      for (unsigned bit = 0; bit < bits; ++bit)
        if (i & (int64_t(1) << bit))
          reversed |= int64_t(1) << (bits - 1 - bit);
      a[i] = v[reversed];
    }
    for (int64_t len = 2; len <= radix; len *= 2) {
      for (int64_t g = 0; g < radix; g += len) {
        for (int64_t t = 0; t < len / 2; ++t) {
          Complex x = a[g + t + len / 2];
          if (4 * t == len) {
            // × −i
            x = {x.im, negate(x.re)};
          } else if (t != 0) {
            double angle = -2 * llvm::numbers::pi * t / len;
            x = cmul(x, unitRoot(angle));
          }
          Complex u = a[g + t];
          a[g + t] = cadd(u, x);
          a[g + t + len / 2] = csub(u, x);
        }
      }
    }
    v.assign(a.begin(), a.end());
  }

  /// A pass whose twiddles start at entry `offset` of the table, reading
  /// through `loadInput` and writing through `storeOutput` where given.
  void emitPass(int64_t offset, int64_t radix, int64_t strideProduct,
                ElementLoad loadInput, ElementStore storeOutput) {
    int64_t jobs = plan.size / radix;
    int64_t jobsPerThread = llvm::divideCeil(jobs, plan.threads);
    SmallVector<Value> jobIds;
    SmallVector<SmallVector<Complex>> values;
    for (int64_t n = 0; n < jobsPerThread; ++n) {
      // Threads past the last job repeat it (the same values to the same
      // places).
      Value j = min(add(tid, index(n * plan.threads)), index(jobs - 1));
      SmallVector<Complex> v;
      for (int64_t r = 0; r < radix; ++r) {
        Value i = add(j, index(r * jobs));
        v.push_back(loadInput ? loadInput(i) : loadShared(i));
      }
      if (strideProduct > 1) {
        Value k = rem(j, strideProduct);
        // Rows r = 4a + b (0 < b < 4, a > 0) as the product of rows 4a and
        // b: 6 of the 15 loads of a radix-16 pass, at one more rounding
        // (the loads were a third of the kernels' L1 traffic).
        SmallVector<Complex> w(radix);
        for (int64_t r = 1; r < radix; ++r) {
          int64_t low = r % 4, high = r - low;
          if (low == 0 || high == 0) {
            Value entry = add(k, index(offset + r * strideProduct));
            w[r] = twiddle(entry);
          } else {
            w[r] = cmul(w[high], w[low]);
          }
          v[r] = cmul(v[r], w[r]);
        }
      }
      dft(v);
      jobIds.push_back(j);
      values.push_back(std::move(v));
    }
    // In place: every job's reads before any write. The last pass writes
    // the elements its job read (j + r·N/R), so without repeated jobs no
    // thread writes what another reads.
    bool ownElements =
        strideProduct * radix == plan.size && jobs % plan.threads == 0;
    if (!loadInput && !storeOutput && !ownElements)
      barrier();
    for (auto [j, v] : llvm::zip(jobIds, values)) {
      Value base = add(mul(div(j, strideProduct), strideProduct * radix),
                       rem(j, strideProduct));
      for (int64_t r = 0; r < radix; ++r) {
        Value i = add(base, index(r * strideProduct));
        if (storeOutput)
          storeOutput(v[r], i);
        else
          storeShared(v[r], i);
      }
    }
    if (!storeOutput)
      barrier();
  }

  const GpuFFTConvPlan &plan;
  Value tid, sequence, twiddles;
};

} // namespace

/// The twiddle table of `plan` as a private global of `module` in GPU
/// global memory, shared by the causal_convs of one transform size; kernel
/// outlining copies it into each kernel's module. The kernels only read it,
/// but it is not marked constant: LLVM would then keep the forward FFT's
/// twiddles in registers until the inverse reads the same entries (hundreds
/// of bytes of spills).
static memref::GlobalOp getOrCreateTwiddleTable(OpBuilder &b, Location loc,
                                                ModuleOp module,
                                                const GpuFFTConvPlan &plan) {
  std::string name = "__structured_fft_twiddles_" + std::to_string(plan.size);
  if (auto existing = module.lookupSymbol<memref::GlobalOp>(name))
    return existing;
  SmallVector<float> values = plan.twiddleTable();
  auto type = MemRefType::get(
      {int64_t(values.size())}, b.getF32Type(), AffineMap(),
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Global));
  auto initial = DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(), type.getElementType()),
      ArrayRef<float>(values));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  auto global = memref::GlobalOp::create(
      b, loc, name, b.getStringAttr("private"), type, initial,
      /*constant=*/false, b.getI64IntegerAttr(16));
  SymbolTable(module).insert(global);
  return global;
}

/// `gpu.launch` of `ctas` CTAs of `threads` threads named `name`; the
/// builder is left at the start of its body.
static gpu::LaunchOp createLaunch(OpBuilder &b, Location loc, Value ctas,
                                  int64_t threads, int64_t sharedBytes,
                                  StringRef name) {
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value one = index(1);
  Value shared =
      arith::ConstantIntOp::create(b, loc, b.getI32Type(), sharedBytes);
  auto launch = gpu::LaunchOp::create(b, loc, ctas, one, one, index(threads),
                                      one, one, shared);
  launch->setAttr(kGpuKernelNameAttr, b.getStringAttr(name));
  // fft-ctas-per-sm bounds the FFT kernels' registers where shared memory
  // allows that many CTAs.
  if (sharedBytes > 0)
    launch->setAttr(kGpuFFTOccupancyCTAsAttr,
                    b.getI64IntegerAttr(
                        GpuStagePlan::ctasPerSMBySharedMemory(sharedBytes)));
  b.setInsertionPointToStart(&launch.getBody().front());
  return launch;
}

namespace {

struct LowerCausalConvToFFTKernels : OpRewritePattern<CausalConvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(CausalConvOp op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MemRefType>(op.getX().getType()))
      return rewriter.notifyMatchFailure(op, "not on buffers");
    std::optional<GpuFFTConvPlan> plan = planGpuFFTConv(op);
    if (!plan)
      return rewriter.notifyMatchFailure(op, "no FFT kernel for this length");
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    FFTKernelBuilder host(b, loc, *plan);
    Value x = op.getX(), k = op.getK(), y = op.getInit();
    auto xType = cast<MemRefType>(x.getType());
    int64_t batchRank = xType.getRank() - 2;
    int64_t channels = cast<MemRefType>(k.getType()).getDimSize(0);
    int64_t n = plan->size, length = plan->length;
    int64_t padded = plan->paddedLength();

    // Rows: the product of the leading dimensions.
    SmallVector<Value> batchDims;
    Value rows = host.index(1);
    for (int64_t d = 0; d < batchRank; ++d) {
      batchDims.push_back(memref::DimOp::create(b, loc, x, d));
      rows = arith::MulIOp::create(b, loc, rows, batchDims.back());
    }
    std::string name = kernelBaseName(op);

    // The twiddle table, which each kernel reads from a global, and
    // spectrum entries 0..N of each channel (the others mirror them).
    memref::GlobalOp table =
        getOrCreateTwiddleTable(b, loc, op->getParentOfType<ModuleOp>(), *plan);
    Type f32 = b.getF32Type();
    Value spectra = memref::AllocOp::create(
        b, loc, MemRefType::get({channels, 2 * (n + 1)}, f32));

    // With L even, row elements 2i and 2i + 1 are read and written as one
    // vector where the buffer has the identity layout (and, as for the
    // other kernels, starts at a 16-byte boundary: enterKernelGuard).
    auto pairsOf = [&](Value buffer) {
      return length % 2 == 0 &&
             cast<MemRefType>(buffer.getType()).getLayout().isIdentity();
    };
    // The FFT of z[i] = row[2i] + i·row[2i+1] of a row whose elements
    // `indicesAt` locates in `buffer`, zero from L on; its first pass reads
    // the row.
    auto loadAndTransform = [&](FFTKernelBuilder &kb, Value buffer,
                                llvm::function_ref<SmallVector<Value>(Value)>
                                    indicesAt) {
      auto below = [&](Value t) { return kb.less(t, kb.index(length)); };
      auto orZero = [&](Value inside, Value element) {
        return arith::SelectOp::create(b, loc, inside, kb.toF32(element),
                                       kb.f32(0))
            .getResult();
      };
      bool pairs = pairsOf(buffer);
      Type elementType = getElementTypeOrSelf(buffer);
      kb.fft([&](Value i) -> Complex {
        Value even = kb.mul(i, 2);
        if (pairs) {
          Value pair = vector::LoadOp::create(
              b, loc, VectorType::get({2}, elementType), buffer,
              indicesAt(kb.min(even, kb.index(length - 2))),
              /*nontemporal=*/false,
              llvm::MaybeAlign(2 * elementType.getIntOrFloatBitWidth() / 8));
          Value inside = below(even);
          return {orZero(inside, vector::ExtractOp::create(b, loc, pair, 0)),
                  orZero(inside, vector::ExtractOp::create(b, loc, pair, 1))};
        }
        auto element = [&](Value t) {
          Value clamped = kb.min(t, kb.index(length - 1));
          return orZero(below(t), memref::LoadOp::create(b, loc, buffer,
                                                         indicesAt(clamped)));
        };
        return {element(even), element(kb.add(even, kb.index(1)))};
      });
    };
    // Calls body(k, m, mirror, W^k) for the pairs k = 0..N/2 and m = N − k
    // of the P-point spectrum, `mirror` being m's element of the N-point
    // transform (m mod N). Each pair belongs to one thread; its rounds k =
    // tid + first take W^k = W^tid · W^first, one load per thread.
    auto forEachMirrorPair =
        [&](FFTKernelBuilder &kb,
            llvm::function_ref<void(Value, Value, Value, Complex)> body) {
          Complex base;
          kb.forEachElement(n / 2 + 1, [&](Value kIndex, int64_t first) {
            Value m = arith::SubIOp::create(b, loc, kb.index(n), kIndex);
            Complex wk;
            if (first == 0) {
              base = wk = kb.twiddle(kIndex);
            } else {
              double angle = -2 * llvm::numbers::pi * first / padded;
              wk = kb.cmul(base, kb.unitRoot(angle));
            }
            body(kIndex, m, kb.rem(m, n), wk);
          });
        };

    // 1. The kernel's spectra, scaled by 1/(4N): 1/N for the inverse
    // transform and 1/4 for the factors 1/2 that the convolution's split
    // and merge leave out.
    {
      gpu::LaunchOp launch =
          createLaunch(b, loc, host.index(channels), plan->threads,
                       plan->sharedMemoryBytes(), name + "_kernel_dft");
      FFTKernelBuilder kb(b, loc, *plan);
      kb.begin(launch, table);
      Value h = launch.getBlockIds().x;
      if (pairsOf(k))
        assertAlignedOnDevice(b, loc, k);
      loadAndTransform(kb, k, [&](Value t) -> SmallVector<Value> {
        return {h, t};
      });
      forEachMirrorPair(kb, [&](Value kIndex, Value m, Value mirror,
                                Complex wk) {
        auto [xk, xm] =
            kb.realSpectrum(kb.loadShared(kIndex), kb.loadShared(mirror), wk);
        kb.storePair(kb.scale(xk, 1.0 / (8 * n)), spectra,
                     {h, kb.mul(kIndex, 2)});
        kb.storePair(kb.scale(xm, 1.0 / (8 * n)), spectra, {h, kb.mul(m, 2)});
      });
      finishLaunch(b, loc, launch);
    }

    // 2. The convolution, a CTA per row (one idle CTA for an empty batch:
    // no host branch, see enterKernelGuard).
    {
      Value ctas = arith::MaxUIOp::create(b, loc, host.mul(rows, channels),
                                          host.index(1));
      OpBuilder::InsertionGuard guard(b);
      gpu::LaunchOp launch = createLaunch(b, loc, ctas, plan->threads,
                                          plan->sharedMemoryBytes(), name);
      SmallVector<Value> pairedBuffers;
      for (Value buffer : {x, y})
        if (pairsOf(buffer))
          pairedBuffers.push_back(buffer);
      enterKernelGuard(b, loc,
                       arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                             rows, host.index(0)),
                       pairedBuffers);
      FFTKernelBuilder kb(b, loc, *plan);
      kb.begin(launch, table);
      Value cta = launch.getBlockIds().x;
      Value h = arith::DivUIOp::create(b, loc, cta, rows);
      // Indices of (row, h, t) in the operand's leading dimensions.
      SmallVector<Value> rowIndices(batchRank);
      Value row = arith::RemUIOp::create(b, loc, cta, rows);
      for (int64_t d = batchRank - 1; d >= 0; --d) {
        rowIndices[d] = arith::RemUIOp::create(b, loc, row, batchDims[d]);
        row = arith::DivUIOp::create(b, loc, row, batchDims[d]);
      }
      auto indicesAt = [&](Value t) {
        SmallVector<Value> indices(rowIndices);
        indices.push_back(h);
        indices.push_back(t);
        return indices;
      };
      loadAndTransform(kb, x, indicesAt);
      // The product with the spectrum, merged and conjugated: the second
      // forward FFT is the inverse. The split and merge each give twice
      // their value; the spectra's 1/4 makes up for both.
      auto spectrum = [&](Value f) {
        return kb.loadPair(spectra, {h, kb.mul(f, 2)});
      };
      forEachMirrorPair(kb, [&](Value kIndex, Value m, Value mirror,
                                Complex wk) {
        auto [xk, xm] =
            kb.realSpectrum(kb.loadShared(kIndex), kb.loadShared(mirror), wk);
        auto [zk, zm] = kb.conjRealTransform(kb.cmul(xk, spectrum(kIndex)),
                                             kb.cmul(xm, spectrum(m)), wk);
        // m = N is k = 0's mirror, element 0 again: k's value is stored
        // last.
        kb.storeShared(zm, mirror);
        kb.storeShared(zk, kIndex);
      });
      kb.barrier();
      Type outType = cast<MemRefType>(y.getType()).getElementType();
      // Elements t, t + 1, ... of y from `values`, where t < L.
      auto storeBelowLength = [&](Value t, ArrayRef<Value> values) {
        auto inside = scf::IfOp::create(b, loc, kb.less(t, kb.index(length)),
                                        /*withElseRegion=*/false);
        OpBuilder::InsertionGuard storeGuard(b);
        b.setInsertionPoint(inside.getThenRegion().front().getTerminator());
        SmallVector<Value> narrowed;
        for (Value value : values)
          narrowed.push_back(outType.isF32() ? value
                                             : arith::TruncFOp::create(
                                                   b, loc, outType, value));
        if (narrowed.size() == 1) {
          memref::StoreOp::create(b, loc, narrowed[0], y, indicesAt(t));
          return;
        }
        auto pairType = VectorType::get({2}, outType);
        vector::StoreOp::create(
            b, loc, vector::FromElementsOp::create(b, loc, pairType, narrowed),
            y, indicesAt(t), /*nontemporal=*/false,
            llvm::MaybeAlign(2 * outType.getIntOrFloatBitWidth() / 8));
      };
      // The inverse's last pass writes y: real parts to the even elements,
      // minus imaginary parts to the odd ones.
      bool pairedStores = pairsOf(y);
      kb.fft(nullptr, [&](Complex z, Value i) {
        Value even = kb.mul(i, 2);
        if (pairedStores) {
          storeBelowLength(even, {z.re, kb.negate(z.im)});
          return;
        }
        storeBelowLength(even, z.re);
        storeBelowLength(kb.add(even, kb.index(1)), kb.negate(z.im));
      });
      finishLaunch(b, loc, launch);
    }
    memref::DeallocOp::create(b, loc, spectra);
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void structured::populateCausalConvToGPUPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerCausalConvToFFTKernels>(patterns.getContext());
}
