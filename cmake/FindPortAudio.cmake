# Finds PortAudio v19 (Debian: portaudio19-dev) with find_path/find_library, like FindSndFile.
# Defines the imported target PortAudio::portaudio. Only the GUI's playback needs it.

find_path(PORTAUDIO_INCLUDE_DIR NAMES portaudio.h)
find_library(PORTAUDIO_LIBRARY NAMES portaudio)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(PortAudio REQUIRED_VARS PORTAUDIO_LIBRARY PORTAUDIO_INCLUDE_DIR)

if(PortAudio_FOUND AND NOT TARGET PortAudio::portaudio)
    add_library(PortAudio::portaudio UNKNOWN IMPORTED)
    set_target_properties(PortAudio::portaudio PROPERTIES
        IMPORTED_LOCATION "${PORTAUDIO_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${PORTAUDIO_INCLUDE_DIR}")
endif()
mark_as_advanced(PORTAUDIO_INCLUDE_DIR PORTAUDIO_LIBRARY)
