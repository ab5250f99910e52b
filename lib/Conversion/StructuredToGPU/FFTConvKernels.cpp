//===- FFTConvKernels.cpp - causal_conv as fused FFT kernels --------------===//
//
// A buffer-form causal_conv with a GpuFFTConvPlan becomes three launches:
//
//   1. twiddles: W[t] = exp(-2πi·t/N) for t < N (f64 cos/sin, rounded to
//      f32), one thread per entry;
//   2. kernel DFTs: per channel h (a CTA), K̂[h] = FFT(k[h] padded to N) / N;
//   3. the convolution: per pair of rows b, b + 1 of channel h (a CTA),
//      z = x[b] + i·x[b+1] padded to N, Z = FFT(z)·K̂[h], and the inverse
//      transform as conj(FFT(conj(Z))): y[b] = Re, y[b+1] = −Im of the
//      second FFT (k is real, so the two rows do not mix).
//
// An FFT runs in shared memory (complex f32, one pad element after every
// radices[0]) as Stockham passes: for pass radix R after a product Ns of
// earlier radices, job j < N/R reads elements j + r·N/R (r < R), multiplies
// them by W^(r·(j mod Ns)·N/(Ns·R)), takes their R-point DFT in registers
// (radix-2 butterflies with constant twiddles) and writes element r to
// (j / Ns)·Ns·R + j mod Ns + r·Ns; the last pass leaves the transform in
// natural order. Each pass is a factor of the Monarch factorization of
// the DFT: block-diagonal R-point DFTs, a twiddle diagonal and a stride
// permutation.
//
//===----------------------------------------------------------------------===//

#include "structured/Conversion/StructuredToGPU/StructuredToGPU.h"

