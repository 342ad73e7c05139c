#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/archive/reference_code.h"
#include "gongkai/core/document.h"
#include "gongkai/core/result.h"
#include "gongkai/core/workflow.h"
#include "gongkai/policies/category_catalogue.h"
#include "gongkai/policies/policy_set.h"
#include "gongkai/server/service/authorization.h"
#include "gongkai/server/service/incoming.h"
#include "gongkai/server/service/metadata_validator.h"
#include "gongkai/server/service/query_parameters.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/document_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// A file on its way in: its client-given name and type, and its contents already staged.
struct IncomingFile {
  std::string name;
  std::string media_type;  // "" or application/octet-stream: guessed from the name's extension
  store::StagedBlob blob;
};

// A record of a legacy archive, to be filed as it stood in the system it comes from (the bulk
// import, ImportService).
struct ImportedDocument {
  DocumentMetadataFields metadata;
  std::vector<IncomingFile> files;  // for checkImported, names alone will do
  std::string retention;            // Y, D30, D10; "" for the 档号's, else the category's default
  std::string reference_code;       // 档号 as given; "" for the next of its sequence
  core::ImportSource source;
};

// Which documents to list: each filter given narrows the list (catalogue_items: documents that
// disclose one of these items); `limit` and `offset` page it. What the caller may see is the
// service's to add.
struct DocumentQuery {
  std::optional<std::string> category;
  std::optional<std::string> scope;
  std::optional<std::string> status;
  std::optional<std::string> org_unit;
  std::optional<int> year;
  std::optional<std::vector<std::int64_t>> catalogue_items;
  std::int64_t limit = 20;
  std::int64_t offset = 0;
};

// ?category=, ?scope=, ?status=, ?org_unit=, ?year=, ?page= (1-1000000) and ?per_page= (1-200)
// (kMalformed "invalid_query" for a bad one).
core::Result<DocumentQuery> parseDocumentQuery(const QueryParameters& query);

// One page of documents and how many the whole list holds.
struct DocumentList {
  std::int64_t total = 0;
  std::vector<core::DocumentVersion> documents;  // current versions, newest document first
};

struct FileDownload {
  core::FileRecord file;
  std::string path;  // the blob to stream
};

// The versions of a document a caller may see, and which version is the current one.
struct VersionHistory {
  std::int64_t current_version = 0;
  std::vector<core::DocumentVersion> versions;  // oldest first
};

// Files, metadata and versions of disclosure documents. Every change writes a new immutable
// version and its audit entry in one transaction. Thread-safe.
class DocumentService {
 public:
  static constexpr std::size_t kMaxFilesPerDocument = 1000;

  // What documents are checked against outside their own records. Each may be left empty
  // (tools and tests of the store): then any well-formed unit is accepted, archiving uses fonds
  // J001 and the standard pattern, and catalogue items are not checked.
  struct Checks {
    std::function<bool(const std::string&)> unit_exists;
    std::function<policies::ArchivePolicy()> archive;
    // The organisation unit of a catalogue item, nullopt when there is no such item.
    std::function<std::optional<std::string>(std::int64_t)> catalogue_unit;
  };

  DocumentService(store::Store& store, const policies::CategoryCatalogue& categories,
                  AuthorizerSource authorizer, Checks checks = {});

  // Every use case below decides for itself whether `subject` may do it (policies::Authorizer):
  // a document the subject may not see is kNotFound, as if it did not exist; a change it may not
  // make is kForbidden (kUnauthenticated for an anonymous caller).

  // Creates a document (version 1, status draft) with the given files, in the unit and scope
  // its metadata names, which the subject must be allowed to file documents for.
  core::Result<core::DocumentVersion> create(const Subject& subject,
                                             const DocumentMetadataFields& metadata,
                                             std::vector<IncomingFile> files);
  // Streams one uploaded file into the blob store's staging area: kTooLarge past `maxBytes`,
  // kMalformed when the stream breaks off. Nothing is kept unless a change then takes it in.
  // kBatched leaves the fsync to the batch that files it (fileImported).
  core::Result<IncomingFile> stageFile(
      std::istream& in, std::int64_t maxBytes, std::string name, std::string mediaType,
      store::BlobStore::Durability durability = store::BlobStore::Durability::kNow) const;
  // What a request to file a document carries: its metadata and the files of its upload.
  struct NewDocument {
    DocumentMetadataFields metadata;
    std::vector<IncomingFile> files;
  };
  // The same as create() above for what `read` gives, read (and its files staged) only once the
  // subject may create documents somewhere, so that a refusal costs no disk.
  core::Result<core::DocumentVersion> create(const Subject& subject,
                                             const Incoming<NewDocument>& read);

  // Applies a merge patch to the metadata. `expectedVersion`, when given, must be the current
  // version (kPreconditionFailed otherwise). A patch that changes nothing makes no version.
  // Moving the document to another unit needs the right to file documents there too.
  core::Result<core::DocumentVersion> update(const Subject& subject, std::int64_t id,
                                             std::optional<std::int64_t> expectedVersion,
                                             const DocumentMetadataFields& patch);

  // Adds files as a new version. Names must differ from the files already there (kConflict).
  core::Result<core::DocumentVersion> addFiles(const Subject& subject, std::int64_t id,
                                               std::optional<std::int64_t> expectedVersion,
                                               std::vector<IncomingFile> files);
  // The same for the files `read` stages, read only once the subject may change document `id`
  // now: a missing document or a refusal costs no disk.
  core::Result<core::DocumentVersion> addFiles(const Subject& subject, std::int64_t id,
                                               std::optional<std::int64_t> expectedVersion,
                                               const Incoming<std::vector<IncomingFile>>& read);

