#pragma once

// PostgreSQL's own client programs (pg_dump, pg_restore), which the backup tools run against a
// store's database: a consistent dump is theirs to make, not ours.

#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "store_internal.h"

namespace gongkai::server::store {

// The path of `program`: on PATH, else in the newest /usr/lib/postgresql/<version>/bin (Debian's
// layout, where PATH may hold none of them); empty when neither has it.
std::string findPostgresqlProgram(const std::string& program);

// Runs `program` with `args` and the database's connection string as --dbname. The URL's
// password, when it has one, goes in the child's PGPASSWORD, never on its command line where `ps`
// shows it; without one, libpq's own PGPASSWORD and ~/.pgpass apply. kUnavailable when the
// program is not installed, kIo with its output when it fails.
core::Status runPostgresqlProgram(const std::string& program, const std::vector<std::string>& args,
                                  const Database& database);

}  // namespace gongkai::server::store
