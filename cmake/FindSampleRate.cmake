# Finds libsamplerate (Secret Rabbit Code) with find_path/find_library, like FindSndFile.
# Defines the imported target SampleRate::samplerate.

find_path(SAMPLERATE_INCLUDE_DIR NAMES samplerate.h)
find_library(SAMPLERATE_LIBRARY NAMES samplerate)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SampleRate REQUIRED_VARS SAMPLERATE_LIBRARY SAMPLERATE_INCLUDE_DIR)

if(SampleRate_FOUND AND NOT TARGET SampleRate::samplerate)
    add_library(SampleRate::samplerate UNKNOWN IMPORTED)
    set_target_properties(SampleRate::samplerate PROPERTIES
        IMPORTED_LOCATION "${SAMPLERATE_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${SAMPLERATE_INCLUDE_DIR}")
endif()
mark_as_advanced(SAMPLERATE_INCLUDE_DIR SAMPLERATE_LIBRARY)
