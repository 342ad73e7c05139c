#include "gongkai/server/service/document_service.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "gongkai/archive/reference_code.h"
#include "gongkai/core/audit_entry.h"
#include "gongkai/core/media_types.h"
#include "gongkai/core/text.h"
#include "gongkai/core/workflow.h"
#include "gongkai/server/store/storage_error.h"
#include "versioned_save.h"

namespace gongkai::server::service {
namespace {

using core::DocumentVersion;
using core::Error;
using core::ErrorCode;
using store::DocumentRepository;
using store::Transaction;

Error notFound(std::int64_t id) {
  return Error::make(ErrorCode::kNotFound, "document_not_found",
                     "文档不存在 (no such document): " + std::to_string(id));
}

// Metadata and files change only while a document is a draft; afterwards the procedure's
// steps are the only changes (a rejected submission comes back as a draft).
core::Status editable(const DocumentVersion& v) {
  if (core::isEditable(v.status)) return core::okStatus();
  return Error::make(ErrorCode::kConflict, "document_not_editable",
                     "文档状态为 " + std::string(core::toString(v.status)) +
                         "，只有草稿可以修改 (only drafts can be edited)");
}

// Checks names and types of incoming files, alone and against `existing`.
core::Status checkFiles(const std::vector<IncomingFile>& files,
                        const std::vector<core::FileRecord>& existing) {
  std::vector<core::FieldError> errors;
  std::set<std::string> names;
  for (const auto& file : existing) names.insert(file.name);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string field = "files[" + std::to_string(i) + "]";
    if (const char* problem = core::fileNameProblem(files[i].name)) {
      errors.push_back({field + ".name", "invalid_file_name", problem});
    } else if (!names.insert(files[i].name).second) {
      errors.push_back({field + ".name", "duplicate_file_name",
                        "同名文件已存在 (a file of this name is already there): " + files[i].name});
    }
    if (!files[i].media_type.empty() && !isValidMediaType(files[i].media_type)) {
      errors.push_back(
          {field + ".media_type", "invalid_value", "媒体类型无效 (invalid media type)"});
    }
  }
  if (existing.size() + files.size() > DocumentService::kMaxFilesPerDocument) {
    errors.push_back({"files", "too_many_files", "文件数量超过上限 (too many files)"});
  }
  if (errors.empty()) return core::okStatus();
  Error error =
      Error::make(ErrorCode::kInvalidArgument, "invalid_files", "上传的文件有误 (invalid files)");
  error.fields = std::move(errors);
  return error;
}

}  // namespace

DocumentService::DocumentService(store::Store& store, const policies::CategoryCatalogue& categories,
                                 AuthorizerSource authorizer, Checks checks)
    : store_(store),
      categories_(categories),
      authorizer_(std::move(authorizer)),
      validator_(categories),
      checks_(std::move(checks)) {}

core::Status DocumentService::authorize(const Subject& subject, const DocumentVersion& version,
                                        std::string_view permission) const {
  if (subject.system) return core::okStatus();
  return authorizer_().requireOnDocument(subject.principal, version, permission);
}

std::function<bool(const DocumentVersion&)> DocumentService::seenBy(const Subject& subject) const {
  if (subject.system) return [](const DocumentVersion&) { return true; };
  // One authorizer for every version the use case judges: one policy, one unit tree.
  return [authorizer = authorizer_(), &principal = subject.principal](const DocumentVersion& v) {
    return authorizer.maySee(principal, v);
  };
}

core::Status DocumentService::mayMoveTo(const Subject& subject, const DocumentVersion& current,
                                        const DocumentMetadataFields& patch) const {
  if (subject.system || !patch.org_unit.hasValue()) return core::okStatus();
  return authorizer_().requireForUnit(subject.principal, "documents.update", patch.org_unit.value,
                                      std::string(core::toString(current.metadata.scope)));
}

