#pragma once

#include <iosfwd>
#include <string>

namespace gongkai::server::admin {

struct ImportClientOptions {
  std::string folder;     // the import folder, as the server sees it (made absolute)
  std::string catalogue;  // "" for the server to find it in the folder
  std::string url;        // http://host:port of a running server
  std::string token;      // an account with documents.import
  bool skip_bad = false;
  bool check_only = false;  // report, import nothing
  bool progress_bar = false;
};

// `gongkai import`: asks a running server to import a folder under its import root (POST
// /api/v1/imports), prints every bad row, then follows the job (GET /api/v1/jobs/{id}) to its end,
// drawing a progress bar on `progress` when asked. The server does the work, so the import goes
// on if this command is stopped, and is resumed by the server after a crash. Exit code: 0 every
// row imported (or, checking only, every row good), 1 rows were bad (nothing imported, or skipped
// with skip_bad), 2 usage, connection or server errors.
int importThroughServer(const ImportClientOptions& options, std::ostream& out,
                        std::ostream& progress);

}  // namespace gongkai::server::admin
