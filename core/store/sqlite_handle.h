#pragma once

// A thin RAII layer over the SQLite C API: one connection (Database) and its prepared
// statements (Statement). Every failure becomes a StoreError that names the database file, so
// a message reaching the user always says which store is at fault. No SQL lives here.

#include "core/store/store_error.h"

#include <cstdint>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace seplab::store {

class Statement;

class Database
{
public:
    enum class Access { ReadOnly, ReadWriteCreate };

    // Opens (or, with ReadWriteCreate, creates) the file. It does not check the contents:
    // SQLite reads the header lazily, so a foreign file fails on the first statement.
    Database(const std::string &path, Access access);
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    ~Database();

    const std::string &path() const { return m_path; }

    // Runs one or more statements that return nothing of interest (DDL, PRAGMA, BEGIN...).
    void exec(const std::string &sql);
    Statement prepare(const std::string &sql) const;

    // The first column of the first row of `sql` (a PRAGMA or a COUNT), as text or integer.
    std::string queryText(const std::string &sql) const;
    std::int64_t queryInt(const std::string &sql) const;

    std::int64_t lastInsertId() const;
    int changes() const; // rows touched by the last INSERT, UPDATE or DELETE
    bool inTransaction() const;

    // "<file>: <what>: <SQLite's message>." thrown as StoreError.
    [[noreturn]] void fail(const std::string &what) const;

private:
    void close() noexcept;

    sqlite3 *m_db = nullptr;
    std::string m_path;
};

// One prepared statement. Parameters are bound by name (":name"), so the SQL text and the
// C++ that fills it cannot drift apart by position; columns are read by index in the order
// the SELECT lists them.
class Statement
{
public:
    Statement(sqlite3 *db, sqlite3_stmt *stmt, const std::string &path);
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&) = delete;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    Statement &bindInt(const char *name, std::int64_t value);
    Statement &bindReal(const char *name, double value); // NaN is stored as NULL (SQLite's rule)
    Statement &bindOptionalReal(const char *name, const std::optional<double> &value);
    Statement &bindText(const char *name, const std::string &value);
    Statement &bindNull(const char *name);

    // Advances to the next row: true while there is one, false when done.
    bool step();
    // Runs a statement that returns no rows.
    void run();
    // Makes the statement ready to be bound and run again (keeps nothing bound).
    void reset();

    bool isNull(int column) const;
    std::int64_t intColumn(int column) const;
    double realColumn(int column) const; // NULL reads as NaN
    std::optional<double> optionalRealColumn(int column) const;
    std::string textColumn(int column) const;

private:
    int parameterIndex(const char *name) const;
    [[noreturn]] void fail(const std::string &what) const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    std::string m_path;
};

} // namespace seplab::store
