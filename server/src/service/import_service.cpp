#include "gongkai/server/service/import_service.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "gongkai/core/json.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "gongkai/core/time.h"
#include "gongkai/indexer/spreadsheet.h"
#include "gongkai/server/store/account_repository.h"
#include "gongkai/server/store/import_repository.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::service {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;
using core::ImportRow;
using core::RowProblem;

namespace {

constexpr const char* kKind = "import";
// At most this many problems go into one problem response or job result; the count says the rest.
constexpr std::size_t kMaxReported = 1000;
// Threads that stage a batch's files: two cores, and fsync waits to overlap.
constexpr std::size_t kStagingThreads = 3;

Error invalidPath(const std::string& field, const std::string& message) {
  Error error = Error::make(ErrorCode::kInvalidArgument, "import_path", message);
  error.fields.push_back({field, "import_path", message});
  return error;
}

bool inside(const fs::path& path, const fs::path& folder) {
  const auto [end, at] = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
  return end == folder.end();
}

std::string lineText(std::int64_t line) { return "第 " + std::to_string(line) + " 行"; }

// The problems a check found on a row, each naming the row's line.
void addProblems(std::vector<RowProblem>& out, std::int64_t line, const Error& error) {
  if (error.fields.empty()) {
    out.push_back({line, "", error.reason, lineText(line) + "：" + error.message});
    return;
  }
  for (const auto& field : error.fields) {
    std::string name = field.field.substr(0, field.field.find('['));
    out.push_back({line, name, field.code, lineText(line) + " " + name + "：" + field.message});
  }
}

DocumentMetadataFields metadataOf(const ImportRow& row) {
  const auto text = [](const std::string& value) {
    Field<std::string> field;
    if (!value.empty()) {
      field.state = Field<std::string>::State::kValue;
      field.value = value;
    }
    return field;
  };
  DocumentMetadataFields fields;
  fields.title = text(row.title);
  fields.doc_number = text(row.doc_number);
  fields.category = text(row.category);
  fields.org_unit = text(row.org_unit);
  fields.scope = text(row.scope);
  // Legacy catalogues rarely say how a record was disclosed: what most were, and the period
  // that claims least (one disclosure, no rhythm to be late for).
  fields.mode = text(row.mode.empty() ? "proactive" : row.mode);
  fields.period = text(row.period.empty() ? "immediate" : row.period);
  fields.issued_at = text(row.issued_at);
  fields.summary = text(row.summary);
  return fields;
}

std::string extensionOf(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::string baseName(const std::string& path) { return fs::path(path).filename().string(); }

std::string problemsJson(const std::vector<RowProblem>& problems) {
  std::string out = "[";
  for (std::size_t i = 0; i < problems.size() && i < kMaxReported; ++i) {
    if (i > 0) out += ",";
    out += "{\"line\":" + std::to_string(problems[i].line) + ",\"field\":";
    core::appendJsonString(out, problems[i].field);
    out += ",\"code\":";
    core::appendJsonString(out, problems[i].code);
    out += ",\"message\":";
    core::appendJsonString(out, problems[i].message);
    out += "}";
  }
  return out + "]";
}

std::set<std::int64_t> linesOf(const std::vector<RowProblem>& problems) {
  std::set<std::int64_t> lines;
  for (const auto& p : problems) lines.insert(p.line);
  return lines;
}

}  // namespace

struct ImportService::Plan {
  ImportReport report;
  std::string catalogue_name;
  bool skip_bad = false;
  std::vector<ImportRow> rows;  // to import now: rows with a 档号 first, then the others
  std::map<std::int64_t, std::int64_t> bytes_of;  // line → bytes of its files
  std::map<std::int64_t, std::string> key_of;     // line → core::importRowKey
};

ImportService::ImportService(store::Store& store, DocumentService& documents, JobService& jobs,
                             AuthorizerSource authorizer, Options options)
    : store_(store),
      documents_(documents),
      jobs_(jobs),
      authorizer_(std::move(authorizer)),
      options_(std::move(options)) {
  jobs_.resumeWith(kKind, [this](const store::JobRow& row) { return resume(row); });
}

core::Result<std::string> ImportService::resolveFolder(const std::string& given) const {
  std::error_code ec;
  const fs::path root = fs::canonical(options_.root, ec);
  if (ec) {
    return invalidPath("path", "服务器未设导入根目录，或该目录不存在 (the import root " +
                                   options_.root + " does not exist; see gongkai.import.root)");
  }
  const fs::path asked = fs::path(given).is_absolute() ? fs::path(given) : root / given;
  const fs::path folder = fs::canonical(asked, ec);
  if (ec || !fs::is_directory(folder)) {
    return invalidPath("path", "导入目录不存在 (no such folder): " + given);
  }
  if (!inside(folder, root)) {
    return invalidPath("path", "导入目录须在服务器的导入根目录 " + root.string() +
                                   " 之下 (the folder must lie under the import root)");
  }
  return folder.string();
}

core::Result<ImportService::Plan> ImportService::plan(const Subject& subject,
                                                      const std::string& folder,
                                                      const std::string& catalogue, bool skipBad) {
  Plan plan;
  plan.skip_bad = skipBad;
  plan.report.folder = folder;
  std::error_code ec;
  fs::path cataloguePath;
  if (!catalogue.empty()) {
    cataloguePath = fs::canonical(
        fs::path(catalogue).is_absolute() ? fs::path(catalogue) : fs::path(folder) / catalogue, ec);
    if (ec || !fs::is_regular_file(cataloguePath)) {
      return invalidPath("catalogue", "目录文件不存在 (no such catalogue file): " + catalogue);
    }
    if (!inside(cataloguePath, fs::canonical(options_.root, ec))) {
      return invalidPath("catalogue",
                         "目录文件须在导入根目录之下 (the catalogue must lie under "
                         "the import root)");
    }
  } else {
    for (const char* name : {"catalogue.csv", "catalogue.xlsx", "目录.csv", "目录.xlsx"}) {
      if (fs::is_regular_file(fs::path(folder) / name)) {
        cataloguePath = fs::path(folder) / name;
        break;
      }
    }
    if (cataloguePath.empty()) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string ext = extensionOf(entry.path());
        if (entry.is_regular_file() && (ext == ".csv" || ext == ".xlsx")) found.push_back(entry);
      }
      if (found.size() != 1) {
        return invalidPath("catalogue",
                           "请指定目录文件：目录中没有或有多个 .csv/.xlsx 文件 (name "
                           "the catalogue: the folder holds none or several)");
      }
      cataloguePath = found.front();
    }
  }
  plan.report.catalogue = cataloguePath.string();
  plan.catalogue_name = cataloguePath.filename().string();

  std::string bytes;
  {
    std::ifstream in(cataloguePath, std::ios::binary);
    const auto size = fs::file_size(cataloguePath, ec);
    if (!in || ec) return invalidPath("catalogue", "目录文件无法读取 (cannot read the catalogue)");
    if (static_cast<std::int64_t>(size) > options_.max_catalogue_bytes) {
      return Error::make(ErrorCode::kTooLarge, "catalogue_too_large",
                         "目录文件过大 (the catalogue is larger than " +
                             std::to_string(options_.max_catalogue_bytes) + " bytes)");
    }
    std::ostringstream text;
    text << in.rdbuf();
    bytes = text.str();
  }
  plan.report.catalogue_sha256 = core::sha256Hex(bytes);
  const bool xlsx = bytes.starts_with("PK\x03\x04") || extensionOf(cataloguePath) == ".xlsx";
  core::Result<core::ImportTable> table = core::ImportTable{};
  if (xlsx) {
    table = indexer::readXlsxTable(bytes);
  } else {
    auto text = core::decodeCatalogueText(bytes);
    if (!text.ok()) return text.error();
    table = core::parseCsvTable(text.value());
  }
  if (!table.ok()) return table.error();
  auto parsed = core::readImportCatalogue(table.value());
  if (!parsed.ok()) return parsed.error();
  plan.report.rows = parsed.value().row_count;
  plan.report.unknown_columns = parsed.value().unknown_columns;
  std::vector<RowProblem> problems = std::move(parsed.value().problems);

  std::set<std::string> imported, given;
  for (const auto& row : parsed.value().rows) plan.key_of[row.line] = core::importRowKey(row);
  try {
    auto session = store_.read();
    std::vector<std::string> keys;
    for (const auto& [line, key] : plan.key_of) keys.push_back(key);
    imported = store::ImportRepository::importedRows(*session, keys);
    std::vector<std::string> codes;
    for (const auto& row : parsed.value().rows) {
      if (!row.reference_code.empty() && !imported.count(plan.key_of[row.line]))
        codes.push_back(row.reference_code);
    }
    given = store::ImportRepository::givenReferenceCodes(*session, codes);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }

  const fs::path base(folder);
  std::map<std::string, std::int64_t> codeLines, keyLines;
  for (auto& row : parsed.value().rows) {
    const std::string& key = plan.key_of[row.line];
    if (imported.count(key)) {
      ++plan.report.already_imported;
      continue;
    }
    const std::size_t before = problems.size();
    if (const auto [first, isNew] = keyLines.emplace(key, row.line); !isNew) {
      problems.push_back({row.line, "", "duplicate_row",
                          lineText(row.line) + "：与第 " + std::to_string(first->second) +
                              " 行完全相同 (the same as line " + std::to_string(first->second) +
                              ")"});
    }
    ImportedDocument document{metadataOf(row), {}, row.retention, row.reference_code, {}};
    for (const auto& file : row.files) document.files.push_back({baseName(file), "", {}});
    if (auto checked = documents_.checkImported(subject, document); !checked.ok()) {
      addProblems(problems, row.line, checked.error());
    }
    if (!row.reference_code.empty()) {
      const auto [first, isNew] = codeLines.emplace(row.reference_code, row.line);
      if (given.count(row.reference_code)) {
        problems.push_back({row.line, "reference_code", "reference_code_taken",
                            lineText(row.line) +
                                " 档号：该档号已被其他文件使用 (the 档号 is "
                                "already held by another document): " +
                                row.reference_code});
      } else if (!isNew) {
        problems.push_back({row.line, "reference_code", "duplicate_reference_code",
                            lineText(row.line) + " 档号：与第 " + std::to_string(first->second) +
                                " 行重复 (the same 档号 as line " + std::to_string(first->second) +
                                "): " + row.reference_code});
      }
    }
    std::int64_t rowBytes = 0;
    for (const auto& file : row.files) {
      const fs::path path = fs::canonical(base / file, ec);
      const auto bad = [&](const std::string& code, const std::string& message) {
        problems.push_back({row.line, "files", code, lineText(row.line) + " 文件：" + message});
      };
      if (ec) {
        bad("file_missing", "文件不存在 (no such file in the folder): " + file);
      } else if (!inside(path, base)) {
        bad("invalid_path", "路径跳出导入目录 (the path leaves the import folder): " + file);
      } else if (!fs::is_regular_file(path)) {
        bad("not_a_file", "不是普通文件 (not a regular file): " + file);
      } else if (const auto size = fs::file_size(path, ec);
                 ec || static_cast<std::int64_t>(size) > options_.max_file_bytes) {
        bad("file_too_large", "文件过大或无法读取 (too large or unreadable): " + file);
      } else {
        rowBytes += static_cast<std::int64_t>(size);
      }
    }
    if (problems.size() == before) {
      plan.bytes_of[row.line] = rowBytes;
      plan.report.bytes += rowBytes;
      plan.rows.push_back(std::move(row));
    }
  }
  // 档号 given keep their numbers; the rows without one are numbered after them, so a number
  // handed out by the sequence can never be one a later row of the catalogue brings.
  std::stable_partition(plan.rows.begin(), plan.rows.end(),
                        [](const ImportRow& row) { return !row.reference_code.empty(); });
  std::stable_sort(problems.begin(), problems.end(),
                   [](const RowProblem& a, const RowProblem& b) { return a.line < b.line; });
  plan.report.problems = std::move(problems);
  plan.report.ready = static_cast<std::int64_t>(plan.rows.size());
  return plan;
}

