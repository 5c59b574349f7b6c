# Build options and project-wide compiler settings.

option(SEPLAB_GUI "Build the Qt workbench (ui/, app/gui, playback). OFF builds core, audio and seplab-cli without Qt." ON)
option(SEPLAB_WERROR "Treat compiler warnings as errors" OFF)
option(SEPLAB_PCH "Precompile <torch/torch.h> for the targets that include it" ON)

set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
# Qt requires position-independent code, and a precompiled header is only reusable between
# targets compiled with the same -fPIC setting, so every target gets it.
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

set(CMAKE_RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/bin")
set(CMAKE_ARCHIVE_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib")
set(CMAKE_LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib")

# Qt's `slots`, `signals` and `emit` macros collide with identifiers in the LibTorch headers
# (c10 has members called `slots`), so the whole project spells Q_SLOTS / Q_SIGNALS / Q_EMIT.
add_compile_definitions(QT_NO_KEYWORDS)

find_program(SEPLAB_CCACHE ccache)
if(SEPLAB_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${SEPLAB_CCACHE}")
    set(CMAKE_C_COMPILER_LAUNCHER "${SEPLAB_CCACHE}")
endif()

# Warnings for SepLab's own sources only (seplab_target_defaults), never for third-party headers.
set(SEPLAB_WARNING_FLAGS -Wall -Wextra -Wpedantic -Wno-unused-parameter)
if(SEPLAB_WERROR)
    list(APPEND SEPLAB_WARNING_FLAGS -Werror)
endif()