core::Status DocumentService::mayCreateAny(const Subject& subject) const {
  if (subject.system) return core::okStatus();
  return authorizer_().require(subject.principal, "documents.create");
}

core::Status DocumentService::mayChange(const Subject& subject, std::int64_t id) {
  auto current = get(subject, id);
  if (!current.ok()) return current.error();
  return authorize(subject, current.value(), "documents.update");
}

core::Result<DocumentVersion> DocumentService::create(const Subject& subject,
                                                      const Incoming<NewDocument>& read) {
  if (auto allowed = mayCreateAny(subject); !allowed.ok()) return allowed.error();
  auto asked = read();
  if (!asked.ok()) return asked.error();
  return create(subject, asked.value().metadata, std::move(asked.value().files));
}

core::Result<DocumentVersion> DocumentService::addFiles(
    const Subject& subject, std::int64_t id, std::optional<std::int64_t> expectedVersion,
    const Incoming<std::vector<IncomingFile>>& read) {
  if (auto allowed = mayChange(subject, id); !allowed.ok()) return allowed.error();
  auto files = read();
  if (!files.ok()) return files.error();
  return addFiles(subject, id, expectedVersion, std::move(files).value());
}

core::Status DocumentService::checkUnit(const core::DocumentMetadata& metadata) const {
  if (checks_.unit_exists && !checks_.unit_exists(metadata.org_unit)) {
    Error error = Error::make(
        ErrorCode::kInvalidArgument, "unknown_unit",
        "单位不存在，请先在单位管理中添加 (no such organisation unit): " + metadata.org_unit);
    error.fields.push_back({"org_unit", "unknown_unit", error.message});
    return error;
  }
  if (metadata.catalogue_item && checks_.catalogue_unit) {
    const auto unit = checks_.catalogue_unit(*metadata.catalogue_item);
    if (!unit || *unit != metadata.org_unit) {
      Error error =
          Error::make(ErrorCode::kInvalidArgument, "unknown_catalogue_item",
                      "目录条目不存在或不属于本单位 (no such catalogue item in this unit)");
      error.fields.push_back({"catalogue_item", "unknown_catalogue_item", error.message});
      return error;
    }
  }
  return core::okStatus();
}

core::Result<std::vector<core::FileRecord>> DocumentService::promote(
    std::vector<IncomingFile>& files, store::BlobStore::Durability durability) {
  std::vector<core::FileRecord> records;
  for (auto& file : files) {
    if (auto status = store_.blobs().promote(file.blob, durability); !status.ok()) {
      return status.error();
    }
    const bool untyped = file.media_type.empty() || file.media_type == "application/octet-stream";
    records.push_back(core::FileRecord{0, file.name,
                                       untyped ? guessMediaType(file.name) : file.media_type,
                                       file.blob.size(), file.blob.sha256()});
  }
  return records;
}

core::Result<DocumentVersion> DocumentService::create(const Subject& subject,
                                                      const DocumentMetadataFields& fields,
                                                      std::vector<IncomingFile> files) {
  // Decided on the unit and scope the metadata names, before it is checked or a file is kept.
  if (!subject.system) {
    const auto text = [](const Field<std::string>& field, const char* otherwise) {
      return field.hasValue() ? field.value : std::string(otherwise);
    };
    auto allowed =
        authorizer_().requireForUnit(subject.principal, "documents.create",
                                     text(fields.org_unit, ""), text(fields.scope, "public"));
    if (!allowed.ok()) return allowed.error();
  }
  auto metadata = validator_.validateNew(fields);
  if (!metadata.ok()) return metadata.error();
  if (auto known = checkUnit(metadata.value()); !known.ok()) return known.error();
  if (auto status = checkFiles(files, {}); !status.ok()) return status.error();
  auto fileRecords = promote(files);
  if (!fileRecords.ok()) return fileRecords.error();

  return store_.write<DocumentVersion>([&](Transaction& tx) -> core::Result<DocumentVersion> {
    DocumentVersion v;
    v.document_id = DocumentRepository::nextDocumentId(tx);
    v.version = 1;
    v.metadata = metadata.value();
    v.status = core::DocumentStatus::kDraft;
    v.created_by = v.updated_by = subject.id;
    v.created_at = v.updated_at = core::nowUtc();
    v.change = "document.create";
    v.files = fileRecords.value();
    std::int64_t fileId = DocumentRepository::nextFileId(tx);
    for (auto& file : v.files) file.id = fileId++;
    saveWithAudit(tx, subject, v);  // creates the documents row the file rows refer to
    for (const auto& file : v.files)
      DocumentRepository::insertFile(tx, v.document_id, file, v.created_at);
    return v;
  });
}