core::Result<ImportReport> ImportService::start(const Subject& subject,
                                                const ImportRequest& request) {
  if (!subject.system) {
    if (auto allowed = authorizer_().require(subject.principal, "documents.import");
        !allowed.ok()) {
      return allowed.error();
    }
  }
  auto folder = resolveFolder(request.folder);
  if (!folder.ok()) return folder.error();
  auto planned = plan(subject, folder.value(), request.catalogue, request.skip_bad);
  if (!planned.ok()) return planned.error();
  auto shared = std::make_shared<Plan>(std::move(planned).value());
  ImportReport report = shared->report;
  if (!report.problems.empty() && !request.skip_bad && !request.dry_run) {
    const std::size_t bad = linesOf(report.problems).size();
    Error error = Error::make(
        ErrorCode::kInvalidArgument, "import_rows_invalid",
        "目录中有 " + std::to_string(bad) +
            " 行有误，未导入任何文件；改正后重新导入，或用 --skip-bad 只导入正确的行 (" +
            std::to_string(bad) +
            " rows are bad and nothing was imported; correct them, or skip them with skip_bad)");
    for (std::size_t i = 0; i < report.problems.size() && i < kMaxReported; ++i) {
      const RowProblem& p = report.problems[i];
      error.fields.push_back(
          {"lines[" + std::to_string(p.line) + "]" + (p.field.empty() ? "" : "." + p.field), p.code,
           p.message});
    }
    return error;
  }
  if (request.dry_run) return report;
  std::string params = "{\"folder\":";
  core::appendJsonString(params, report.folder);
  params += ",\"catalogue\":";
  core::appendJsonString(params, report.catalogue);
  params += ",\"catalogue_sha256\":\"" + report.catalogue_sha256 +
            "\",\"skip_bad\":" + (request.skip_bad ? "true" : "false") + "}";
  auto id = jobs_.submit(kKind, params, subject, [this, shared, subject](JobContext& context) {
    return run(*shared, subject, context);
  });
  if (!id.ok()) return id.error();
  report.job_id = id.value();
  return report;
}