#include "structured/Analysis/CostModel/GpuKernelPlan.h"
#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
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
class FFTKernelBuilder {
public:
  FFTKernelBuilder(OpBuilder &b, Location loc, const GpuFFTConvPlan &plan)
      : b(b), loc(loc), plan(plan) {}

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t y) {
    return arith::MulIOp::create(b, loc, x, index(y));
  }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, index(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, index(y));
  }
  Value less(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value f32(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value toF32(Value v) {
    return v.getType().isF32()
               ? v
               : arith::ExtFOp::create(b, loc, b.getF32Type(), v).getResult();
  }

  Complex cadd(Complex x, Complex y) {
    return {arith::AddFOp::create(b, loc, x.re, y.re),
            arith::AddFOp::create(b, loc, x.im, y.im)};
  }
  Complex csub(Complex x, Complex y) {
    return {arith::SubFOp::create(b, loc, x.re, y.re),
            arith::SubFOp::create(b, loc, x.im, y.im)};
  }
  Complex cmul(Complex x, Complex y) {
    auto mulf = [&](Value p, Value q) {
      return arith::MulFOp::create(b, loc, p, q);
    };
    return {arith::SubFOp::create(b, loc, mulf(x.re, y.re), mulf(x.im, y.im)),
            arith::AddFOp::create(b, loc, mulf(x.re, y.im), mulf(x.im, y.re))};
  }
  Value negate(Value v) { return arith::NegFOp::create(b, loc, v); }
  Complex conj(Complex c) { return {c.re, negate(c.im)}; }
  Complex scale(Complex c, double factor) {
    Value f = f32(factor);
    return {arith::MulFOp::create(b, loc, c.re, f),
            arith::MulFOp::create(b, loc, c.im, f)};
  }
  /// i·c and −i·c.
  Complex timesI(Complex c) { return {negate(c.im), c.re}; }
  Complex timesMinusI(Complex c) { return {c.im, negate(c.re)}; }

  /// realRows: the spectrum X of the real sequence of 2N at k and m = N − k
  /// from the transform Z of its even (real) and odd (imaginary) elements:
  /// X[k] = E[k] + W^k·O[k] with E[k] = (Z[k] + conj Z[m]) / 2 and
  /// O[k] = −i·(Z[k] − conj Z[m]) / 2; E[m] = conj E[k], O[m] = conj O[k].
  std::pair<Complex, Complex> realSpectrum(Complex zk, Complex zm, Complex wk,
                                           Complex wm) {
    Complex even = scale(cadd(zk, conj(zm)), 0.5);
    Complex odd = scale(timesMinusI(csub(zk, conj(zm))), 0.5);
    return {cadd(even, cmul(wk, odd)), cadd(conj(even), cmul(wm, conj(odd)))};
  }
  /// The inverse: the transform Z' of N whose inverse holds the even (real)
  /// and odd (imaginary) elements of the real sequence of spectrum Y, at k
  /// and m = N − k: Z'[k] = E[k] + i·O[k] with E[k] = (Y[k] + conj Y[m]) / 2,
  /// O[k] = (Y[k] − conj Y[m])·conj(W^k) / 2.
  std::pair<Complex, Complex> realTransform(Complex yk, Complex ym, Complex wk,
                                            Complex wm) {
    auto at = [&](Complex y, Complex mirror, Complex w) {
      Complex even = scale(cadd(y, conj(mirror)), 0.5);
      Complex odd = scale(cmul(csub(y, conj(mirror)), conj(w)), 0.5);
      return cadd(even, timesI(odd));
    };
    return {at(yk, ym, wk), at(ym, yk, wm)};
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

  /// Thread id and the sequence in dynamic shared memory.
  void begin(gpu::LaunchOp launch) {
    tid = launch.getThreadIds().x;
    auto workgroup = gpu::AddressSpaceAttr::get(
        b.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace());
    Value shared = gpu::DynamicSharedMemoryOp::create(
        b, loc,
        MemRefType::get({ShapedType::kDynamic}, b.getI8Type(), AffineMap(),
                        workgroup));
    sequence = memref::ViewOp::create(b, loc,
                                      MemRefType::get({2 * plan.paddedSize()},
                                                      f32Type(), AffineMap(),
                                                      workgroup),
                                      shared, index(0), ValueRange{});
  }
  Complex loadShared(Value i) {
    return loadPair(sequence, {mul(add(i, div(i, plan.radices.front())), 2)});
  }
  void storeShared(Complex c, Value i) {
    storePair(c, sequence, {mul(add(i, div(i, plan.radices.front())), 2)});
  }

  /// Calls `body(i)` for i = tid, tid + threads, ... below `count`.
  void forEachElement(Value count, llvm::function_ref<void(Value)> body) {
    auto loop = scf::ForOp::create(b, loc, tid, count, index(plan.threads));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    body(loop.getInductionVar());
  }

  void barrier() { gpu::BarrierOp::create(b, loc); }

  /// The forward FFT of the sequence, in place; starts after a barrier
  /// over its writes, ends with one.
  void fft(Value twiddles) {
    int64_t strideProduct = 1;
    for (int64_t radix : plan.radices) {
      emitPass(twiddles, radix, strideProduct);
      strideProduct *= radix;
    }
  }

private:
  Type f32Type() { return b.getF32Type(); }

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
            x = cmul(x, {f32(std::cos(angle)), f32(std::sin(angle))});
          }
          Complex u = a[g + t];
          a[g + t] = cadd(u, x);
          a[g + t + len / 2] = csub(u, x);
        }
      }
    }
    v.assign(a.begin(), a.end());
  }

  void emitPass(Value twiddles, int64_t radix, int64_t strideProduct) {
    int64_t jobs = plan.size / radix;
    int64_t jobsPerThread = llvm::divideCeil(jobs, plan.threads);
    SmallVector<Value> jobIds;
    SmallVector<SmallVector<Complex>> values;
    for (int64_t n = 0; n < jobsPerThread; ++n) {
      // Threads past the last job repeat it (the same values to the same
      // places).
      Value j = arith::MinUIOp::create(
          b, loc, add(tid, index(n * plan.threads)), index(jobs - 1));
      SmallVector<Complex> v;
      for (int64_t r = 0; r < radix; ++r)
        v.push_back(loadShared(add(j, index(r * jobs))));
      if (strideProduct > 1) {
        Value k = rem(j, strideProduct);
        // The table holds the twiddles of the padded length (twice the
        // transform's for realRows).
        int64_t step = plan.paddedLength() / (strideProduct * radix);
        for (int64_t r = 1; r < radix; ++r)
          v[r] = cmul(v[r], loadPair(twiddles, {mul(k, 2 * r * step)}));
      }
      dft(v);
      jobIds.push_back(j);
      values.push_back(std::move(v));
    }
    barrier();
    for (auto [j, v] : llvm::zip(jobIds, values)) {
      Value base = add(mul(div(j, strideProduct), strideProduct * radix),
                       rem(j, strideProduct));
      for (int64_t r = 0; r < radix; ++r)
        storeShared(v[r], add(base, index(r * strideProduct)));
    }
    barrier();
  }

  OpBuilder &b;
  Location loc;
  const GpuFFTConvPlan &plan;
  Value tid, sequence;
};

