# Finds cairo (the report's PNG plots) with find_path/find_library, like FindSndFile.
# Defines the imported target Cairo::cairo. Optional: without it the report writes markdown and
# CSV and says that the plots were skipped (a staged GPU-server prefix may lack cairo).

find_path(CAIRO_INCLUDE_DIR NAMES cairo.h PATH_SUFFIXES cairo)
find_library(CAIRO_LIBRARY NAMES cairo)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Cairo REQUIRED_VARS CAIRO_LIBRARY CAIRO_INCLUDE_DIR)

if(Cairo_FOUND AND NOT TARGET Cairo::cairo)
    add_library(Cairo::cairo UNKNOWN IMPORTED)
    set_target_properties(Cairo::cairo PROPERTIES
        IMPORTED_LOCATION "${CAIRO_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${CAIRO_INCLUDE_DIR}")
endif()
mark_as_advanced(CAIRO_INCLUDE_DIR CAIRO_LIBRARY)
