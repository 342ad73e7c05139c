#include "gongkai/server/service/archive_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "gongkai/archive/eep_package.h"
#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/document.h"
#include "gongkai/core/feedback.h"
#include "gongkai/core/json.h"
#include "gongkai/core/signed_note.h"
#include "gongkai/core/time.h"
#include "gongkai/policies/authorizer.h"
#include "gongkai/server/service/audit_trail.h"
#include "gongkai/server/store/storage_error.h"
#include "gongkai/server/store/versioned_records.h"
#include "preservation_renditions.h"

namespace gongkai::server::service {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;
using store::ArchiveRepository;
using store::ArchiveRow;
using store::VersionedKind;

namespace {

Error cancelled() {
  return Error::make(ErrorCode::kUnavailable, "cancelled", "已取消 (cancelled)");
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

// How long each phase of a build took, reported with its result (operators size their machines
// by it).
class PhaseTimer {
 public:
  void done(std::string phase) { phases_.emplace_back(std::move(phase), Clock::now()); }

  // {"phase":milliseconds,...} without the braces.
  std::string json() const {
    std::string timing;
    auto previous = started_;
    for (const auto& [phase, at] : phases_) {
      timing += (timing.empty() ? "" : ",") + jsonString(phase) + ":" +
                std::to_string(
                    std::chrono::duration_cast<std::chrono::milliseconds>(at - previous).count());
      previous = at;
    }
    return timing;
  }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point started_ = Clock::now();
  std::vector<std::pair<std::string, Clock::time_point>> phases_;
};

std::vector<archive::RecordVersion> recordVersions(std::vector<store::StoredVersion> stored) {
  std::vector<archive::RecordVersion> versions;
  versions.reserve(stored.size());
  for (auto& version : stored) versions.push_back({version.version, std::move(version.record)});
  return versions;
}

// The index's columns for a document, from its current metadata.
void describeForIndex(const core::DocumentMetadata& metadata, archive::BundleItem& item) {
  item.title = metadata.title;
  item.doc_number = metadata.doc_number.value_or("");
  item.issued_at = metadata.issued_at ? metadata.issued_at->toString() : std::string();
  item.scope = std::string(core::toString(metadata.scope));
}

// A stored record that does not parse is a damaged store: the build fails with it.
template <typename Parse>
auto parse(Parse parseOne, const std::string& record) {
  auto parsed = parseOne(record);
  if (!parsed.ok()) throw std::runtime_error(parsed.error().message);
  return std::move(parsed).value();
}

// What the versions of one document held between them.
struct HeldByVersions {
  std::map<std::int64_t, core::FileRecord> files;  // by id: a file kept by versions is one file
  std::set<std::int64_t> catalogue_items;          // the catalogue entries any version answered
};

HeldByVersions heldByVersions(const std::vector<store::StoredVersion>& stored) {
  HeldByVersions held;
  for (const auto& each : stored) {
    const core::DocumentVersion version = parse(core::parseRecord, each.record);
    for (const auto& file : version.files) held.files.emplace(file.id, file);
    if (version.metadata.catalogue_item) {
      held.catalogue_items.insert(*version.metadata.catalogue_item);
    }
  }
  return held;
}

// Reads what one bundle holds into its contents, inside one read snapshot, as of the
// checkpoint's tree size: versions and audit entries made after it stay out, so the same records
// against the same checkpoint give the same bundle. Throws on storage failure or a stored record
// that does not parse.
class RecordGatherer {
 public:
  RecordGatherer(store::ReadSession& session, const store::BlobStore& blobs, std::int64_t treeSize,
                 archive::BundleContents& contents)
      : session_(session), blobs_(blobs), treeSize_(treeSize), contents_(contents) {}

  // The document filed under `reference`, with every version, every file any version held and
  // the catalogue entries it answers. False when it was archived under that 档号 only after the
  // checkpoint (or did not exist yet): then it is not in this bundle.
  bool addDocument(const store::ReferenceRow& reference) {
    auto stored = versions(VersionedKind::kDocument, reference.document_id);
    if (stored.empty()) return false;
    const core::DocumentVersion current = parse(core::parseRecord, stored.back().record);
    if (current.disclosure.reference_code != reference.code) return false;

    archive::BundleItem item;
    item.reference_code = reference.code;
    item.retention = reference.retention;
    item.item_number = reference.item;
    describeForIndex(current.metadata, item);
    const HeldByVersions held = heldByVersions(stored);
    for (const auto& [id, file] : held.files) {
      item.files.push_back({id, file.name, blobs_.pathOf(file.sha256), file.sha256});
      // The PDF/A rendition the log held at the checkpoint, and the entry that recorded it.
      if (auto logged = PreservationRenditions::loggedFor(session_, file.sha256, treeSize_)) {
        item.renditions.push_back({id, blobs_.pathOf(logged->sha256), logged->sha256});
        entries_.push_back(std::move(logged->entry));
      }
    }
    item.versions = recordVersions(std::move(stored));
    takeAuditEntries(VersionedKind::kDocument, reference.document_id);
    for (std::int64_t id : held.catalogue_items) addCatalogueItem(id);
    contents_.items.push_back(std::move(item));
    return true;
  }

  // Feedback or applications received in the bundle's year (China time) whose category, as
  // their last version before the checkpoint gave it, is the bundle's: a category set or
  // changed later does not change a rebuilt bundle.
  template <typename Parse>
  void addReceived(VersionedKind kind, Parse parseOne,
                   const std::vector<std::pair<std::int64_t, std::string>>& received,
                   archive::VersionedRecords& into) {
    for (const auto& [id, receivedAt] : received) {
      const auto at = core::parseRfc3339(receivedAt);
      if (!at || core::chinaDate(*at).year != contents_.year) continue;
      auto stored = versions(kind, id);
      if (stored.empty()) continue;
      if (parse(parseOne, stored.back().record).category != contents_.category) continue;
      into[id] = recordVersions(std::move(stored));
      takeAuditEntries(kind, id);
    }
  }

  // The audit entries about everything taken in, by seq, each once.
  std::vector<store::StoredAuditEntry> auditEntries() {
    std::sort(entries_.begin(), entries_.end(),
              [](const auto& a, const auto& b) { return a.seq < b.seq; });
    entries_.erase(std::unique(entries_.begin(), entries_.end(),
                               [](const auto& a, const auto& b) { return a.seq == b.seq; }),
                   entries_.end());
    return std::move(entries_);
  }

 private:
  std::vector<store::StoredVersion> versions(VersionedKind kind, std::int64_t id) {
    return store::versionsUpTo(session_, kind, id, treeSize_);
  }

  // Each catalogue entry once, however many documents answer it.
  void addCatalogueItem(std::int64_t id) {
    if (contents_.catalogue.count(id)) return;
    contents_.catalogue[id] = recordVersions(versions(VersionedKind::kCatalogueItem, id));
    takeAuditEntries(VersionedKind::kCatalogueItem, id);
  }

  void takeAuditEntries(VersionedKind kind, std::int64_t id) {
    for (auto& entry : ArchiveRepository::auditEntriesAbout(session_, store::objectTypeOf(kind),
                                                            std::to_string(id), treeSize_)) {
      entries_.push_back(std::move(entry));
    }
  }

  store::ReadSession& session_;
  const store::BlobStore& blobs_;
  std::int64_t treeSize_;
  archive::BundleContents& contents_;
  std::vector<store::StoredAuditEntry> entries_;
};

}  // namespace

ArchiveService::ArchiveService(store::Store& store, AuditService& audit,
                               CheckpointService& checkpoints, PolicyService& policies,
                               const policies::CategoryCatalogue& categories, JobService& jobs,
                               std::string folder, const archive::Sm2Signer* sm2,
                               const RenditionOptions& renditions)
    : store_(store),
      audit_(audit),
      checkpoints_(checkpoints),
      policies_(policies),
      categories_(categories),
      jobs_(jobs),
      folder_(std::move(folder)),
      sm2_(sm2),
      renditions_(std::make_unique<PreservationRenditions>(
          store,
          PdfaConverter(
              {renditions.converter, std::chrono::seconds(std::max(1, renditions.timeout_seconds)),
               static_cast<std::uint64_t>(std::max<std::int64_t>(1, renditions.max_output_bytes)),
               (fs::path(store.dataDir()) / "tmp" / "pdfa").string()}))) {
  // A bundle half written by a server that stopped is of no use; the job, if it is still
  // unfinished, is built again by whichever server adopts it (into the same name, so a building
  // file of a job still queued or running is left alone: another server may be writing it).
  std::set<std::int64_t> unfinished;
  try {
    auto session = store_.read();
    store::JobQuery query;
    query.states = {"queued", "running"};
    query.limit = INT64_MAX;
    for (const auto& job : ArchiveRepository::jobs(*session, query)) unfinished.insert(job.id);
  } catch (const std::exception&) {
    // Unknown: leave every building file; a later build of the same job replaces its own.
    return;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("building-", 0) != 0) continue;
    const std::int64_t job = std::atoll(name.c_str() + std::strlen("building-"));
    if (!unfinished.count(job)) fs::remove(entry.path(), ec);
  }
  jobs_.resumeWith("archive.build", [this](const store::JobRow& row) { return resumeBuild(row); });
}

ArchiveService::~ArchiveService() = default;

core::Result<JobWork> ArchiveService::resumeBuild(const store::JobRow& row) {
  auto params = core::parseJsonObject(row.params);
  if (!params.ok()) return params.error();
  BundleRequest request;
  try {
    request.category = params.value()->getValue<std::string>("category");
    request.year = params.value()->getValue<int>("year");
    if (params.value()->has("checkpoint_size"))
      request.checkpoint_size = params.value()->getValue<std::int64_t>("checkpoint_size");
  } catch (const Poco::Exception& e) {
    return Error::make(ErrorCode::kCorrupt, "job_params",
                       "任务参数无效 (bad job parameters): " + e.displayText());
  }
  // Whoever asked was allowed to then; the bundle and its audit entry still name them.
  Subject subject;
  subject.id = row.created_by;
  return JobWork([this, request, subject](JobContext& context) -> core::Result<std::string> {
    // The server that died may have recorded the bundle before it could mark the job done: that
    // bundle stands, and the job is not built twice.
    try {
      auto session = store_.read();
      if (auto recorded = ArchiveRepository::archiveOfJob(*session, context.id())) {
        return resultOf(*recorded, "");
      }
    } catch (const std::exception& e) {
      return store::storageError(e);
    }
    return build(request, subject, context);
  });
}

core::Status ArchiveService::require(const Subject& subject, std::string_view permission) const {
  if (subject.system) return core::okStatus();
  return policies::requirePermission(*policies_.engine(), subject.principal, permission);
}

core::Result<std::int64_t> ArchiveService::requestBundle(const BundleRequest& request,
                                                         const Subject& subject) {
  if (auto allowed = require(subject, "archives.build"); !allowed.ok()) return allowed.error();
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
  PhaseTimer phases;
  std::string renditions;
  if (!request.checkpoint_size) {
    auto made = makeRenditions(request, subject, context);
    if (!made.ok()) return made.error();
    renditions = std::move(made).value();
    if (context.cancelRequested()) return cancelled();
    phases.done("renditions");
  }
  auto described = contentsFor(request);
  if (!described.ok()) return described.error();
  archive::BundleContents& contents = described.value();
  auto entries = readRecords(request, context, contents);
  if (!entries.ok()) return entries.error();
  phases.done("read_records");
  auto proven = prove(std::move(entries).value(), contents.checkpoint.tree_size, context);
  if (!proven.ok()) return proven.error();
  contents.audit_entries = std::move(proven).value();
  phases.done("audit_proofs");

  auto bundle = archive::BundleComposer::compose(contents, {&checkpoints_.signingKey(), sm2_});
  if (!bundle.ok()) return bundle.error();
  phases.done("compose");  // mostly the files' formats, identified from every byte
  context.setTotals(static_cast<std::int64_t>(contents.items.size()),
                    bundle.value().payloadBytes());
  auto written = keep(bundle.value(), context);
  phases.done("write_bundle");
  if (!written.ok()) return written.error();

  const ArchiveRow row =
      rowFor(request, contents, bundle.value().name(), written.value(), context, subject);
  auto id = record(row, subject);
  if (!id.ok()) return id.error();
  phases.done("record");
  ArchiveRow recorded = row;
  recorded.id = id.value();
  return resultOf(recorded, phases.json(), renditions);
}

std::string ArchiveService::resultOf(const ArchiveRow& row, const std::string& timings,
                                     const std::string& renditions) {
  return "{\"archive_id\":" + std::to_string(row.id) + ",\"name\":" + jsonString(row.name) +
         ",\"size\":" + std::to_string(row.size) + ",\"sha256\":" + jsonString(row.sha256) +
         ",\"item_count\":" + std::to_string(row.item_count) + ",\"timing_ms\":{" + timings + "}" +
         (renditions.empty() ? "" : ",\"renditions\":" + renditions) + "}";
}

core::Result<std::string> ArchiveService::makeRenditions(const BundleRequest& request,
                                                         const Subject& subject,
                                                         const JobContext& context) {
  const std::string fonds = policies_.engine()->policies().archive.fonds_code;
  PreservationRenditions::Outcome outcome;
  try {
    outcome = renditions_->makeFor(fonds, request.year, request.category, subject, context);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  // The job's result says why a file went without: the server's log is not everyone's to read.
  std::string failures;
  for (const auto& failure : outcome.failures) {
    failures += std::string(failures.empty() ? "" : ",") +
                "{\"sha256\":" + jsonString(failure.sha256) +
                ",\"code\":" + jsonString(failure.code) +
                ",\"message\":" + jsonString(failure.message) + "}";
  }
  return "{\"made\":" + std::to_string(outcome.made) +
         ",\"failed\":" + std::to_string(outcome.failed) +
         ",\"missing\":" + std::to_string(outcome.missing) + ",\"failures\":[" + failures + "]}";
}

core::Result<archive::BundleContents> ArchiveService::contentsFor(const BundleRequest& request) {
  const policies::ArchivePolicy policy = policies_.engine()->policies().archive;
  const policies::Category* category = categories_.find(request.category);
  if (category == nullptr) {
    return Error::make(ErrorCode::kInvalidArgument, "unknown_category",
                       "没有该公开类别 (no such category): " + request.category);
  }
  auto checkpoint = request.checkpoint_size ? audit_.checkpointAt(*request.checkpoint_size)
                                            : checkpoints_.checkpointNow();
  if (!checkpoint.ok()) return checkpoint.error();
  const auto madeAt = core::parseRfc3339(checkpoint.value().created_at);
  if (!madeAt) {
    return Error::make(ErrorCode::kCorrupt, "checkpoint_time",
                       "检查点时间无效 (bad checkpoint time)");
  }
  archive::BundleContents contents;
  contents.fonds = policy.fonds_code;
  contents.organization = policy.organization.empty() ? policy.fonds_code : policy.organization;
  contents.receiving_organization = policy.receiving_organization;
  contents.category = request.category;
  contents.category_name = category->name;
  contents.year = request.year;
  contents.checkpoint = {
      checkpoint.value().tree_size, checkpoint.value().note,
      std::chrono::duration_cast<std::chrono::seconds>(madeAt->time_since_epoch()).count()};
  return contents;
}

core::Result<std::vector<store::StoredAuditEntry>> ArchiveService::readRecords(
    const BundleRequest& request, JobContext& context, archive::BundleContents& contents) {
  std::vector<store::StoredAuditEntry> entries;
  try {
    auto session = store_.read();
    store::withSnapshot(*session, [&] {
      RecordGatherer gatherer(*session, store_.blobs(), contents.checkpoint.tree_size, contents);
      for (const auto& reference : ArchiveRepository::referenceCodes(
               *session, contents.fonds, request.year, request.category)) {
        if (context.cancelRequested()) return;
        if (!gatherer.addDocument(reference)) continue;
        context.setItemsDone(static_cast<std::int64_t>(contents.items.size()));
      }
      gatherer.addReceived(VersionedKind::kFeedback, core::parseFeedbackRecord,
                           ArchiveRepository::feedbackReceived(*session), contents.feedback);
      gatherer.addReceived(VersionedKind::kDisclosureRequest, core::parseDisclosureRequest,
                           ArchiveRepository::requestsReceived(*session), contents.requests);
      entries = gatherer.auditEntries();
    });
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  if (context.cancelRequested()) return cancelled();
  if (contents.items.empty()) {
    return Error::make(ErrorCode::kInvalidArgument, "nothing_to_archive",
                       "检查点之前该类别该年度没有已归档的文件 (no archived documents in that "
                       "category and year as of the checkpoint)");
  }
  return entries;
}

core::Result<std::vector<archive::ProvenAuditEntry>> ArchiveService::prove(
    std::vector<store::StoredAuditEntry> entries, std::int64_t treeSize,
    const JobContext& context) {
  std::vector<archive::ProvenAuditEntry> proven;
  proven.reserve(entries.size());
  for (auto& entry : entries) {
    if (context.cancelRequested()) return cancelled();
    auto proof = audit_.inclusionProof(entry.seq - 1, treeSize);
    if (!proof.ok()) return proof.error();
    proven.push_back({entry.seq, std::move(entry.bytes), std::move(proof.value().proof)});
  }
  return proven;
}

core::Result<archive::BagWriter::Written> ArchiveService::keep(archive::BundleComposer& bundle,
                                                               JobContext& context) {
  bundle.onProgress([&context](std::int64_t bytes) {
    context.setBytesDone(bytes);
    return !context.cancelRequested();
  });
  std::error_code ec;
  fs::create_directories(folder_, ec);
  // Written under a name of its own, then renamed to its digest: a bundle under its final name
  // is always whole.
  const fs::path temporary =
      fs::path(folder_) / ("building-" + std::to_string(context.id()) + ".tar");
  auto written = bundle.writeTo(temporary.string(), /*durable=*/true);
  if (!written.ok()) return written.error();
  fs::rename(temporary, fs::path(folder_) / (written.value().sha256 + ".tar"), ec);
  if (ec) {
    fs::remove(temporary, ec);
    return Error::make(ErrorCode::kIo, "bag_write_failed",
                       "归档包无法保存 (cannot keep the bundle): " + ec.message());
  }
  syncFolder(folder_);
  return written;
}

ArchiveRow ArchiveService::rowFor(const BundleRequest& request,
                                  const archive::BundleContents& contents, const std::string& name,
                                  const archive::BagWriter::Written& written,
                                  const JobContext& context, const Subject& subject) const {
  ArchiveRow row;
  row.name = name;
  row.fonds = contents.fonds;
  row.category = request.category;
  row.year = request.year;
  row.item_count = static_cast<std::int64_t>(contents.items.size());
  row.audit_entry_count = static_cast<std::int64_t>(contents.audit_entries.size());
  row.size = written.size;
  row.sha256 = written.sha256;
  row.signer_key = checkpoints_.verifierKey().name + "+" +
                   core::note::keyIdHex(checkpoints_.verifierKey().key_id);
  row.sm2_signed = sm2_ != nullptr;
  row.checkpoint_size = contents.checkpoint.tree_size;
  row.job_id = context.id();
  row.created_by = subject.id;
  row.created_at = core::formatRfc3339(core::nowUtc());
  return row;
}

core::Result<std::int64_t> ArchiveService::record(const ArchiveRow& row, const Subject& subject) {
  return store_.write<std::int64_t>([&](store::Transaction& tx) -> core::Result<std::int64_t> {
    const std::int64_t archiveId = ArchiveRepository::insertArchive(tx, row);
    appendAudit(tx, subject, "archive.create", "archive", std::to_string(archiveId), std::nullopt,
                row.sha256);
    return archiveId;
  });
}

namespace {

BundleRecord bundleOf(ArchiveRow row) {
  return BundleRecord{row.id,
                      std::move(row.name),
                      std::move(row.fonds),
                      std::move(row.category),
                      row.year,
                      row.item_count,
                      row.audit_entry_count,
                      row.size,
                      std::move(row.sha256),
                      std::move(row.signer_key),
                      row.sm2_signed,
                      row.checkpoint_size,
                      row.job_id,
                      std::move(row.created_by),
                      std::move(row.created_at)};
}

}  // namespace

core::Result<std::vector<BundleRecord>> ArchiveService::list(
    const Subject& subject, const std::optional<std::string>& category,
    const std::optional<int>& year) {
  if (auto allowed = require(subject, "archives.read"); !allowed.ok()) return allowed.error();
  try {
    auto session = store_.read();
    std::vector<BundleRecord> out;
    for (auto& row : ArchiveRepository::archives(*session, category, year))
      out.push_back(bundleOf(std::move(row)));
    return out;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<BundleRecord> ArchiveService::get(const Subject& subject, std::int64_t id) {
  if (auto allowed = require(subject, "archives.read"); !allowed.ok()) return allowed.error();
  try {
    auto session = store_.read();
    auto found = ArchiveRepository::archive(*session, id);
    if (!found) {
      return Error::make(ErrorCode::kNotFound, "archive_not_found",
                         "归档包不存在 (no such bundle): " + std::to_string(id));
    }
    return bundleOf(std::move(*found));
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

std::string ArchiveService::pathOf(const BundleRecord& bundle) const {
  return (fs::path(folder_) / (bundle.sha256 + ".tar")).string();
}

core::Result<ArchiveService::Download> ArchiveService::download(const Subject& subject,
                                                                std::int64_t id) {
  auto found = get(subject, id);
  if (!found.ok()) return found.error();
  const std::string path = pathOf(found.value());
  return Download{std::move(found).value(), path};
}

core::Result<ArchiveService::EepDownload> ArchiveService::eep(const Subject& subject,
                                                              std::int64_t id) {
  auto found = get(subject, id);
  if (!found.ok()) return found.error();
  const fs::path tar = fs::path(folder_) / (found.value().sha256 + ".eep.tar");
  // "<sha256> <size>", written once the tar is in place: while it is missing the tar is not.
  const fs::path digest = fs::path(folder_) / (found.value().sha256 + ".eep.sha256");
  std::ifstream known(digest);
  EepDownload out{found.value(), tar.string(), 0, ""};
  if (known >> out.sha256 >> out.size && fs::exists(tar)) return out;
  // Each request writes its own temporary file; two at once rename the same bytes into place.
  const fs::path temporary =
      fs::path(folder_) /
      ("eep-" + found.value().sha256 + "-" +
       std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())) + ".tmp");
  auto written = archive::writeEepPackage(pathOf(found.value()), temporary.string(),
                                          checkpoints_.signingKey());
  if (!written.ok()) return written.error();
  std::error_code ec;
  fs::rename(temporary, tar, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return Error::make(ErrorCode::kIo, "eep_write_failed",
                       "EEP 无法保存 (cannot keep the EEP package): " + ec.message());
  }
  std::ofstream(digest) << written.value().sha256 << " " << written.value().size << "\n";
  out.sha256 = written.value().sha256;
  out.size = written.value().size;
  return out;
}

core::Result<ArchiveService::SigningKeys> ArchiveService::signingKeys(
    const Subject& subject) const {
  if (auto allowed = require(subject, "archives.read"); !allowed.ok()) return allowed.error();
  return SigningKeys{core::ed25519PublicKeyPem(checkpoints_.signingKey().publicKey()),
                     sm2_ != nullptr ? sm2_->publicKeyPem() : std::string()};
}

core::Result<JobView> ArchiveService::job(const Subject& subject, std::int64_t id) {
  auto allowed = require(subject, "archives.read");
  if (allowed.ok()) return jobs_.get(id);
  // Whoever started a job (an import by an archivist granted documents.import) follows it too.
  auto view = jobs_.get(id);
  if (view.ok() && !subject.system && !subject.principal.anonymous() &&
      view.value().created_by == subject.id) {
    return view;
  }
  return allowed.error();
}

core::Result<ArchiveService::JobPage> ArchiveService::jobs(const Subject& subject,
                                                           const JobListing& listing) {
  if (auto allowed = require(subject, "archives.read"); !allowed.ok()) return allowed.error();
  static const std::set<std::string, std::less<>> kStates = {"queued", "running", "done", "failed",
                                                             "cancelled"};
  for (const auto& state : listing.states) {
    if (!kStates.contains(state)) {
      core::Error error =
          core::Error::make(core::ErrorCode::kMalformed, "invalid_query",
                            "任务状态只能是 queued、running、done、failed 或 cancelled "
                            "(state is one of queued, running, done, failed, cancelled)");
      error.fields.push_back({"state", "invalid_value", error.message});
      return error;
    }
  }
  const std::int64_t limit = std::clamp<std::int64_t>(listing.limit, 1, kMaxJobPage);
  // One more than asked: whether older jobs follow, so the last page says it is the last.
  store::JobQuery query{listing.states, std::nullopt, listing.before, limit + 1};
  if (listing.mine) query.created_by = subject.id;
  auto found = jobs_.list(query);
  if (!found.ok()) return found.error();
  JobPage page{std::move(found).value(), std::nullopt};
  if (static_cast<std::int64_t>(page.jobs.size()) > limit) {
    page.jobs.pop_back();
    page.next_before = page.jobs.back().id;
  }
  return page;
}

core::Result<JobView> ArchiveService::cancelJob(const Subject& subject, std::int64_t id) {
  if (auto allowed = require(subject, "archives.build"); !allowed.ok()) return allowed.error();
  return jobs_.cancel(id);
}

core::Result<ArchiveService::JobListing> ArchiveService::parseJobListing(
    const QueryParameters& query) {
  auto before = integerParameter(query, "before", 1, INT64_MAX);
  if (!before.ok()) return before.error();
  auto limit = integerParameter(query, "limit", 1, kMaxJobPage);
  if (!limit.ok()) return limit.error();
  auto mine = integerParameter(query, "mine", 0, 1);
  if (!mine.ok()) return mine.error();
  JobListing listing;
  listing.before = before.value();
  listing.limit = limit.value().value_or(listing.limit);
  listing.mine = mine.value().value_or(0) == 1;
  if (auto states = firstValue(query, "state"); states && !states->empty()) {
    for (std::size_t start = 0; start <= states->size();) {
      const std::size_t comma = std::min(states->find(',', start), states->size());
      listing.states.push_back(states->substr(start, comma - start));
      start = comma + 1;
    }
  }
  return listing;
}

}  // namespace gongkai::server::service