  // Leaves a file out of a new version; earlier versions keep it.
  core::Result<core::DocumentVersion> removeFile(const Subject& subject, std::int64_t id,
                                                 std::optional<std::int64_t> expectedVersion,
                                                 std::int64_t fileId);

  // A step of the disclosure procedure (core/workflow.h) as a new version, taken with the
  // permission the step needs (policies::stepPermission); an archive step also gives the
  // document its 档号. Metadata and files change only while a document is a draft. `request` is
  // the step's body as read (core::readStepRequest), or why it could not be: that is reported
  // only to a caller who may take the step. The step's actor and time are the service's.
  core::Result<core::DocumentVersion> step(const Subject& subject, std::int64_t id,
                                           std::optional<std::int64_t> expectedVersion,
                                           const std::string& step,
                                           const core::Result<core::StepRequest>& request);

  // Whether `imported` could be filed by fileImported as it stands: the subject may import
  // into its unit (documents.import), its metadata is what create() accepts, its file names are
  // valid, and a 档号 given follows the archive policy's pattern and fonds and agrees with the
  // record's year, retention and category. Whether the 档号 is still free is the caller's to
  // ask (store::ImportRepository), and known only for certain when filing.
  core::Status checkImported(const Subject& subject, const ImportedDocument& imported) const;
  // Files legacy records as version 1 of new documents, already archived: a legacy archive was
  // disclosed and archived in its old system, so its records skip the procedure here rather than
  // claim steps nobody took. Each keeps the 档号 given (recorded, so it is never given again, and
  // its sequence goes on after it) or takes the next of its sequence as the archive step would,
  // and gets its audit entry "document.import"; its disclosure record names who imported it and
  // when as the archiving, and where it came from. All `documents` in one transaction with what
  // `alongside` writes for each (the importer's bookkeeping): all are filed, or none.
  core::Result<std::vector<core::DocumentVersion>> fileImported(
      const Subject& subject, std::vector<ImportedDocument> documents,
      const std::function<void(store::Transaction&, std::size_t, const core::DocumentVersion&)>&
          alongside);

  core::Result<core::DocumentVersion> get(const Subject& subject, std::int64_t id);
  // A version the subject may see, of a document it may see now.
  core::Result<core::DocumentVersion> getVersion(const Subject& subject, std::int64_t id,
                                                 std::int64_t version);
  // The versions the subject may see; none at all is the same as no document.
  core::Result<VersionHistory> versions(const Subject& subject, std::int64_t id);
  // The documents the subject may see, as the filter says (its visibility is the subject's).
  core::Result<DocumentList> list(const Subject& subject, const DocumentQuery& query);
  // A file, shown to a subject who may see the document now and a version that holds the file.
  core::Result<FileDownload> file(const Subject& subject, std::int64_t id, std::int64_t fileId);

 private:
  // Whether the subject may create documents anywhere, and change document `id` now: asked
  // before an upload is read.
  core::Status mayCreateAny(const Subject& subject) const;
  core::Status mayChange(const Subject& subject, std::int64_t id);
  using Change = std::function<core::Result<core::DocumentVersion>(store::Transaction&,
                                                                   core::DocumentVersion)>;
  // Reads the current version inside the write transaction, lets `change` derive the next one,
  // and stores it with its audit entry. `change` may return the same version to make no change.
  // The subject must be allowed `permission` on the current version, which is decided on in
  // the same transaction that changes it.
  core::Result<core::DocumentVersion> amend(const Subject& subject, std::int64_t id,
                                            std::optional<std::int64_t> expectedVersion,
                                            const std::string& action, std::string_view permission,
                                            Change change);
  core::Status authorize(const Subject& subject, const core::DocumentVersion& version,
                         std::string_view permission = {}) const;
  // Whether the subject may see a version: every version of one use case judged on one
  // authorizer.
  std::function<bool(const core::DocumentVersion&)> seenBy(const Subject& subject) const;
  // Moving a document to another unit needs the right to file documents there too.
  core::Status mayMoveTo(const Subject& subject, const core::DocumentVersion& current,
                         const DocumentMetadataFields& patch) const;
  core::Result<std::vector<core::FileRecord>> promote(
      std::vector<IncomingFile>& files,
      store::BlobStore::Durability durability = store::BlobStore::Durability::kNow);

  // The unit exists, and the catalogue item, when named, belongs to it.
  core::Status checkUnit(const core::DocumentMetadata& metadata) const;
  struct CheckedImport {
    core::DocumentMetadata metadata;
    std::string retention;
    std::optional<archive::ReferenceCode> code;  // the 档号 given, parsed
  };
  core::Result<CheckedImport> checkImport(const Subject& subject,
                                          const ImportedDocument& imported) const;
  // The archive policy in force (fonds, 档号 pattern), or the standard one without a check.
  policies::ArchivePolicy archivePolicy() const;
  // Takes the next item of the 档号 sequence of `v` (its fonds, year, retention, category).
  archive::ReferenceCode nextReferenceCode(store::Transaction& tx,
                                           const core::DocumentVersion& v) const;
  // Gives an archived version its retention (the category's default unless the step named one)
  // and the next 档号 of its sequence.
  core::Result<core::DocumentVersion> assignReferenceCode(store::Transaction& tx,
                                                          core::DocumentVersion v);

  store::Store& store_;
  const policies::CategoryCatalogue& categories_;
  AuthorizerSource authorizer_;
  MetadataValidator validator_;
  Checks checks_;
};

// Guesses a media type from a file name's extension (pdf, docx, ofd, ...), else octet-stream.
std::string guessMediaType(const std::string& fileName);
// True for a syntactically valid "type/subtype" without parameters.
bool isValidMediaType(const std::string& mediaType);

}  // namespace gongkai::server::service
