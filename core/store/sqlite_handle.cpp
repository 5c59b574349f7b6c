#include "core/store/sqlite_handle.h"

#include <cmath>
#include <limits>
#include <sqlite3.h>
#include <utility>

namespace seplab::store {

namespace {

[[noreturn]] void throwFor(sqlite3 *db, const std::string &path, const std::string &what)
{
    const std::string reason = db ? sqlite3_errmsg(db) : "out of memory";
    throw StoreError(path + ": " + what + ": " + reason + ".");
}

// SQL shortened for an error message: the first line is enough to recognise the statement.
std::string shortSql(const std::string &sql)
{
    std::string line = sql.substr(0, sql.find('\n'));
    if (line.size() > 60)
        line = line.substr(0, 57) + "...";
    return "'" + line + "'";
}

} // namespace

Database::Database(const std::string &path, Access access)
    : m_path(path)
{
    const int flags = access == Access::ReadOnly ? SQLITE_OPEN_READONLY
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string reason = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        close();
        throw StoreError(path + ": cannot open the store: " + reason + ".");
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Database::Database(Database &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_path(std::move(other.m_path))
{}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        close();
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

Database::~Database()
{
    close();
}

void Database::close() noexcept
{
    if (m_db) {
        // v2 defers the close until every statement is finalised instead of failing.
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

void Database::exec(const std::string &sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string reason = message ? message : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        throw StoreError(m_path + ": " + shortSql(sql) + " failed: " + reason + ".");
    }
}

Statement Database::prepare(const std::string &sql) const
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.c_str(), int(sql.size()) + 1, &stmt, nullptr) != SQLITE_OK)
        throwFor(m_db, m_path, "cannot prepare " + shortSql(sql));
    return Statement(m_db, stmt, m_path);
}

std::string Database::queryText(const std::string &sql) const
{
    Statement statement = prepare(sql);
    if (!statement.step())
        throw StoreError(m_path + ": " + shortSql(sql) + " returned no row.");
    return statement.textColumn(0);
}

std::int64_t Database::queryInt(const std::string &sql) const
{
    Statement statement = prepare(sql);
    if (!statement.step())
        throw StoreError(m_path + ": " + shortSql(sql) + " returned no row.");
    return statement.intColumn(0);
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

bool Database::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

void Database::fail(const std::string &what) const
{
    throwFor(m_db, m_path, what);
}

Statement::Statement(sqlite3 *db, sqlite3_stmt *stmt, const std::string &path)
    : m_db(db)
    , m_stmt(stmt)
    , m_path(path)
{}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db)
    , m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_path(std::move(other.m_path))
{}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

int Statement::parameterIndex(const char *name) const
{
    const int index = sqlite3_bind_parameter_index(m_stmt, name);
    if (index == 0) // a programming error in this library, but say which name
        throw StoreError(m_path + ": the statement has no parameter " + name + ".");
    return index;
}

void Statement::fail(const std::string &what) const
{
    throwFor(m_db, m_path, what + " " + shortSql(sqlite3_sql(m_stmt)));
}

Statement &Statement::bindInt(const char *name, std::int64_t value)
{
    if (sqlite3_bind_int64(m_stmt, parameterIndex(name), value) != SQLITE_OK)
        fail(std::string("cannot bind ") + name + " of");
    return *this;
}

Statement &Statement::bindReal(const char *name, double value)
{
    if (sqlite3_bind_double(m_stmt, parameterIndex(name), value) != SQLITE_OK)
        fail(std::string("cannot bind ") + name + " of");
    return *this;
}

Statement &Statement::bindOptionalReal(const char *name, const std::optional<double> &value)
{
    return value ? bindReal(name, *value) : bindNull(name);
}

Statement &Statement::bindText(const char *name, const std::string &value)
{
    if (sqlite3_bind_text(m_stmt,
                          parameterIndex(name),
                          value.data(),
                          int(value.size()),
                          SQLITE_TRANSIENT)
        != SQLITE_OK)
        fail(std::string("cannot bind ") + name + " of");
    return *this;
}

Statement &Statement::bindNull(const char *name)
{
    if (sqlite3_bind_null(m_stmt, parameterIndex(name)) != SQLITE_OK)
        fail(std::string("cannot bind ") + name + " of");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    // Keep the message, then reset so that the statement can be used again.
    const std::string reason = sqlite3_errmsg(m_db);
    sqlite3_reset(m_stmt);
    throw StoreError(m_path + ": cannot run " + shortSql(sqlite3_sql(m_stmt)) + ": " + reason + ".");
}

void Statement::run()
{
    while (step()) {
    }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::intColumn(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::realColumn(int column) const
{
    if (isNull(column))
        return std::numeric_limits<double>::quiet_NaN();
    return sqlite3_column_double(m_stmt, column);
}

std::optional<double> Statement::optionalRealColumn(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::textColumn(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    // column_bytes after column_text gives the UTF-8 length, embedded NULs included.
    return text ? std::string(text, std::size_t(sqlite3_column_bytes(m_stmt, column)))
                : std::string();
}

} // namespace seplab::store