core::Result<DocumentService::CheckedImport> DocumentService::checkImport(
    const Subject& subject, const ImportedDocument& imported) const {
  const auto& fields = imported.metadata;
  if (!subject.system) {
    auto allowed =
        authorizer_().requireForUnit(subject.principal, "documents.import",
                                     fields.org_unit.hasValue() ? fields.org_unit.value : "",
                                     fields.scope.hasValue() ? fields.scope.value : "public");
    if (!allowed.ok()) return allowed.error();
  }
  auto metadata = validator_.validateNew(fields);
  if (!metadata.ok()) return metadata.error();
  if (auto known = checkUnit(metadata.value()); !known.ok()) return known.error();
  if (auto status = checkFiles(imported.files, {}); !status.ok()) return status.error();
  CheckedImport checked{std::move(metadata).value(), imported.retention, std::nullopt};
  const auto invalid = [](const std::string& field, const std::string& message) {
    Error error = Error::make(ErrorCode::kInvalidArgument, "invalid_metadata", message);
    error.fields.push_back({field, "invalid_value", message});
    return error;
  };
  if (imported.reference_code.empty()) {
    if (checked.retention.empty()) {
      const policies::Category* category = categories_.find(checked.metadata.category);
      checked.retention = category ? category->default_retention : "Y";
    }
    return checked;
  }
  const policies::ArchivePolicy policy = archivePolicy();
  const auto code = archive::parseReferenceCode(imported.reference_code);
  if (!code || archive::formatReferenceCode(policy.reference_code_pattern, *code) !=
                   imported.reference_code) {
    return invalid("reference_code", "档号格式不符合本馆规则 " + policy.reference_code_pattern +
                                         " (the 档号 does not follow the archive's pattern)");
  }
  if (code->fonds != policy.fonds_code) {
    return invalid("reference_code", "档号的全宗号不是本馆的 " + policy.fonds_code +
                                         " (the 档号 names another fonds)");
  }
  if (code->category != checked.metadata.category) {
    return invalid("reference_code",
                   "档号中的类别与类别列不一致 (the 档号's category differs from the category)");
  }
  if (!checked.retention.empty() && code->retention != checked.retention) {
    return invalid("reference_code",
                   "档号中的保管期限与保管期限列不一致 (the 档号's retention "
                   "differs from the retention)");
  }
  if (!checked.metadata.issued_at || checked.metadata.issued_at->year != code->year) {
    return invalid("reference_code",
                   "有档号的文件须有日期，且年度与档号一致 (a record with a 档号 "
                   "needs a date in the 档号's year)");
  }
  checked.retention = code->retention;
  checked.code = *code;
  return checked;
}

core::Status DocumentService::checkImported(const Subject& subject,
                                            const ImportedDocument& imported) const {
  auto checked = checkImport(subject, imported);
  if (!checked.ok()) return checked.error();
  return core::okStatus();
}

