//===- InitAll.cpp - Register everything the project provides -------------===//

#include "structured/InitAll.h"

#include "structured/Conversion/Passes.h"
#include "structured/Dialect/Structured/IR/StructuredDialect.h"
#include "structured/Dialect/Structured/TransformOps/StructuredTransformOps.h"
#include "structured/Dialect/Structured/Transforms/BufferizableOpInterfaceImpl.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"
#include "structured/Dialect/Structured/Transforms/TilingInterfaceImpl.h"
#include "structured/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"

void mlir::structured::registerAllDialects(DialectRegistry &registry) {
  registry.insert<StructuredDialect>();
  registerBufferizableOpInterfaceExternalModels(registry);
  registerTilingInterfaceExternalModels(registry);
  registerTransformDialectExtension(registry);
}

void mlir::structured::registerAllPasses() {
  registerStructuredPasses();
  registerStructuredConversionPasses();
  registerStructuredPipelines();
}
