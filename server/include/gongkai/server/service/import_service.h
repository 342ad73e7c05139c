#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/import_catalogue.h"
#include "gongkai/core/result.h"
#include "gongkai/server/service/authorization.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/service/job_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// An import asked for: a folder on the server (under the import root) holding the files and the
// catalogue.
struct ImportRequest {
  std::string folder;     // absolute, or relative to the import root
  std::string catalogue;  // relative to the folder, or absolute; "" to find it (catalogue.csv,
                          // catalogue.xlsx, 目录.csv, 目录.xlsx, or the folder's only .csv/.xlsx)
  bool skip_bad = false;  // import the good rows even when some are bad
  bool dry_run = false;   // only check and report
};

// What checking a catalogue found.
struct ImportReport {
  std::string folder;     // resolved
  std::string catalogue;  // resolved
  std::string catalogue_sha256;
  std::int64_t rows = 0;                   // data rows in the catalogue
  std::int64_t ready = 0;                  // rows to import now
  std::int64_t already_imported = 0;       // rows an earlier run imported (skipped)
  std::int64_t bytes = 0;                  // of the files the rows to import name
  std::vector<core::RowProblem> problems;  // every problem of every bad row, by line
  std::vector<std::string> unknown_columns;
  std::optional<std::int64_t> job_id;  // the import job, unless a dry run
};

// Imports a legacy archive: a folder of files and a catalogue (CSV or XLSX, see
// core/import_catalogue.h). Every row is checked first against what filing a document checks
// (DocumentService::checkImported), the 档号 already given, and the files in the folder; then a
// background job of kind "import" files the rows in batches through DocumentService::fileImported,
// each batch with its rows' keys (core::importRowKey: the SHA-256 of a row's values) in
// store::ImportRepository in the same transaction. A job left by a killed server is adopted and
// runs again from its params, and any import skips the rows already recorded, of this catalogue
// or an earlier one: no row twice, none left out. Thread-safe.
class ImportService {
 public:
  struct Options {
    std::string root;  // folders outside it are refused
    std::size_t batch_rows = 200;
    std::int64_t batch_bytes = std::int64_t{64} << 20;  // files staged per batch, at most
    std::int64_t max_catalogue_bytes = std::int64_t{256} << 20;
    std::int64_t max_file_bytes = std::int64_t{8} << 30;
  };

  // Registers the "import" job kind with `jobs` (before jobs.start()).
  ImportService(store::Store& store, DocumentService& documents, JobService& jobs,
                AuthorizerSource authorizer, Options options);

  // Checks the catalogue; unless a dry run, starts the job. kForbidden unless the subject holds
  // documents.import (rows of units it may not import into are bad rows); kInvalidArgument
  // (reason "import_rows_invalid", one FieldError "lines[N].field" per problem) when rows are
  // bad and skip_bad is not set; kNotFound for a folder or catalogue that is not there or lies
  // outside the import root; what reading the catalogue finds (core/import_table.h).
  core::Result<ImportReport> start(const Subject& subject, const ImportRequest& request);

 private:
  struct Plan;
  core::Result<Plan> plan(const Subject& subject, const std::string& folder,
                          const std::string& catalogue, bool skipBad);
  core::Result<std::string> run(const Plan& plan, const Subject& subject, JobContext& context);
  core::Result<JobWork> resume(const store::JobRow& row);
  core::Result<std::string> resolveFolder(const std::string& given) const;
  // The account that started a job, with its roles as they are now.
  core::Result<Subject> accountSubject(const std::string& username);

  store::Store& store_;
  DocumentService& documents_;
  JobService& jobs_;
  AuthorizerSource authorizer_;
  Options options_;
};

}  // namespace gongkai::server::service