core::Result<std::vector<DocumentVersion>> DocumentService::fileImported(
    const Subject& subject, std::vector<ImportedDocument> documents,
    const std::function<void(Transaction&, std::size_t, const DocumentVersion&)>& alongside) {
  std::vector<CheckedImport> checked;
  for (auto& imported : documents) {
    auto one = checkImport(subject, imported);
    if (!one.ok()) return one.error();
    checked.push_back(std::move(one).value());
  }
  // A batch's files are made durable together: their contents by one sync, then their names by a
  // second once all are renamed, both before the transaction that names them commits.
  if (auto synced = store_.blobs().syncAll(); !synced.ok()) return synced.error();
  std::vector<std::vector<core::FileRecord>> files;
  for (auto& imported : documents) {
    auto records = promote(imported.files, store::BlobStore::Durability::kBatched);
    if (!records.ok()) return records.error();
    files.push_back(std::move(records).value());
  }
  if (auto synced = store_.blobs().syncAll(); !synced.ok()) return synced.error();
  return store_.write<std::vector<DocumentVersion>>(
      [&](Transaction& tx) -> core::Result<std::vector<DocumentVersion>> {
        std::vector<DocumentVersion> filed;
        std::int64_t documentId = DocumentRepository::nextDocumentId(tx);
        std::int64_t fileId = DocumentRepository::nextFileId(tx);
        for (std::size_t i = 0; i < documents.size(); ++i) {
          DocumentVersion v;
          v.document_id = documentId++;
          v.version = 1;
          v.metadata = checked[i].metadata;
          v.status = core::DocumentStatus::kArchived;
          v.created_by = v.updated_by = subject.id;
          v.created_at = v.updated_at = core::nowUtc();
          v.change = "document.import";
          v.disclosure.archived = core::Step{subject.id, v.created_at};
          v.disclosure.retention = checked[i].retention;
          v.disclosure.imported = documents[i].source;
          v.files = files[i];
          for (auto& file : v.files) file.id = fileId++;
          archive::ReferenceCode code;
          if (checked[i].code) {
            code = *checked[i].code;
            DocumentRepository::keepReferenceItem(tx, code.fonds, code.year, code.retention,
                                                  code.category, code.item);
          } else {
            code = nextReferenceCode(tx, v);
          }
          v.disclosure.reference_code =
              archive::formatReferenceCode(archivePolicy().reference_code_pattern, code);
          saveWithAudit(tx, subject, v);  // creates the documents row the code refers to
          DocumentRepository::recordReferenceCode(tx, v.disclosure.reference_code, v.document_id,
                                                  code.fonds, code.year, code.retention,
                                                  code.category, code.item);
          for (const auto& file : v.files)
            DocumentRepository::insertFile(tx, v.document_id, file, v.created_at);
          if (alongside) alongside(tx, i, v);
          filed.push_back(std::move(v));
        }
        return filed;
      });
}

core::Result<DocumentVersion> DocumentService::amend(const Subject& subject, std::int64_t id,
                                                     std::optional<std::int64_t> expectedVersion,
                                                     const std::string& action,
                                                     std::string_view permission, Change change) {
  return store_.write<DocumentVersion>([&](Transaction& tx) -> core::Result<DocumentVersion> {
    auto current = DocumentRepository::current(tx, id);
    if (!current) return notFound(id);
    if (auto allowed = authorize(subject, *current, permission); !allowed.ok()) {
      return allowed.error();
    }
    if (expectedVersion && *expectedVersion != current->version) {
      return Error::make(ErrorCode::kPreconditionFailed, "version_mismatch",
                         "文档已被修改，当前版本为 " + std::to_string(current->version) +
                             " (the document has changed; current version is " +
                             std::to_string(current->version) + ")");
    }
    auto next = change(tx, *current);
    if (!next.ok()) return next.error();
    DocumentVersion& v = next.value();
    if (v.metadata == current->metadata && v.status == current->status &&
        v.disclosure == current->disclosure && v.files.size() == current->files.size() &&
        std::equal(v.files.begin(), v.files.end(), current->files.begin(),
                   [](const auto& a, const auto& b) { return a.id == b.id; })) {
      return *current;  // nothing changed: no version, no audit entry
    }
    v.version = current->version + 1;
    v.updated_by = subject.id;
    v.updated_at = core::nowUtc();
    v.change = action;
    saveWithAudit(tx, subject, v);
    return std::move(v);
  });
}

