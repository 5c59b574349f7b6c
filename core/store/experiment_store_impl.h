#pragma once

// Internal to core/store: the state behind ExperimentStore, shared by its write half
// (experiment_store.cpp) and its read half (store_reads.cpp).

#include "core/store/experiment_store.h"
#include "core/store/sqlite_handle.h"

namespace seplab::store {

struct ExperimentStore::Impl
{
    Database db;
    Mode mode = Mode::ReadOnly;
    int schemaVersion = 0;
    int transactionDepth = 0; // 0: no transaction() running; 1: the outer one; >1: savepoints
};

} // namespace seplab::store
