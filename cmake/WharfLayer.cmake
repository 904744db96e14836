# wharf_layer(<target> DIR <dir> [EXCLUDE <subdir>...] [DEPS <target>...] [OPTIMIZE_SIZE])
#
# One static library per layer. Sources are every *.cpp under DIR (recursively),
# minus the EXCLUDEd sub-layers, so adding a file needs no CMake edit.
# Every library sees the project root as its include root: #include "engine/base/result.h".
# OPTIMIZE_SIZE compiles the layer with -Os: the engine's layers, which every container's
# monitor maps (one per container: its resident memory is mostly this code).
function(wharf_layer target)
  cmake_parse_arguments(ARG "OPTIMIZE_SIZE" "DIR" "EXCLUDE;DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${ARG_DIR}/*.cpp")
  foreach(ex IN LISTS ARG_EXCLUDE)
    list(FILTER srcs EXCLUDE REGEX "^${ARG_DIR}/${ex}/")
  endforeach()
  if(srcs)
    add_library(${target} STATIC ${srcs})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE wharf_warnings)
    if(ARG_OPTIMIZE_SIZE AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
      target_compile_options(${target} PRIVATE -Os)
    endif()
  else() # a layer with headers only, so far
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
endfunction()
