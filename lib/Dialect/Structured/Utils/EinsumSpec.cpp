//===- EinsumSpec.cpp - Einsum specifications of linear maps --------------===//

#include "structured/Dialect/Structured/Utils/EinsumSpec.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::structured;

static bool hasRepeatedLetter(StringRef term, char &repeated) {
  for (size_t i = 0; i < term.size(); ++i)
    if (term.find(term[i], i + 1) != StringRef::npos) {
      repeated = term[i];
      return true;
    }
  return false;
}

FailureOr<EinsumSpec>
EinsumSpec::parse(StringRef text, function_ref<void(const Twine &)> error) {
  std::string compact;
  for (char c : text)
    if (!llvm::isSpace(c))
      compact.push_back(c);
  StringRef spec(compact);
  auto [lhs, rhs] = spec.split("->");
  if (lhs.size() == spec.size()) {
    error("spec \"" + text + "\" has no '->'");
    return failure();
  }
  SmallVector<StringRef> terms;
  lhs.split(terms, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/true);
  terms.push_back(rhs);
  for (StringRef term : terms) {
    if (term.empty()) {
      error("spec \"" + text + "\" has an empty term");
      return failure();
    }
    for (char c : term)
      if (!llvm::isAlpha(c)) {
        error("spec \"" + text + "\" has '" + Twine(c) +
              "'; terms are made of letters only");
        return failure();
      }
    char repeated;
    if (hasRepeatedLetter(term, repeated)) {
      error("term '" + term + "' repeats the letter '" + Twine(repeated) + "'");
      return failure();
    }
  }

  EinsumSpec result;
  StringRef x = terms.front(), out = terms.back();
  result.batch = x.front();
  if (x.size() < 2) {
    error("the input term '" + x +
          "' needs the batch letter and at least one feature letter");
    return failure();
  }
  if (out.front() != result.batch) {
    error("the output term '" + out + "' must start with the batch letter '" +
          Twine(result.batch) + "'");
    return failure();
  }
  result.input = x.drop_front().str();
  result.output = out.drop_front().str();
  for (StringRef factor : ArrayRef(terms).drop_front().drop_back()) {
    if (factor.contains(result.batch)) {
      error("factor term '" + factor + "' uses the batch letter '" +
            Twine(result.batch) +
            "', so the map would not be a fixed matrix applied to x");
      return failure();
    }
    result.factors.push_back(factor.str());
  }
  if (result.output.find(result.batch) != std::string::npos) {
    error("the output term '" + out + "' repeats the batch letter");
    return failure();
  }
  for (char letter : result.output) {
    bool found = result.input.find(letter) != std::string::npos;
    for (const std::string &factor : result.factors)
      found |= factor.find(letter) != std::string::npos;
    if (!found) {
      error("output letter '" + Twine(letter) + "' appears in no input term");
      return failure();
    }
  }
  return result;
}

LogicalResult
EinsumSpec::resolveSizes(ArrayRef<ArrayRef<int64_t>> factorShapes,
                         int64_t inFeatures, int64_t outFeatures,
                         function_ref<void(const Twine &)> error) {
  if (factorShapes.size() != factors.size()) {
    error("spec has " + Twine(factors.size()) + " factor terms but " +
          Twine(factorShapes.size()) + " factor operands are given");
    return failure();
  }
  sizes.clear();
  for (auto [index, term, shape] : llvm::enumerate(factors, factorShapes)) {
    if (term.size() != shape.size()) {
      error("factor term '" + term + "' has " + Twine(term.size()) +
            " letters but factor #" + Twine(index) + " has rank " +
            Twine(shape.size()));
      return failure();
    }
    for (auto [letter, size] : llvm::zip_equal(term, shape)) {
      auto [it, inserted] = sizes.try_emplace(letter, size);
      if (!inserted && it->second != size) {
        error("letter '" + Twine(letter) + "' has size " + Twine(size) +
              " in factor #" + Twine(index) + " but " + Twine(it->second) +
              " elsewhere");
        return failure();
      }
    }
  }
  for (char letter : input)
    if (!sizes.count(letter)) {
      error("letter '" + Twine(letter) +
            "' of x appears in no factor term, so its size is unknown");
      return failure();
    }
  auto checkedSize = [&](StringRef letters) -> std::optional<int64_t> {
    int64_t product = 1;
    for (char letter : letters) {
      std::optional<int64_t> next = llvm::checkedMul(product, sizes[letter]);
      if (!next)
        return std::nullopt;
      product = *next;
    }
    return product;
  };
  std::optional<int64_t> in = checkedSize(input), out = checkedSize(output);
  if (!in || !out) {
    error("the product of the letter sizes overflows a 64-bit size");
    return failure();
  }
  if (*in != inFeatures) {
    error("x's letters '" + input + "' multiply to " + Twine(*in) +
          " but 'x' has " + Twine(inFeatures) + " features");
    return failure();
  }
  if (*out != outFeatures) {
    error("the output letters '" + output + "' multiply to " + Twine(*out) +
          " but 'init' has " + Twine(outFeatures) + " features");
    return failure();
  }
  return success();
}

int64_t EinsumSpec::sizeOf(StringRef letters) const {
  int64_t product = 1;
  for (char letter : letters)
    product *= sizes.lookup(letter);
  return product;
}

std::string EinsumSpec::str() const {
  std::string text = batch + input;
  for (const std::string &factor : factors)
    text += "," + factor;
  return text + "->" + batch + output;
}

char EinsumSpec::getUnusedLetter() const {
  std::string used = str();
  for (char c :
       StringRef("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if (used.find(c) == std::string::npos)
      return c;
  return 0;
}
