#include "gongkai/server/store/storage_error.h"
#include "gongkai/server/service/archive_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "gongkai/archive/bag_writer.h"
#include "gongkai/archive/bundle_layout.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/checkpoint.h"
#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/document.h"
#include "gongkai/core/feedback.h"
#include "gongkai/core/json.h"
#include "gongkai/core/signed_note.h"
#include "gongkai/core/text.h"
#include "gongkai/core/time.h"
#include "gongkai/server/service/audit_trail.h"
#include "gongkai/server/store/versioned_records.h"

namespace gongkai::server::service {

namespace fs = std::filesystem;
namespace layout = archive::layout;
using core::Error;
using core::ErrorCode;
using store::ArchiveRepository;
using store::ArchiveRow;

namespace {

constexpr std::string_view kSoftwareAgent = "gongkai 0.1.0";


Error cancelled() {
  return Error::make(ErrorCode::kUnavailable, "cancelled", "已取消 (cancelled)");
}

// One archived document as it goes into the bundle.
struct Item {
  store::ReferenceRow reference;
  std::vector<store::StoredVersion> versions;
  core::DocumentVersion current;
  std::map<std::int64_t, core::FileRecord> files;  // every file any version held, by id
};

std::string bundleFileName(const core::FileRecord& file) {
  return layout::bundledFileName(file.id, file.name);
}

using core::htmlEscape;

std::string retentionName(const std::string& retention) {
  if (retention == "Y") return "永久";
  if (retention == "D30") return "30年";
  if (retention == "D10") return "10年";
  return retention;
}

std::string indexHtml(const std::vector<Item>& items, const std::string& organization,
                      const std::string& categoryName, const std::string& category, int year) {
  const std::string title = htmlEscape(organization) + " " + std::to_string(year) + " 年度" +
                            htmlEscape(categoryName) + "（" + category + "）党务公开档案目录";
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title +
      "</title>\n</head>\n<body>\n<h1>" + title + "</h1>\n<p>共 " + std::to_string(items.size()) +
      " 件 (" + std::to_string(items.size()) +
      " items)</p>\n<table border=\"1\">\n<thead><tr><th>档号</th><th>题名</th><th>文号</th>"
      "<th>成文日期</th><th>保管期限</th><th>版本数</th><th>文件</th></tr></thead>\n<tbody>\n";
  for (const Item& item : items) {
    const core::DocumentMetadata& m = item.current.metadata;
    std::string files;
    for (const auto& [id, file] : item.files) {
      if (!files.empty()) files += "<br>";
      files += "<a href=\"items/" + item.reference.code + "/files/" + bundleFileName(file) + "\">" +
               htmlEscape(file.name) + "</a>";
    }
    html += "<tr><td><a href=\"items/" + item.reference.code + "/metadata.json\">" +
            item.reference.code + "</a></td><td>" + htmlEscape(m.title) + "</td><td>" +
            htmlEscape(m.doc_number.value_or("")) + "</td><td>" +
            (m.issued_at ? m.issued_at->toString() : std::string()) + "</td><td>" +
            retentionName(item.reference.retention) + "</td><td>" +
            std::to_string(item.versions.size()) + "</td><td>" + files + "</td></tr>\n";
  }
  return html + "</tbody>\n</table>\n</body>\n</html>\n";
}

std::string indexCsv(const std::vector<Item>& items) {
  // A byte-order mark, so spreadsheet programs read the Chinese as UTF-8.
  std::string csv = "\xEF\xBB\xBF档号,题名,文号,成文日期,保管期限,公开范围,版本数,文件数\r\n";
  for (const Item& item : items) {
    const core::DocumentMetadata& m = item.current.metadata;
    csv += core::csvCell(item.reference.code) + "," + core::csvCell(m.title) + "," +
           core::csvCell(m.doc_number.value_or("")) + "," +
           core::csvCell(m.issued_at ? m.issued_at->toString() : "") + "," +
           core::csvCell(item.reference.retention) + "," + core::csvCell(core::toString(m.scope)) +
           "," + std::to_string(item.versions.size()) + "," + std::to_string(item.files.size()) +
           "\r\n";
  }
  return csv;
}

std::string proofLine(std::int64_t seq, std::int64_t size,
                      const std::vector<core::merkle::Hash>& proof) {
  std::string line =
      "{\"seq\":" + std::to_string(seq) + ",\"tree_size\":" + std::to_string(size) + ",\"proof\":[";
  for (std::size_t i = 0; i < proof.size(); ++i) {
    if (i > 0) line += ",";
    line += "\"" + core::base64Encode(core::digestBytes(proof[i])) + "\"";
  }
  return line + "]}\n";
}

// Makes a rename durable: fsync of the folder that holds the new name.
void syncFolder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// A JSON string literal, escaped as everywhere else in the project.
std::string jsonString(std::string_view text) {
  std::string out;
  core::appendJsonString(out, text);
  return out;
}

}  // namespace

ArchiveService::ArchiveService(store::Store& store, AuditService& audit,
                               CheckpointService& checkpoints, PolicyService& policies,
                               const policies::CategoryCatalogue& categories, JobService& jobs,
                               std::string folder, const archive::Sm2Signer* sm2)
    : store_(store),
      audit_(audit),
      checkpoints_(checkpoints),
      policies_(policies),
      categories_(categories),
      jobs_(jobs),
      folder_(std::move(folder)),
      sm2_(sm2) {
  // A bundle half written when the server stopped is of no use: its job was marked interrupted.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder_, ec)) {
    if (entry.path().filename().string().rfind("building-", 0) == 0) fs::remove(entry.path(), ec);
  }
}