core::Result<DocumentVersion> DocumentService::update(const Subject& subject, std::int64_t id,
                                                      std::optional<std::int64_t> expectedVersion,
                                                      const DocumentMetadataFields& patch) {
  return amend(subject, id, expectedVersion, "document.update", "documents.update",
               [&](Transaction&, DocumentVersion v) -> core::Result<DocumentVersion> {
                 if (auto moved = mayMoveTo(subject, v, patch); !moved.ok()) return moved.error();
                 if (auto open = editable(v); !open.ok()) return open.error();
                 auto metadata = validator_.applyPatch(v.metadata, patch);
                 if (!metadata.ok()) return metadata.error();
                 if (metadata.value().org_unit != v.metadata.org_unit ||
                     metadata.value().catalogue_item != v.metadata.catalogue_item) {
                   if (auto known = checkUnit(metadata.value()); !known.ok()) return known.error();
                 }
                 v.metadata = std::move(metadata).value();
                 return v;
               });
}

core::Result<DocumentVersion> DocumentService::addFiles(const Subject& subject, std::int64_t id,
                                                        std::optional<std::int64_t> expectedVersion,
                                                        std::vector<IncomingFile> files) {
  if (files.empty()) {
    return Error::make(ErrorCode::kInvalidArgument, "no_files",
                       "请求中没有文件 (no files in the request)");
  }
  // Names are checked alone here, before anything reaches the blob store, and against the
  // document's files inside the transaction.
  if (auto status = checkFiles(files, {}); !status.ok()) return status.error();
  auto fileRecords = promote(files);
  if (!fileRecords.ok()) return fileRecords.error();
  return amend(subject, id, expectedVersion, "document.add_files", "documents.update",
               [&](Transaction& tx, DocumentVersion v) -> core::Result<DocumentVersion> {
                 if (auto open = editable(v); !open.ok()) return open.error();
                 if (auto status = checkFiles(files, v.files); !status.ok()) return status.error();
                 const auto now = core::nowUtc();
                 std::int64_t fileId = DocumentRepository::nextFileId(tx);
                 for (core::FileRecord file : fileRecords.value()) {
                   file.id = fileId++;
                   DocumentRepository::insertFile(tx, id, file, now);
                   v.files.push_back(std::move(file));
                 }
                 return v;
               });
}

core::Result<DocumentVersion> DocumentService::removeFile(
    const Subject& subject, std::int64_t id, std::optional<std::int64_t> expectedVersion,
    std::int64_t fileId) {
  return amend(subject, id, expectedVersion, "document.remove_file", "documents.update",
               [&](Transaction&, DocumentVersion v) -> core::Result<DocumentVersion> {
                 if (auto open = editable(v); !open.ok()) return open.error();
                 const auto it = std::find_if(v.files.begin(), v.files.end(),
                                              [&](const auto& f) { return f.id == fileId; });
                 if (it == v.files.end()) {
                   return Error::make(ErrorCode::kNotFound, "file_not_found",
                                      "当前版本中没有该文件 (no such file in the current version)");
                 }
                 v.files.erase(it);
                 return v;
               });
}

core::Result<DocumentVersion> DocumentService::step(const Subject& subject, std::int64_t id,
                                                    std::optional<std::int64_t> expectedVersion,
                                                    const std::string& stepName,
                                                    const core::Result<core::StepRequest>& asked) {
  const auto permission = policies::stepPermission(stepName);
  if (!permission) {
    return Error::make(ErrorCode::kNotFound, "not_found",
                       "没有这一步骤 (no such step): " + stepName);
  }
  // The request is read after the decision (inside amend), so a caller who may not take the
  // step learns nothing from how its body is judged.
  return amend(subject, id, expectedVersion, "document." + stepName, *permission,
               [&](Transaction& tx, DocumentVersion v) -> core::Result<DocumentVersion> {
                 if (!asked.ok()) return asked.error();
                 core::StepRequest request = asked.value();
                 request.actor = subject.id;
                 request.at = core::nowUtc();
                 auto next = core::applyStep(v, request);
                 if (!next.ok() || next.value().status != core::DocumentStatus::kArchived)
                   return next;
                 return assignReferenceCode(tx, std::move(next).value());
               });
}

