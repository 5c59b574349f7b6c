# Third-party libraries. Everything comes from Debian packages (scripts/setup.sh installs them);
# on a GPU server the non-torch libraries come from the staged .devdeps/ prefix
# (DESIGN.md "Building on a GPU server"), which is why the C libraries are found with
# find_path/find_library rather than pkg-config.

find_package(Torch REQUIRED)
# A CUDA build of LibTorch (PyTorch's, on a GPU server) finds c10_cuda; SepLab then compiles the
# code that reads the CUDA allocator's statistics and synchronises streams for timing.
if(C10_CUDA_LIBRARY)
    set(SEPLAB_TORCH_CUDA ON)
else()
    set(SEPLAB_TORCH_CUDA OFF)
endif()
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(SndFile REQUIRED)
find_package(SampleRate REQUIRED)
# The experiment store. CMake's own FindSQLite3 uses find_path/find_library.
find_package(SQLite3 REQUIRED)
# The report's PNG plots; optional (see cmake/FindCairo.cmake).
find_package(Cairo)

if(SEPLAB_GUI)
    find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Charts Test)
    # The Audition panel's playback.
    find_package(PortAudio REQUIRED)
else()
    # The headless build never links Qt; QtTest is only looked for so that the tests can run
    # where it happens to be installed.
    find_package(Qt6 6.4 QUIET COMPONENTS Core Test)
endif()

if(TARGET Qt6::Test)
    set(SEPLAB_HAVE_QTTEST ON)
else()
    set(SEPLAB_HAVE_QTTEST OFF)
endif()
