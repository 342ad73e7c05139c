// verify-log for logs that are not in a local data folder: an export file, or a running server.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "api_client.h"
#include "gongkai/core/audit_export.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/checkpoint.h"
#include "gongkai/core/log_verifier.h"
#include "gongkai/server/admin/verify_log.h"
#include "read_ahead.h"

namespace gongkai::server::admin {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::int64_t kEntriesPerRequest = 1000;
constexpr std::size_t kEntriesPerBatch = 10000;  // verified together, spread over the cores

std::optional<core::Checkpoint> checkpointOf(std::string_view signedNote) {
  auto note = core::note::parseNote(signedNote);
  if (!note.ok()) return std::nullopt;
  auto checkpoint = core::parseCheckpoint(note.value().text);
  if (!checkpoint.ok()) return std::nullopt;
  return checkpoint.value();
}

void fillReport(VerifyReport& report, const core::LogVerifier& verifier,
                std::optional<core::ChainFault> extraFault) {
  report.entries = verifier.entries();
  report.root_hash = core::toHex(verifier.root());
  report.head_hash = verifier.headHash();
  report.checkpoints = verifier.checkpointsVerified();
  report.signed_size = verifier.lastCheckpointSize();
  report.chain_fault = verifier.fault() ? verifier.fault() : extraFault;
}

// The log's own checkpoint must cover every entry that came with it: entries beyond it are
// signed by nobody.
std::optional<core::ChainFault> checkCoverage(const core::LogVerifier& verifier,
                                              std::string_view signedNote) {
  if (verifier.fault()) return std::nullopt;
  const auto checkpoint = checkpointOf(signedNote);
  if (checkpoint && static_cast<std::int64_t>(checkpoint->size) < verifier.entries()) {
    return core::ChainFault{static_cast<std::int64_t>(checkpoint->size) + 1, "unsigned_entries",
                            "检查点之后还有未签名的记录 (entries after the signed checkpoint)"};
  }
  return std::nullopt;
}

core::Result<core::merkle::Hash> hashFromBase64(const std::string& text) {
  auto bytes = core::base64Decode(text);
  if (!bytes) return Error::make(ErrorCode::kMalformed, "bad_hash", "not base64");
  return core::merkle::hashFromBytes(*bytes);
}

// Checks the server's consistency proof from a saved checkpoint to its latest one, as a client
// that keeps only checkpoints would.
std::optional<core::ChainFault> checkConsistencyProof(ApiClient& http,
                                                      const core::Checkpoint& saved,
                                                      const core::Checkpoint& latest) {
  if (saved.size == 0 || saved.size > latest.size) return std::nullopt;  // the entries decide
  auto body = http.getJson("/api/v1/audit/proof/consistency?from=" + std::to_string(saved.size) +
                           "&to=" + std::to_string(latest.size));
  std::vector<core::merkle::Hash> proof;
  auto array = body->getArray("proof");
  for (std::size_t i = 0; array && i < array->size(); ++i) {
    auto hash = hashFromBase64(array->getElement<std::string>(i));
    if (!hash.ok())
      return core::ChainFault{static_cast<std::int64_t>(saved.size), "consistency_failure",
                              "证明格式错误 (malformed proof)"};
    proof.push_back(hash.value());
  }
  auto verified =
      core::merkle::verifyConsistency(saved.size, latest.size, proof, saved.root, latest.root);
  if (!verified.ok()) {
    return core::ChainFault{
        static_cast<std::int64_t>(saved.size), "consistency_failure",
        "服务器的一致性证明不成立 (the server's consistency proof does not verify): " +
            verified.error().message};
  }
  return std::nullopt;
}

}  // namespace