policies::ArchivePolicy DocumentService::archivePolicy() const {
  if (checks_.archive) return checks_.archive();
  policies::ArchivePolicy defaults;  // what a policy set without an archive section means
  defaults.fonds_code = "J001";
  defaults.reference_code_pattern = "{fonds}-{year}-{retention}-{category}-{item:4}";
  return defaults;
}

archive::ReferenceCode DocumentService::nextReferenceCode(Transaction& tx,
                                                          const DocumentVersion& v) const {
  archive::ReferenceCode code;
  code.fonds = archivePolicy().fonds_code;
  code.year = core::disclosureYear(v.metadata, v.created_at);
  code.retention = v.disclosure.retention;
  code.category = v.metadata.category;
  code.item = DocumentRepository::takeReferenceItem(tx, code.fonds, code.year, code.retention,
                                                    code.category);
  return code;
}

core::Result<DocumentVersion> DocumentService::assignReferenceCode(Transaction& tx,
                                                                   DocumentVersion v) {
  core::Disclosure& d = v.disclosure;
  if (d.retention.empty()) {
    const policies::Category* category = categories_.find(v.metadata.category);
    d.retention = category ? category->default_retention : "Y";
  }
  const archive::ReferenceCode code = nextReferenceCode(tx, v);
  d.reference_code = archive::formatReferenceCode(archivePolicy().reference_code_pattern, code);
  DocumentRepository::recordReferenceCode(tx, d.reference_code, v.document_id, code.fonds,
                                          code.year, code.retention, code.category, code.item);
  return v;
}