core::Result<Subject> ImportService::accountSubject(const std::string& username) {
  std::optional<store::UserRecord> user;
  try {
    auto session = store_.read();
    user = store::AccountRepository::userByName(*session, username);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  if (!user || user->disabled) {
    return Error::make(ErrorCode::kForbidden, "account_disabled",
                       "发起导入的账户已不存在或已停用 (the account that started the import is "
                       "gone or disabled): " +
                           username);
  }
  Subject subject;
  subject.id = user->username;
  subject.principal.user_id = user->id;
  subject.principal.username = user->username;
  for (const auto& role : user->roles) subject.principal.grants.push_back({role.role, role.unit});
  return subject;
}

core::Result<JobWork> ImportService::resume(const store::JobRow& row) {
  auto params = core::parseJsonObject(row.params);
  if (!params.ok()) return params.error();
  std::string folder, catalogue, sha256;
  bool skipBad = false;
  try {
    folder = params.value()->getValue<std::string>("folder");
    catalogue = params.value()->getValue<std::string>("catalogue");
    sha256 = params.value()->getValue<std::string>("catalogue_sha256");
    skipBad = params.value()->getValue<bool>("skip_bad");
  } catch (const Poco::Exception& e) {
    return Error::make(ErrorCode::kCorrupt, "job_params",
                       "任务参数无效 (bad job parameters): " + e.displayText());
  }
  const std::string createdBy = row.created_by;
  return JobWork([=, this](JobContext& context) -> core::Result<std::string> {
    // Checked again as things are now: the account's rights, the folder, the rows already in.
    auto subject = accountSubject(createdBy);
    if (!subject.ok()) return subject.error();
    auto planned = plan(subject.value(), folder, catalogue, skipBad);
    if (!planned.ok()) return planned.error();
    if (planned.value().report.catalogue_sha256 != sha256) {
      return Error::make(ErrorCode::kConflict, "catalogue_changed",
                         "导入中断后目录文件已被修改，请重新发起导入 (the catalogue changed since "
                         "the import began; start it again)");
    }
    if (!planned.value().report.problems.empty() && !skipBad) {
      return Error::make(ErrorCode::kInvalidArgument, "import_rows_invalid",
                         planned.value().report.problems.front().message);
    }
    return run(planned.value(), subject.value(), context);
  });
}

core::Result<std::string> ImportService::run(const Plan& plan, const Subject& subject,
                                             JobContext& context) {
  const ImportReport& report = plan.report;
  const std::int64_t total = report.already_imported + report.ready;
  std::int64_t done = report.already_imported, bytesDone = 0, importedNow = 0;
  context.setTotals(total, report.bytes);
  context.setItemsDone(done);
  std::vector<RowProblem> failed;
  const fs::path folder(report.folder);
  const core::ImportSource source{plan.catalogue_name, report.catalogue_sha256, 0};

  // The row as a document to file, its files staged from the folder.
  const auto prepare = [&](const ImportRow& row) -> core::Result<ImportedDocument> {
    ImportedDocument document{metadataOf(row), {}, row.retention, row.reference_code, source};
    document.source.line = row.line;
    for (const auto& file : row.files) {
      std::ifstream in(folder / file, std::ios::binary);
      if (!in) {
        return Error::make(ErrorCode::kNotFound, "file_missing",
                           "文件不存在 (no such file in the folder): " + file);
      }
      auto staged = documents_.stageFile(in, options_.max_file_bytes, baseName(file), "",
                                         store::BlobStore::Durability::kBatched);
      if (!staged.ok()) return staged.error();
      document.files.push_back(std::move(staged).value());
    }
    return document;
  };
  const auto file = [&](std::vector<ImportedDocument> documents,
                        const std::vector<const ImportRow*>& rows) {
    const std::string now = core::formatRfc3339(core::nowUtc());
    return documents_.fileImported(
        subject, std::move(documents),
        [&](store::Transaction& tx, std::size_t i, const core::DocumentVersion& v) {
          store::ImportRepository::recordRow(tx, plan.key_of.at(rows[i]->line),
                                             report.catalogue_sha256, rows[i]->line, v.document_id,
                                             context.id(), now);
        });
  };
  // A store that failed is no row's fault: the job stops, to be run again later.
  const auto storeFailed = [](const Error& e) {
    return e.code == ErrorCode::kIo || e.code == ErrorCode::kUnavailable ||
           e.code == ErrorCode::kInsufficientStorage || e.code == ErrorCode::kInternal;
  };

  for (std::size_t next = 0; next < plan.rows.size();) {
    if (context.cancelRequested()) {
      return Error::make(ErrorCode::kUnavailable, "cancelled", "已取消 (cancelled)");
    }
    std::vector<const ImportRow*> rows;
    std::int64_t batchBytes = 0;
    while (next < plan.rows.size() && rows.size() < options_.batch_rows &&
           (rows.empty() ||
            batchBytes + plan.bytes_of.at(plan.rows[next].line) <= options_.batch_bytes)) {
      batchBytes += plan.bytes_of.at(plan.rows[next].line);
      rows.push_back(&plan.rows[next++]);
    }
    // Files are staged by a few threads at once (one reads while another hashes); the batch's
    // one sync makes them durable when it is filed.
    std::vector<std::optional<core::Result<ImportedDocument>>> prepared(rows.size());
    {
      std::atomic<std::size_t> nextRow{0};
      const auto stageSome = [&] {
        for (std::size_t at = nextRow++; at < rows.size(); at = nextRow++)
          prepared[at] = prepare(*rows[at]);
      };
      std::vector<std::thread> stagers;
      if (batchBytes > 0) {
        for (std::size_t t = 1; t < kStagingThreads; ++t) stagers.emplace_back(stageSome);
      }
      stageSome();
      for (auto& stager : stagers) stager.join();
    }
    std::vector<ImportedDocument> documents;
    std::optional<Error> batchError;
    for (auto& document : prepared) {
      if (!document->ok()) {
        batchError = document->error();
        break;
      }
      documents.push_back(std::move(*document).value());
    }
    if (!batchError) {
      auto filed = file(std::move(documents), rows);
      if (filed.ok()) {
        importedNow += static_cast<std::int64_t>(rows.size());
      } else {
        batchError = filed.error();
      }
    }
    if (batchError) {
      if (storeFailed(*batchError)) return *batchError;
      // Some row of the batch changed since it was checked: file them one by one to find it.
      for (const ImportRow* row : rows) {
        auto document = prepare(*row);
        core::Status outcome = core::okStatus();
        if (!document.ok()) {
          outcome = document.error();
        } else {
          std::vector<ImportedDocument> one;
          one.push_back(std::move(document).value());
          if (auto filed = file(std::move(one), {row}); !filed.ok()) outcome = filed.error();
        }
        if (outcome.ok()) {
          ++importedNow;
          continue;
        }
        if (storeFailed(outcome.error())) return outcome.error();
        std::vector<RowProblem> found;
        addProblems(found, row->line, outcome.error());
        if (!plan.skip_bad) {
          Error error = outcome.error();
          error.message = found.front().message;
          return error;
        }
        failed.insert(failed.end(), found.begin(), found.end());
      }
    }
    done += static_cast<std::int64_t>(rows.size());
    bytesDone += batchBytes;
    context.setItemsDone(done);
    context.setBytesDone(bytesDone);
  }
  std::vector<RowProblem> skipped = report.problems;
  skipped.insert(skipped.end(), failed.begin(), failed.end());
  std::string result = "{\"catalogue\":";
  core::appendJsonString(result, plan.catalogue_name);
  result += ",\"catalogue_sha256\":\"" + report.catalogue_sha256 +
            "\",\"rows\":" + std::to_string(report.rows) +
            ",\"imported\":" + std::to_string(importedNow) +
            ",\"already_imported\":" + std::to_string(report.already_imported) +
            ",\"skipped\":" + std::to_string(linesOf(skipped).size()) +
            ",\"problems\":" + problemsJson(skipped) + "}";
  Poco::Logger::get("gongkai.import")
      .information("import job %s: %s rows imported, %s already there, %s skipped",
                   std::to_string(context.id()), std::to_string(importedNow),
                   std::to_string(report.already_imported),
                   std::to_string(linesOf(skipped).size()));
  return result;
}

}  // namespace gongkai::server::service
