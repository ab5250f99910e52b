//===- InitAll.h - Register everything the project provides -----*- C++ -*-===//
//
// One call per kind of registration, for tools and for projects that embed
// the dialect.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_INITALL_H
#define STRUCTURED_INITALL_H

namespace mlir {
class DialectRegistry;

namespace structured {

/// Adds the structured dialect and the external interface models that upstream
/// machinery (bufferization, tiling) needs on its ops.
void registerAllDialects(DialectRegistry &registry);

/// Registers the structured passes and pipelines with the pass registry.
void registerAllPasses();

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_INITALL_H
