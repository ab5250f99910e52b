# Helpers shared by the project's CMake files.

# Declares a library of the project. Libraries link the upstream MLIR and LLVM
# shared libraries (Debian ships libMLIR.so and libLLVM.so), never the static
# component libraries, so that the project and upstream tools that load its
# plugin share one copy of MLIR.
function(add_structured_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS" ${ARGN})
  add_mlir_library(${name}
    ${ARG_UNPARSED_ARGUMENTS}
    EXCLUDE_FROM_LIBMLIR
    DISABLE_INSTALL
    DEPENDS ${ARG_DEPENDS}
    LINK_LIBS PUBLIC ${ARG_LINK_LIBS} MLIR
  )
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  # Consumers of the exported targets need the upstream headers too.
  target_include_directories(${name} SYSTEM PUBLIC
    ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
  set_property(GLOBAL APPEND PROPERTY STRUCTURED_EXPORTS ${name})
  install(TARGETS ${name} EXPORT StructuredTargets
    ARCHIVE DESTINATION lib LIBRARY DESTINATION lib RUNTIME DESTINATION bin)
endfunction()
