#pragma once

// The one error type of the experiment store: an unreadable, foreign, too new or corrupt file,
// or a failed SQLite call. Its message always names the store file, so the CLI can print it
// as is.

#include <stdexcept>

namespace seplab::store {

class StoreError : public std::runtime_error
{
public:
    using runtime_error::runtime_error;
};

} // namespace seplab::store