core::Result<std::int64_t> ArchiveService::requestBundle(const BundleRequest& request,
                                                         const Subject& subject) {
  if (categories_.find(request.category) == nullptr) {
    return Error{ErrorCode::kInvalidArgument,
                 "unknown_category",
                 "没有该公开类别 (no such category): " + request.category,
                 {{"category", "unknown_category", "没有该公开类别 (no such category)"}}};
  }
  if (request.year < 1900 || request.year > 2999) {
    return Error{ErrorCode::kInvalidArgument,
                 "invalid_year",
                 "年度须在 1900-2999 之间 (year must be 1900-2999)",
                 {{"year", "invalid_year", "年度须在 1900-2999 之间 (year must be 1900-2999)"}}};
  }
  const std::string fonds = policies_.engine()->policies().archive.fonds_code;
  try {
    auto session = store_.read();
    if (ArchiveRepository::referenceCodes(*session, fonds, request.year, request.category)
            .empty()) {
      return Error::make(ErrorCode::kInvalidArgument, "nothing_to_archive",
                         "该类别该年度没有已归档的文件 (no archived documents in that category and "
                         "year)");
    }
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  if (request.checkpoint_size) {
    if (auto found = audit_.checkpointAt(*request.checkpoint_size); !found.ok()) {
      return found.error();
    }
  }
  std::string params =
      "{\"category\":" + jsonString(request.category) + ",\"year\":" + std::to_string(request.year);
  if (request.checkpoint_size)
    params += ",\"checkpoint_size\":" + std::to_string(*request.checkpoint_size);
  params += "}";
  return jobs_.submit(
      "archive.build", params, subject,
      [this, request, subject](JobContext& context) { return build(request, subject, context); });
}

core::Result<std::string> ArchiveService::build(const BundleRequest& request,
                                                const Subject& subject, JobContext& context) {
  const policies::ArchivePolicy policy = policies_.engine()->policies().archive;
  const policies::Category* category = categories_.find(request.category);
  if (category == nullptr) {
    return Error::make(ErrorCode::kInvalidArgument, "unknown_category",
                       "没有该公开类别 (no such category): " + request.category);
  }
  // How long each phase took, reported with the result (operators size their machines by it).
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> phases;
  const auto phaseDone = [&](std::string name) {
    phases.emplace_back(std::move(name), std::chrono::steady_clock::now());
  };
  auto checkpoint = request.checkpoint_size ? audit_.checkpointAt(*request.checkpoint_size)
                                            : checkpoints_.checkpointNow();
  if (!checkpoint.ok()) return checkpoint.error();
  const store::StoredCheckpoint& cp = checkpoint.value();
  const auto madeAt = core::parseRfc3339(cp.created_at);
  if (!madeAt) {
    return Error::make(ErrorCode::kCorrupt, "checkpoint_time",
                       "检查点时间无效 (bad checkpoint time)");
  }

  // Everything is read in one snapshot, as of the checkpoint: versions and audit entries made
  // after it stay out, so the same records against the same checkpoint give the same bundle.
  std::vector<Item> items;
  std::map<std::int64_t, std::vector<store::StoredVersion>> catalogue;
  std::vector<store::StoredAuditEntry> entries;
  try {
    auto session = store_.read();
    store::withSnapshot(*session, [&] {
      for (auto& reference : ArchiveRepository::referenceCodes(*session, policy.fonds_code,
                                                               request.year, request.category)) {
        if (context.cancelRequested()) return;
        Item item;
        item.versions = store::versionsUpTo(*session, store::VersionedKind::kDocument,
                                            reference.document_id, cp.tree_size);
        if (item.versions.empty()) continue;
        auto current = core::parseRecord(item.versions.back().record);
        if (!current.ok()) throw std::runtime_error(current.error().message);
        item.current = std::move(current).value();
        // Archived after the checkpoint: its 档号 exists, but not yet as of this bundle.
        if (item.current.disclosure.reference_code != reference.code) continue;
        std::set<std::int64_t> catalogueItems;
        for (const auto& stored : item.versions) {
          auto version = core::parseRecord(stored.record);
          if (!version.ok()) throw std::runtime_error(version.error().message);
          for (const auto& file : version.value().files) item.files.emplace(file.id, file);
          if (version.value().metadata.catalogue_item) {
            catalogueItems.insert(*version.value().metadata.catalogue_item);
          }
        }
        for (auto& entry : ArchiveRepository::auditEntriesAbout(
                 *session, "document", std::to_string(reference.document_id), cp.tree_size)) {
          entries.push_back(std::move(entry));
        }
        for (std::int64_t id : catalogueItems) {
          if (catalogue.count(id)) continue;
          catalogue[id] =
              store::versionsUpTo(*session, store::VersionedKind::kCatalogueItem, id, cp.tree_size);
          for (auto& entry : ArchiveRepository::auditEntriesAbout(
                   *session, "catalogue_item", std::to_string(id), cp.tree_size)) {
            entries.push_back(std::move(entry));
          }
        }
        item.reference = std::move(reference);
        items.push_back(std::move(item));
        context.setItemsDone(static_cast<std::int64_t>(items.size()));
      }
    });
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  // Feedback and applications of this category received in this year (China time), as they
  // stood at the checkpoint: the category their last version before it gave them, so a category
  // set or changed later does not change a rebuilt bundle.
  std::map<std::int64_t, std::vector<store::StoredVersion>> feedback, requests;
  const auto takeIn = [&](const char* objectType, std::int64_t id,
                          std::vector<store::StoredVersion> versions, store::ReadSession& session,
                          std::map<std::int64_t, std::vector<store::StoredVersion>>& into) {
    into[id] = std::move(versions);
    for (auto& entry : ArchiveRepository::auditEntriesAbout(session, objectType, std::to_string(id),
                                                            cp.tree_size)) {
      entries.push_back(std::move(entry));
    }
  };
  try {
    auto session = store_.read();
    store::withSnapshot(*session, [&] {
      for (const auto& [id, received] : ArchiveRepository::feedbackReceived(*session)) {
        const auto at = core::parseRfc3339(received);
        if (!at || core::chinaDate(*at).year != request.year) continue;
        auto versions =
            store::versionsUpTo(*session, store::VersionedKind::kFeedback, id, cp.tree_size);
        if (versions.empty()) continue;
        auto then = core::parseFeedbackRecord(versions.back().record);
        if (!then.ok()) throw std::runtime_error(then.error().message);
        if (then.value().category != request.category) continue;
        takeIn("feedback", id, std::move(versions), *session, feedback);
      }
      for (const auto& [id, received] : ArchiveRepository::requestsReceived(*session)) {
        const auto at = core::parseRfc3339(received);
        if (!at || core::chinaDate(*at).year != request.year) continue;
        auto versions = store::versionsUpTo(*session, store::VersionedKind::kDisclosureRequest, id,
                                            cp.tree_size);
        if (versions.empty()) continue;
        auto then = core::parseDisclosureRequest(versions.back().record);
        if (!then.ok()) throw std::runtime_error(then.error().message);
        if (then.value().category != request.category) continue;
        takeIn("disclosure_request", id, std::move(versions), *session, requests);
      }
    });
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  if (context.cancelRequested()) return cancelled();
  phaseDone("read_records");
  if (items.empty()) {
    return Error::make(ErrorCode::kInvalidArgument, "nothing_to_archive",
                       "检查点之前该类别该年度没有已归档的文件 (no archived documents in that "
                       "category and year as of the checkpoint)");
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.seq < b.seq; });
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const auto& a, const auto& b) { return a.seq == b.seq; }),
                entries.end());

  const std::string name = policy.fonds_code + "-" + std::to_string(request.year) + "-" +
                           request.category + "-T" + std::to_string(cp.tree_size);
  archive::BagWriter bag(
      name, std::chrono::duration_cast<std::chrono::seconds>(madeAt->time_since_epoch()).count());
  const std::string organization =
      policy.organization.empty() ? policy.fonds_code : policy.organization;
  bag.addInfo("Source-Organization", organization);
  bag.addInfo("External-Identifier", name);
  bag.addInfo("Bag-Software-Agent", std::string(kSoftwareAgent));
  bag.addInfo(std::string(layout::kInfoFonds), policy.fonds_code);
  bag.addInfo(std::string(layout::kInfoCategory), request.category);
  bag.addInfo(std::string(layout::kInfoCategoryName), category->name);
  bag.addInfo(std::string(layout::kInfoYear), std::to_string(request.year));
  bag.addInfo(std::string(layout::kInfoItemCount), std::to_string(items.size()));
  std::map<std::string, std::pair<int, int>>
      sequences;  // FONDS-YEAR-RETENTION-CATEGORY → first, last
  for (const Item& item : items) {
    const std::string key = policy.fonds_code + "-" + std::to_string(request.year) + "-" +
                            item.reference.retention + "-" + request.category;
    auto [it, fresh] =
        sequences.emplace(key, std::make_pair(item.reference.item, item.reference.item));
    if (!fresh) {
      it->second.first = std::min(it->second.first, item.reference.item);
      it->second.second = std::max(it->second.second, item.reference.item);
    }
  }
  for (const auto& [key, range] : sequences) {
    bag.addInfo(std::string(layout::kInfoSequence),
                key + " " + std::to_string(range.first) + " " + std::to_string(range.second));
  }
  bag.addInfo(std::string(layout::kInfoCheckpointSize), std::to_string(cp.tree_size));
  bag.addInfo(std::string(layout::kInfoAuditEntryCount), std::to_string(entries.size()));
  bag.addInfo(std::string(layout::kInfoFeedbackCount), std::to_string(feedback.size()));
  bag.addInfo(std::string(layout::kInfoRequestCount), std::to_string(requests.size()));

  const std::string items_ = std::string(layout::kItems).substr(layout::kData.size());
  for (const Item& item : items) {
    const std::string base = items_ + item.reference.code + "/";
    bag.addBytes(base + std::string(layout::kMetadataFile), item.versions.back().record);
    for (const auto& version : item.versions) {
      bag.addBytes(base + std::string(layout::kVersionsFolder) + "v" +
                       std::to_string(version.version) + ".json",
                   version.record);
    }
    for (const auto& [id, file] : item.files) {
      bag.addFile(base + std::string(layout::kFilesFolder) + bundleFileName(file),
                  store_.blobs().pathOf(file.sha256));
    }
  }
  // Versioned records outside the items: <folder><id>/vN.json.
  const auto addVersions =
      [&](std::string_view folder,
          const std::map<std::int64_t, std::vector<store::StoredVersion>>& all) {
        const std::string base = std::string(folder).substr(layout::kData.size());
        for (const auto& [id, versions] : all) {
          for (const auto& version : versions) {
            bag.addBytes(
                base + std::to_string(id) + "/v" + std::to_string(version.version) + ".json",
                version.record);
          }
        }
      };
  addVersions(layout::kCatalogue, catalogue);
  addVersions(layout::kFeedback, feedback);
  addVersions(layout::kRequests, requests);
  std::string entryLines, proofLines;
  for (const auto& entry : entries) {
    if (context.cancelRequested()) return cancelled();
    auto proof = audit_.inclusionProof(entry.seq - 1, cp.tree_size);
    if (!proof.ok()) return proof.error();
    entryLines += entry.bytes + "\n";
    proofLines += proofLine(entry.seq, cp.tree_size, proof.value().proof);
  }
  phaseDone("audit_proofs");
  const auto inData = [](std::string_view path) {
    return std::string(path.substr(layout::kData.size()));
  };
  bag.addBytes(inData(layout::kCheckpoint), cp.note);
  bag.addBytes(inData(layout::kAuditEntries), entryLines);
  bag.addBytes(inData(layout::kAuditProofs), proofLines);
  bag.addBytes(inData(layout::kIndexHtml),
               indexHtml(items, organization, category->name, request.category, request.year));
  bag.addBytes(inData(layout::kIndexCsv), indexCsv(items));
  bag.signWith(checkpoints_.signingKey());
  if (sm2_ != nullptr) bag.signSm2With(*sm2_);

  context.setTotals(static_cast<std::int64_t>(items.size()), bag.payloadBytes());
  bag.onProgress([&context](std::int64_t bytes) {
    context.setBytesDone(bytes);
    return !context.cancelRequested();
  });
  std::error_code ec;
  fs::create_directories(folder_, ec);
  const fs::path temporary =
      fs::path(folder_) / ("building-" + std::to_string(context.id()) + ".tar");
  auto written = bag.writeTo(temporary.string(), /*durable=*/true);
  phaseDone("write_bundle");
  if (!written.ok()) return written.error();
  const fs::path final = fs::path(folder_) / (written.value().sha256 + ".tar");
  fs::rename(temporary, final, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return Error::make(ErrorCode::kIo, "bag_write_failed",
                       "归档包无法保存 (cannot keep the bundle): " + ec.message());
  }
  syncFolder(folder_);

  ArchiveRow row;
  row.name = name;
  row.fonds = policy.fonds_code;
  row.category = request.category;
  row.year = request.year;
  row.item_count = static_cast<std::int64_t>(items.size());
  row.audit_entry_count = static_cast<std::int64_t>(entries.size());
  row.size = written.value().size;
  row.sha256 = written.value().sha256;
  row.signer_key = checkpoints_.verifierKey().name + "+" +
                   core::note::keyIdHex(checkpoints_.verifierKey().key_id);
  row.sm2_signed = sm2_ != nullptr;
  row.checkpoint_size = cp.tree_size;
  row.job_id = context.id();
  row.created_by = subject.id;
  row.created_at = core::formatRfc3339(core::nowUtc());
  auto id = store_.write<std::int64_t>([&](store::Transaction& tx) -> core::Result<std::int64_t> {
    const std::int64_t archiveId = ArchiveRepository::insertArchive(tx, row);
    appendAudit(tx, subject, "archive.create", "archive", std::to_string(archiveId), std::nullopt,
                row.sha256);
    return archiveId;
  });
  if (!id.ok()) return id.error();
  phaseDone("record");
  std::string timing;
  auto previous = started;
  for (const auto& [phase, at] : phases) {
    timing += (timing.empty() ? "" : ",") + jsonString(phase) + ":" +
              std::to_string(
                  std::chrono::duration_cast<std::chrono::milliseconds>(at - previous).count());
    previous = at;
  }
  return "{\"archive_id\":" + std::to_string(id.value()) + ",\"name\":" + jsonString(name) +
         ",\"size\":" + std::to_string(row.size) + ",\"sha256\":" + jsonString(row.sha256) +
         ",\"item_count\":" + std::to_string(row.item_count) + ",\"timing_ms\":{" + timing + "}}";
}

core::Result<std::vector<ArchiveRow>> ArchiveService::list(
    const std::optional<std::string>& category, const std::optional<int>& year) {
  try {
    auto session = store_.read();
    return ArchiveRepository::archives(*session, category, year);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<ArchiveRow> ArchiveService::get(std::int64_t id) {
  try {
    auto session = store_.read();
    auto found = ArchiveRepository::archive(*session, id);
    if (!found) {
      return Error::make(ErrorCode::kNotFound, "archive_not_found",
                         "归档包不存在 (no such bundle): " + std::to_string(id));
    }
    return std::move(*found);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

std::string ArchiveService::pathOf(const ArchiveRow& archive) const {
  return (fs::path(folder_) / (archive.sha256 + ".tar")).string();
}

std::string ArchiveService::ed25519PublicKeyPem() const {
  return core::ed25519PublicKeyPem(checkpoints_.signingKey().publicKey());
}

std::string ArchiveService::sm2PublicKeyPem() const {
  return sm2_ != nullptr ? sm2_->publicKeyPem() : std::string();
}

}  // namespace gongkai::server::service