/// `gpu.launch` of `ctas` CTAs of `threads` threads named `name`; the
/// builder is left at the start of its body.
gpu::LaunchOp createLaunch(OpBuilder &b, Location loc, Value ctas,
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
  // The FFT kernels run faster with their registers bounded to two CTAs per
  // SM (ctas-per-sm), although the largest FFTs then spill a little.
  if (sharedBytes > 0)
    launch->setAttr(kGpuOccupancyCTAsAttr,
                    b.getI64IntegerAttr(
                        GpuStagePlan::ctasPerSMBySharedMemory(sharedBytes)));
  b.setInsertionPointToStart(&launch.getBody().front());
  return launch;
}

void finishLaunch(OpBuilder &b, Location loc, gpu::LaunchOp launch) {
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointAfter(launch);
}

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
    bool realRows = plan->realRows;
    // Spectrum entries per channel: all N, or 0..N of the 2N-point spectrum
    // of a real row (the rest is their mirror).
    int64_t spectrumEntries = realRows ? n + 1 : n;

    // Rows: the product of the leading dimensions.
    SmallVector<Value> batchDims;
    Value rows = host.index(1);
    for (int64_t d = 0; d < batchRank; ++d) {
      batchDims.push_back(memref::DimOp::create(b, loc, x, d));
      rows = arith::MulIOp::create(b, loc, rows, batchDims.back());
    }
    std::string name = "causal_conv";
    if (auto func = op->getParentOfType<FunctionOpInterface>())
      name = (func.getName() + "_" + name).str();

    Type f32 = b.getF32Type();
    Value twiddles =
        memref::AllocOp::create(b, loc, MemRefType::get({2 * padded}, f32));
    Value spectra = memref::AllocOp::create(
        b, loc, MemRefType::get({channels, 2 * spectrumEntries}, f32));

    // 1. Twiddles of the padded length.
    {
      int64_t threads = 256;
      gpu::LaunchOp launch =
          createLaunch(b, loc, host.index(llvm::divideCeil(padded, threads)),
                       threads, 0, name + "_twiddles");
      Value t = host.add(host.mul(launch.getBlockIds().x, threads),
                         launch.getThreadIds().x);
      auto inside = scf::IfOp::create(b, loc, host.less(t, host.index(padded)),
                                      /*withElseRegion=*/false);
      b.setInsertionPointToStart(&inside.getThenRegion().front());
      Value ti = arith::IndexCastOp::create(b, loc, b.getI64Type(), t);
      Value angle = arith::MulFOp::create(
          b, loc, arith::SIToFPOp::create(b, loc, b.getF64Type(), ti),
          arith::ConstantOp::create(
              b, loc, b.getF64FloatAttr(-2 * llvm::numbers::pi / padded)));
      auto narrow = [&](Value v) {
        return arith::TruncFOp::create(b, loc, f32, v).getResult();
      };
      host.storePair({narrow(math::CosOp::create(b, loc, angle)),
                      narrow(math::SinOp::create(b, loc, angle))},
                     twiddles, {host.mul(t, 2)});
      finishLaunch(b, loc, launch);
    }

    // Loads element t of a real row (zero from L on), through `load`.
    auto padRow = [&](FFTKernelBuilder &kb, Value t,
                      llvm::function_ref<Value(Value)> load) {
      Value clamped = arith::MinUIOp::create(b, loc, t, kb.index(length - 1));
      return arith::SelectOp::create(b, loc, kb.less(t, kb.index(length)),
                                     kb.toF32(load(clamped)), kb.f32(0))
          .getResult();
    };
    // The twiddle W^t of the padded length.
    auto twiddle = [&](FFTKernelBuilder &kb, Value t) {
      return kb.loadPair(twiddles, {kb.mul(t, 2)});
    };
    // Calls body(k, m, mirror) for the pairs k = 0..N/2 and m = N − k of
    // a real row's spectrum, `mirror` being m's element of the transform
    // (m mod N).
    auto forEachMirrorPair =
        [&](FFTKernelBuilder &kb,
            llvm::function_ref<void(Value, Value, Value)> body) {
          kb.forEachElement(kb.index(n / 2 + 1), [&](Value kIndex) {
            Value m = arith::SubIOp::create(b, loc, kb.index(n), kIndex);
            body(kIndex, m, kb.rem(m, n));
          });
        };

    // 2. The kernel's spectra, scaled by 1/N for the inverse transform.
    {
      gpu::LaunchOp launch =
          createLaunch(b, loc, host.index(channels), plan->threads,
                       plan->sharedMemoryBytes(), name + "_kernel_dft");
      FFTKernelBuilder kb(b, loc, *plan);
      kb.begin(launch);
      Value h = launch.getBlockIds().x;
      auto loadK = [&](Value t) -> Value {
        return memref::LoadOp::create(b, loc, k, {h, t});
      };
      kb.forEachElement(kb.index(n), [&](Value i) {
        if (realRows)
          kb.storeShared({padRow(kb, kb.mul(i, 2), loadK),
                          padRow(kb, kb.add(kb.mul(i, 2), kb.index(1)), loadK)},
                         i);
        else
          kb.storeShared({padRow(kb, i, loadK), kb.f32(0)}, i);
      });
      kb.barrier();
      kb.fft(twiddles);
      auto storeSpectrum = [&](Complex c, Value f) {
        kb.storePair(kb.scale(c, 1.0 / n), spectra, {h, kb.mul(f, 2)});
      };
      if (realRows) {
        forEachMirrorPair(kb, [&](Value kIndex, Value m, Value mirror) {
          auto [xk, xm] =
              kb.realSpectrum(kb.loadShared(kIndex), kb.loadShared(mirror),
                              twiddle(kb, kIndex), twiddle(kb, m));
          storeSpectrum(xk, kIndex);
          storeSpectrum(xm, m);
        });
      } else {
        kb.forEachElement(kb.index(n),
                          [&](Value f) { storeSpectrum(kb.loadShared(f), f); });
      }
      finishLaunch(b, loc, launch);
    }

    // 3. The convolution: a CTA per pair of rows (one complex sequence) or,
    // for realRows, per row; the CTAs of a channel are neighbours (their
    // spectrum reads hit L2).
    {
      Value rowsPerCTA = host.index(realRows ? 1 : 2);
      Value ctasPerChannel =
          arith::CeilDivUIOp::create(b, loc, rows, rowsPerCTA);
      Value ctas = host.mul(ctasPerChannel, channels);
      Value nonEmpty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                             rows, host.index(0));
      auto ifOp = scf::IfOp::create(b, loc, nonEmpty, false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(ifOp.getThenRegion().front().getTerminator());
      gpu::LaunchOp launch = createLaunch(b, loc, ctas, plan->threads,
                                          plan->sharedMemoryBytes(), name);
      FFTKernelBuilder kb(b, loc, *plan);
      kb.begin(launch);
      Value cta = launch.getBlockIds().x;
      Value h = arith::DivUIOp::create(b, loc, cta, ctasPerChannel);
      Value first = kb.mul(arith::RemUIOp::create(b, loc, cta, ctasPerChannel),
                           realRows ? 1 : 2);
      Value second = kb.add(first, kb.index(1));
      Value hasSecond = kb.less(second, rows);
      Value lastRow = arith::SubIOp::create(b, loc, rows, kb.index(1));
      Value secondClamped = arith::MinUIOp::create(b, loc, second, lastRow);
      // Indices of (row, h, t) in the operand's leading dimensions.
      auto indicesOf = [&](Value row, Value t) {
        SmallVector<Value> indices(batchRank);
        for (int64_t d = batchRank - 1; d >= 0; --d) {
          indices[d] = arith::RemUIOp::create(b, loc, row, batchDims[d]);
          row = arith::DivUIOp::create(b, loc, row, batchDims[d]);
        }
        indices.push_back(h);
        indices.push_back(t);
        return indices;
      };
      auto loadRow = [&](Value row) {
        return [&, row](Value t) -> Value {
          return memref::LoadOp::create(b, loc, x, indicesOf(row, t));
        };
      };
      kb.forEachElement(kb.index(n), [&](Value i) {
        if (realRows) {
          Value t = kb.mul(i, 2);
          kb.storeShared({padRow(kb, t, loadRow(first)),
                          padRow(kb, kb.add(t, kb.index(1)), loadRow(first))},
                         i);
          return;
        }
        Value im = padRow(kb, i, loadRow(secondClamped));
        kb.storeShared(
            {padRow(kb, i, loadRow(first)),
             arith::SelectOp::create(b, loc, hasSecond, im, kb.f32(0))},
            i);
      });
      kb.barrier();
      kb.fft(twiddles);
      // The product with the spectrum, conjugated: the second forward FFT
      // is the inverse.
      auto spectrum = [&](Value f) {
        return kb.loadPair(spectra, {h, kb.mul(f, 2)});
      };
      if (realRows) {
        forEachMirrorPair(kb, [&](Value kIndex, Value m, Value mirror) {
          Complex wk = twiddle(kb, kIndex), wm = twiddle(kb, m);
          auto [xk, xm] = kb.realSpectrum(kb.loadShared(kIndex),
                                          kb.loadShared(mirror), wk, wm);
          auto [zk, zm] = kb.realTransform(kb.cmul(xk, spectrum(kIndex)),
                                           kb.cmul(xm, spectrum(m)), wk, wm);
          // m = N is k = 0's mirror, element 0 again: stored once.
          kb.storeShared(kb.conj(zm), mirror);
          kb.storeShared(kb.conj(zk), kIndex);
        });
      } else {
        kb.forEachElement(kb.index(n), [&](Value f) {
          kb.storeShared(kb.conj(kb.cmul(kb.loadShared(f), spectrum(f))), f);
        });
      }
      kb.barrier();
      kb.fft(twiddles);
      Type outType = cast<MemRefType>(y.getType()).getElementType();
      auto narrow = [&](Value v) {
        return outType.isF32()
                   ? v
                   : arith::TruncFOp::create(b, loc, outType, v).getResult();
      };
      // Stores `value` at (row, t) where `valid`.
      auto storeIf = [&](Value valid, Value value, Value row, Value t) {
        auto ifOp = scf::IfOp::create(b, loc, valid, false);
        OpBuilder::InsertionGuard storeGuard(b);
        b.setInsertionPoint(ifOp.getThenRegion().front().getTerminator());
        memref::StoreOp::create(b, loc, narrow(value), y, indicesOf(row, t));
      };
      if (realRows) {
        kb.forEachElement(kb.index(n), [&](Value i) {
          Complex z = kb.loadShared(i);
          Value t = kb.mul(i, 2), next = kb.add(t, kb.index(1));
          storeIf(kb.less(t, kb.index(length)), z.re, first, t);
          storeIf(kb.less(next, kb.index(length)), kb.negate(z.im), first,
                  next);
        });
      } else {
        kb.forEachElement(kb.index(length), [&](Value t) {
          Complex z = kb.loadShared(t);
          memref::StoreOp::create(b, loc, narrow(z.re), y, indicesOf(first, t));
          storeIf(hasSecond, kb.negate(z.im), second, t);
        });
      }
      finishLaunch(b, loc, launch);
    }
    memref::DeallocOp::create(b, loc, spectra);
    memref::DeallocOp::create(b, loc, twiddles);
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void structured::populateCausalConvToGPUPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerCausalConvToFFTKernels>(patterns.getContext());
}