core::Result<VerifyReport> verifyExport(std::istream& in, const VerifyOptions& options) {
  if (options.keys.empty()) {
    return Error::make(ErrorCode::kInvalidArgument, "key_required",
                       "离线校验需要验证密钥 (--key FILE is required to verify an export)");
  }
  VerifyReport report;
  core::audit_export::Reader reader(in);
  core::LogVerifier verifier(options.keys, "");
  if (auto started = reader.start(); !started.ok()) {
    fillReport(report, verifier, core::ChainFault{0, "export_malformed", started.error().message});
    return report;
  }
  verifier.addCheckpoint(reader.checkpointNote(), "export");
  for (const auto& since : options.since) verifier.addCheckpoint(since, "--since");
  std::int64_t position = 0;
  {
    bool readerDone = false;  // once next() said false it must not be asked again
    ReadAhead<std::vector<core::LogVerifier::Input>> batches(
        [&]() -> std::optional<std::vector<core::LogVerifier::Input>> {
          std::vector<core::LogVerifier::Input> batch;
          core::LogVerifier::Input input;
          while (!readerDone && batch.size() < kEntriesPerBatch) {
            if (!reader.next(input.bytes)) {
              readerDone = true;
              break;
            }
            input.row_seq = ++position;
            batch.push_back(std::move(input));
            input = {};
          }
          if (batch.empty()) return std::nullopt;
          return batch;
        });
    while (auto batch = batches.next()) {
      if (!verifier.addEntries(*batch)) break;
    }
  }  // the reader thread is done with `reader` and `position` here
  std::optional<core::ChainFault> extra;
  if (!verifier.fault() && reader.error()) {
    extra = core::ChainFault{position + 1, "export_malformed", reader.error()->message};
  } else if (!verifier.fault()) {
    verifier.finish();
    extra = checkCoverage(verifier, reader.checkpointNote());
  }
  fillReport(report, verifier, extra);
  return report;
}

core::Result<VerifyReport> verifyServer(const std::string& baseUrl, const VerifyOptions& options) {
  VerifyReport report;
  try {
    ApiClient http(baseUrl, options.token);
    std::vector<core::note::VerifierKey> keys = options.keys;
    if (keys.empty()) {
      auto listed = core::note::parseVerifierKeys(http.get("/api/v1/audit/keys"));
      if (!listed.ok()) return listed.error();
      keys = std::move(listed).value();
      report.keys_from_data = true;
    }
    const std::string latestNote = http.get("/api/v1/audit/checkpoint");
    core::LogVerifier verifier(keys, "");
    verifier.addCheckpoint(latestNote, "server");
    for (const auto& since : options.since) verifier.addCheckpoint(since, "--since");
    const auto latest = checkpointOf(latestNote);
    const std::int64_t size = latest ? static_cast<std::int64_t>(latest->size) : 0;
    std::optional<core::ChainFault> extra;
    // The proof a client would be given, checked before the entries that decide it anyway.
    for (const auto& since : options.since) {
      const auto saved = checkpointOf(since);
      if (!verifier.fault() && !extra && saved && latest)
        extra = checkConsistencyProof(http, *saved, *latest);
    }
    for (std::int64_t start = 0; start < size && !verifier.fault();) {
      const std::int64_t end = std::min(size, start + kEntriesPerRequest) - 1;
      auto body = http.getJson("/api/v1/audit/entries?start=" + std::to_string(start) +
                               "&end=" + std::to_string(end));
      auto entries = body->getArray("entries");
      if (!entries || entries->size() == 0) break;  // fewer entries than signed: finish() says so
      std::vector<core::LogVerifier::Input> batch(entries->size());
      for (std::size_t i = 0; i < entries->size(); ++i) {
        batch[i].row_seq = ++start;
        batch[i].bytes =
            entries->getObject(static_cast<unsigned>(i))->getValue<std::string>("canonical");
      }
      verifier.addEntries(batch);
    }
    verifier.finish();
    fillReport(report, verifier, verifier.fault() ? std::nullopt : extra);
  } catch (const std::exception& e) {
    return Error::make(ErrorCode::kIo, "server_unreachable",
                       std::string("无法从服务器读取 (cannot read from the server): ") + e.what());
  }
  return report;
}

}  // namespace gongkai::server::admin
