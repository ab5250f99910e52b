//===- BufferizableOpInterfaceImpl.h - Bufferization of ops -----*- C++ -*-===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
#define STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;

namespace structured {
/// Attaches `BufferizableOpInterface` to every structured op, so that one-shot
/// bufferization turns their tensor form into their memref form in place.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);
} // namespace structured
} // namespace mlir

#endif // STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
