#pragma once

// The store's schema history. The schema version lives in `PRAGMA user_version`; migration N
// takes a store from version N-1 to N. Each migration runs in its own transaction together
// with the version bump, so a crash mid-migration leaves the previous version intact.
// Migrations are append-only: once released, a step's SQL never changes; new needs get a new
// step (an old store is upgraded the same way whatever version it comes from).

#include <string>
#include <vector>

namespace seplab::store {

class Database;

struct Migration
{
    int version = 0;         // the schema version after this step
    std::string description; // one line, for logs and tests
    std::string sql;         // one or more statements
};

// Every migration, ordered by version: 1, 2, 3, ...
const std::vector<Migration> &schemaMigrations();

// The newest version this code writes and reads.
int latestSchemaVersion();

// The file's `PRAGMA user_version`.
int schemaVersionOf(const Database &db);

// Applies, in order, every migration above the file's version up to `targetVersion`
// (default: the latest). Each step re-reads the version inside its write transaction, so two
// processes opening a fresh store at once do not apply a step twice. Throws StoreError naming
// the file and the failing step; the steps before it stay applied.
void migrate(Database &db, int targetVersion = latestSchemaVersion());

} // namespace seplab::store
