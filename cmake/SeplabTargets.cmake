# Helpers that give every SepLab target the same include root, warnings and precompiled header.

# Sources include each other from the project root: #include "core/metrics/si_sdr.h".
function(seplab_target_defaults target)
    target_include_directories(${target} PUBLIC
        "${PROJECT_SOURCE_DIR}"
        "${PROJECT_BINARY_DIR}/generated")
    target_compile_options(${target} PRIVATE ${SEPLAB_WARNING_FLAGS})
endfunction()

# <torch/torch.h> costs ~20 s of parse time per translation unit on a 2-core machine. One target
# precompiles it and every torch-using target reuses that header (REUSE_FROM), so the cost is
# paid once per build. Public headers avoid torch/torch.h altogether and include the much
# lighter <ATen/core/Tensor.h> when they need the tensor type.
if(SEPLAB_PCH)
    add_library(seplab_torch_pch STATIC "${PROJECT_SOURCE_DIR}/cmake/torch_pch.cpp")
    # GCC only accepts a PCH built with the same language flags; -Wpedantic, for one, changes
    # predefined macros (__cpp_runtime_arrays), so the PCH target gets the project defaults too.
    seplab_target_defaults(seplab_torch_pch)
    target_link_libraries(seplab_torch_pch PUBLIC torch)
    target_precompile_headers(seplab_torch_pch PRIVATE <torch/torch.h>)
endif()

function(seplab_use_torch_pch target)
    if(SEPLAB_PCH)
        target_precompile_headers(${target} REUSE_FROM seplab_torch_pch)
    endif()
endfunction()

configure_file("${PROJECT_SOURCE_DIR}/cmake/version.h.in"
               "${PROJECT_BINARY_DIR}/generated/seplab_version.h" @ONLY)