core::Result<DocumentVersion> DocumentService::get(const Subject& subject, std::int64_t id) {
  try {
    auto session = store_.read();
    auto current = DocumentRepository::current(*session, id);
    if (!current) return notFound(id);
    if (auto allowed = authorize(subject, *current); !allowed.ok()) return allowed.error();
    return std::move(*current);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<DocumentVersion> DocumentService::getVersion(const Subject& subject, std::int64_t id,
                                                          std::int64_t version) {
  try {
    auto session = store_.read();
    // The current version decides first, so an unseen document's version count stays unknown.
    auto current = DocumentRepository::current(*session, id);
    if (!current) return notFound(id);
    if (auto allowed = authorize(subject, *current); !allowed.ok()) return allowed.error();
    auto found = DocumentRepository::version(*session, id, version);
    if (!found) {
      return Error::make(ErrorCode::kNotFound, "version_not_found",
                         "版本不存在 (no such version): " + std::to_string(version));
    }
    if (auto allowed = authorize(subject, *found); !allowed.ok()) return allowed.error();
    return std::move(*found);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<VersionHistory> DocumentService::versions(const Subject& subject, std::int64_t id) {
  try {
    auto session = store_.read();
    auto all = DocumentRepository::versions(*session, id);
    if (all.empty()) return notFound(id);
    if (auto allowed = authorize(subject, all.back()); !allowed.ok()) return allowed.error();
    VersionHistory history;
    history.current_version = all.back().version;
    const auto seen = seenBy(subject);
    for (auto& v : all) {
      if (seen(v)) history.versions.push_back(std::move(v));
    }
    return history;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<IncomingFile> DocumentService::stageFile(
    std::istream& in, std::int64_t maxBytes, std::string name, std::string mediaType,
    store::BlobStore::Durability durability) const {
  auto staged = store_.blobs().stage(in, maxBytes, durability);
  if (!staged.ok()) return staged.error();
  return IncomingFile{std::move(name), std::move(mediaType), std::move(staged).value()};
}

core::Result<DocumentList> DocumentService::list(const Subject& subject,
                                                 const DocumentQuery& query) {
  store::DocumentFilter filter;
  filter.category = query.category;
  filter.scope = query.scope;
  filter.status = query.status;
  filter.org_unit = query.org_unit;
  filter.year = query.year;
  filter.catalogue_items = query.catalogue_items;
  filter.limit = query.limit;
  filter.offset = query.offset;
  if (!subject.system) filter.visibility = authorizer_().visibility(subject.principal);
  try {
    auto session = store_.read();
    auto page = DocumentRepository::list(*session, filter);
    return DocumentList{page.total, std::move(page.documents)};
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<FileDownload> DocumentService::file(const Subject& subject, std::int64_t id,
                                                 std::int64_t fileId) {
  const Error noSuchFile =
      Error::make(ErrorCode::kNotFound, "file_not_found", "文件不存在 (no such file)");
  try {
    auto session = store_.read();
    auto all = DocumentRepository::versions(*session, id);
    if (all.empty()) return notFound(id);
    if (auto allowed = authorize(subject, all.back()); !allowed.ok()) return allowed.error();
    const auto seen = seenBy(subject);
    const bool shown = std::any_of(all.begin(), all.end(), [&](const DocumentVersion& v) {
      return seen(v) && std::any_of(v.files.begin(), v.files.end(),
                                    [&](const core::FileRecord& f) { return f.id == fileId; });
    });
    if (!shown) return noSuchFile;
    auto found = DocumentRepository::file(*session, id, fileId);
    if (!found) return noSuchFile;
    if (const auto& disposed = all.back().disclosure.disposed) {
      // The record stays, its files do not: whoever may see it learns when and why they went.
      return Error::make(ErrorCode::kGone, "disposed",
                         "文件已随档案销毁 (the file was disposed of with its record) " +
                             core::formatRfc3339(disposed->approved.at) + ": " + disposed->reason);
    }
    return FileDownload{*found, store_.blobs().pathOf(found->sha256)};
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

std::string guessMediaType(const std::string& fileName) {
  const auto dot = fileName.rfind('.');
  if (dot == std::string::npos) return "application/octet-stream";
  const std::string_view assigned = core::mediaTypeAssignedTo(fileName.substr(dot + 1));
  return assigned.empty() ? "application/octet-stream" : std::string(assigned);
}

bool isValidMediaType(const std::string& mediaType) {
  // type "/" subtype, each an RFC 9110 token, optionally followed by parameters.
  const auto isToken = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$&-^_.+").find(c) != std::string_view::npos;
  };
  const auto semicolon = mediaType.find(';');
  const std::string bare = mediaType.substr(0, semicolon);
  const auto slash = bare.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == bare.size() || bare.size() > 127)
    return false;
  if (mediaType.size() > 255 || core::hasControlCharacters(mediaType, false)) return false;
  return std::all_of(bare.begin(), bare.begin() + slash, isToken) &&
         std::all_of(bare.begin() + slash + 1, bare.end(), isToken);
}

core::Result<DocumentQuery> parseDocumentQuery(const QueryParameters& parameters) {
  auto year = yearParameter(parameters);
  if (!year.ok()) return year.error();
  auto page = pageParameters(parameters, 200, 1000000);
  if (!page.ok()) return page.error();
  DocumentQuery query;
  query.category = firstValue(parameters, "category");
  query.scope = firstValue(parameters, "scope");
  query.status = firstValue(parameters, "status");
  query.org_unit = firstValue(parameters, "org_unit");
  query.year = year.value();
  query.limit = page.value().per_page;
  query.offset = page.value().offset();
  return query;
}

}  // namespace gongkai::server::service
