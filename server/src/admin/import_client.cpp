#include "gongkai/server/admin/import_client.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <cstdio>
#include <ostream>
#include <thread>

#include "api_client.h"
#include "gongkai/core/text.h"

namespace gongkai::server::admin {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitBadRows = 1;
constexpr int kExitError = 2;

using Poco::JSON::Object;

std::string megabytes(std::int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

// One line, redrawn in place: [#####-----] 2345/5000 行 (rows)  12.3 MB/45.0 MB  1234/s
void drawBar(std::ostream& out, const Object::Ptr& progress, double seconds) {
  const auto done = progress->getValue<std::int64_t>("items_done");
  const auto total = progress->getValue<std::int64_t>("items_total");
  const auto bytes = progress->getValue<std::int64_t>("bytes_done");
  const auto bytesTotal = progress->getValue<std::int64_t>("bytes_total");
  constexpr int kWidth = 30;
  const int filled = total > 0 ? static_cast<int>(kWidth * done / total) : 0;
  out << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '-') << "] " << done
      << "/" << total << " 行 (rows)";
  if (bytesTotal > 0) out << "  " << megabytes(bytes) << "/" << megabytes(bytesTotal);
  if (seconds > 0.5) out << "  " << static_cast<std::int64_t>(done / seconds) << "/s";
  out << "   " << std::flush;
}

void printProblems(std::ostream& out, const Poco::JSON::Array::Ptr& problems) {
  if (!problems) return;
  for (std::size_t i = 0; i < problems->size(); ++i) {
    out << problems->getObject(static_cast<unsigned>(i))->getValue<std::string>("message") << "\n";
  }
}

}  // namespace

int importThroughServer(const ImportClientOptions& options, std::ostream& out,
                        std::ostream& progress) {
  try {
    ApiClient api(options.url, options.token);
    std::string body = "{\"path\":";
    core::appendJsonString(body, options.folder);
    if (!options.catalogue.empty()) {
      body += ",\"catalogue\":";
      core::appendJsonString(body, options.catalogue);
    }
    body += std::string(",\"skip_bad\":") + (options.skip_bad ? "true" : "false") +
            ",\"dry_run\":" + (options.check_only ? "true" : "false") + "}";
    const ApiClient::Answer answer = api.postJson("/api/v1/imports", body);
    const auto answerJson = Poco::JSON::Parser().parse(answer.body).extract<Object::Ptr>();
    if (answer.status != 200 && answer.status != 202) {
      out << "错误 (error): " << answerJson->optValue<std::string>("detail", answer.body) << "\n";
      const auto errors = answerJson->getArray("errors");
      if (errors) {
        for (std::size_t i = 0; i < errors->size(); ++i) {
          out << errors->getObject(static_cast<unsigned>(i))->getValue<std::string>("message")
              << "\n";
        }
      }
      return answerJson->optValue<std::string>("code", "") == "import_rows_invalid" ? kExitBadRows
                                                                                    : kExitError;
    }
    const auto problems = answerJson->getArray("problems");
    const auto bad = problems ? problems->size() : 0;
    out << "目录 (catalogue): " << answerJson->getValue<std::string>("catalogue") << "\n"
        << "SHA-256: " << answerJson->getValue<std::string>("catalogue_sha256") << "\n"
        << "行数 (rows): " << answerJson->getValue<std::int64_t>("rows")
        << "，待导入 (to import): " << answerJson->getValue<std::int64_t>("ready")
        << "，已导入过 (imported before): "
        << answerJson->getValue<std::int64_t>("already_imported") << "\n";
    const auto unknown = answerJson->getArray("unknown_columns");
    for (std::size_t i = 0; unknown && i < unknown->size(); ++i) {
      out << "未知的列，已忽略 (unknown column, ignored): " << unknown->getElement<std::string>(i)
          << "\n";
    }
    printProblems(out, problems);
    if (options.check_only) {
      out << (bad == 0 ? "检查通过 (every row is good)\n" : "有错误的行见上 (bad rows above)\n");
      return bad == 0 ? kExitOk : kExitBadRows;
    }
    const std::string status = answerJson->getValue<std::string>("status_url");
    const auto started = std::chrono::steady_clock::now();
    Object::Ptr job;
    while (true) {
      job = api.getJson(status);
      const std::string state = job->getValue<std::string>("state");
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (options.progress_bar) drawBar(progress, job->getObject("progress"), seconds);
      if (state != "queued" && state != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (options.progress_bar) progress << "\n";
    const std::string state = job->getValue<std::string>("state");
    if (state != "done") {
      const auto error = job->getObject("error");
      out << "导入未完成 (the import did not finish): " << state;
      if (error) out << ": " << error->getValue<std::string>("message");
      out << "\n再次运行同一命令可继续，已导入的行会跳过 (run the same command again to go on; "
             "rows already imported are skipped)\n";
      return kExitError;
    }
    const auto result = job->getObject("result");
    out << "已导入 (imported): " << result->getValue<std::int64_t>("imported")
        << "，此前已导入 (already there): " << result->getValue<std::int64_t>("already_imported")
        << "，跳过的错误行 (bad rows skipped): " << result->getValue<std::int64_t>("skipped")
        << "\n";
    return result->getValue<std::int64_t>("skipped") == 0 ? kExitOk : kExitBadRows;
  } catch (const Poco::Exception& e) {
    out << "错误 (error): " << e.displayText() << "\n";
  } catch (const std::exception& e) {
    out << "错误 (error): " << e.what() << "\n";
  }
  return kExitError;
}

}  // namespace gongkai::server::admin
