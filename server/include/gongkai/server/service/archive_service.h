#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/archive/bundle_composer.h"
#include "gongkai/archive/sm2_signer.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/category_catalogue.h"
#include "gongkai/server/service/audit_service.h"
#include "gongkai/server/service/checkpoint_service.h"
#include "gongkai/server/service/job_service.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/query_parameters.h"
#include "gongkai/server/store/archive_repository.h"

namespace gongkai::server::service {

// What to bundle: one category's archived documents of one year, against a checkpoint of the
// audit log made for the export, or an earlier one (to rebuild a bundle byte for byte).
struct BundleRequest {
  std::string category;
  int year = 0;
  std::optional<std::int64_t> checkpoint_size;
};

// A bundle that was built, as the service shows it. Its tar never changes once recorded.
struct BundleRecord {
  std::int64_t id = 0;
  std::string name;  // the bag's top-level folder
  std::string fonds;
  std::string category;
  int year = 0;
  std::int64_t item_count = 0;
  std::int64_t audit_entry_count = 0;
  std::int64_t size = 0;
  std::string sha256;
  std::string signer_key;  // the verifier key name+id that signed it
  bool sm2_signed = false;
  std::int64_t checkpoint_size = 0;
  std::int64_t job_id = 0;
  std::string created_by;
  std::string created_at;  // RFC 3339
};

// Builds the signed annual archive bundles (archive/bundle_layout.h) in background jobs and keeps
// them: DATA_DIR/archives/<sha256>.tar, never changed once written, listed in the archives table.
// The bundle is signed with the audit log's Ed25519 key (so one public key checks both the
// bundle and the checkpoint inside it) and, when the unit configured one, an SM2 key too.
class PreservationRenditions;

// The PDF/A preservation renditions a build makes of archived office documents that lack one
// (preservation_renditions.h): LibreOffice's soffice, a path or a name in PATH ("" turns it
// off), how long one conversion may take (wall clock, and CPU time), and how large a file it may
// write.
struct RenditionOptions {
  std::string converter = "soffice";
  int timeout_seconds = 120;
  std::int64_t max_output_bytes = 1ll << 30;
};

class ArchiveService {
 public:
  ArchiveService(store::Store& store, AuditService& audit, CheckpointService& checkpoints,
                 PolicyService& policies, const policies::CategoryCatalogue& categories,
                 JobService& jobs, std::string folder, const archive::Sm2Signer* sm2 = nullptr,
                 const RenditionOptions& renditions = {});
  ~ArchiveService();

  // Each use case decides for itself: building and cancelling need archives.build; listing,
  // reading, downloading, the signing keys and following a build need archives.read.

  // Checks the request (a category in force, a plausible year, at least one archived document,
  // an existing checkpoint when one is named) and queues the build. Returns the job id.
  core::Result<std::int64_t> requestBundle(const BundleRequest& request, const Subject& subject);

  core::Result<std::vector<BundleRecord>> list(const Subject& subject,
                                               const std::optional<std::string>& category,
                                               const std::optional<int>& year);
  core::Result<BundleRecord> get(const Subject& subject, std::int64_t id);
  // A bundle and the file that holds it.
  struct Download {
    BundleRecord bundle;
    std::string path;
  };
  core::Result<Download> download(const Subject& subject, std::int64_t id);
  // The bundle's EEP export (DA/T 48, archive/eep_package.h), made from its tar the first time
  // it is asked for and kept beside it (DATA_DIR/archives/<sha256>.eep.tar): the same bundle and
  // key give the same bytes.
  struct EepDownload {
    BundleRecord bundle;
    std::string path;
    std::int64_t size = 0;
    std::string sha256;
  };
  core::Result<EepDownload> eep(const Subject& subject, std::int64_t id);
  // The public keys a committee checks bundles with (PEM): Ed25519, and SM2 ("" when none).
  struct SigningKeys {
    std::string ed25519_pem, sm2_pem;
  };
  core::Result<SigningKeys> signingKeys(const Subject& subject) const;
  // A build job as it stands, and cancelling it.
  core::Result<JobView> job(const Subject& subject, std::int64_t id);
  // Recent build jobs, newest first: so a clerk who left the page finds a running build again.
  struct JobListing {
    std::vector<std::string> states;     // any of these (queued, running, done, failed,
                                         // cancelled); all when empty
    bool mine = false;                   // only those the subject started
    std::optional<std::int64_t> before;  // ids below this one (the next page)
    std::int64_t limit = 20;
  };
  static constexpr std::int64_t kMaxJobPage = 100;
  // ?state=queued,running (comma-separated), ?mine=0 or 1, ?before=<id> and ?limit=<n>
  // (kMalformed "invalid_query" for a bad one).
  static core::Result<JobListing> parseJobListing(const QueryParameters& query);
  struct JobPage {
    std::vector<JobView> jobs;
    std::optional<std::int64_t> next_before;  // set when older jobs follow
  };
  core::Result<JobPage> jobs(const Subject& subject, const JobListing& listing);
  core::Result<JobView> cancelJob(const Subject& subject, std::int64_t id);

 private:
  // The work of an archive.build job another server left unfinished.
  core::Result<JobWork> resumeBuild(const store::JobRow& row);
  // A finished job's result: the bundle it recorded, how long each phase took, and (when it
  // made any) the renditions it made or failed to make (a JSON object, "" for none).
  static std::string resultOf(const store::ArchiveRow& row, const std::string& timings,
                              const std::string& renditions = "");
  core::Status require(const Subject& subject, std::string_view permission) const;
  std::string pathOf(const BundleRecord& bundle) const;
  // The job: gathers the records from the store, has archive::BundleComposer lay them out,
  // keeps the tar and lists it.
  core::Result<std::string> build(const BundleRequest& request, const Subject& subject,
                                  JobContext& context);
  // Makes the PDF/A renditions the request's documents lack, before the checkpoint is taken (so
  // the checkpoint covers their audit entries); a rebuild against a named checkpoint makes none.
  // Returns what it made and why any failed, as a JSON object for the job's result.
  core::Result<std::string> makeRenditions(const BundleRequest& request, const Subject& subject,
                                           const JobContext& context);
  // What the bundle is (fonds, category, year) and the checkpoint it is made against.
  core::Result<archive::BundleContents> contentsFor(const BundleRequest& request);
  // Reads the items, catalogue entries, feedback and applications into `contents`, as of its
  // checkpoint; returns the audit entries about them, by seq, each once.
  core::Result<std::vector<store::StoredAuditEntry>> readRecords(const BundleRequest& request,
                                                                 JobContext& context,
                                                                 archive::BundleContents& contents);
  core::Result<std::vector<archive::ProvenAuditEntry>> prove(
      std::vector<store::StoredAuditEntry> entries, std::int64_t treeSize,
      const JobContext& context);
  // Writes the bundle durably and keeps it as DATA_DIR/archives/<sha256>.tar.
  core::Result<archive::BagWriter::Written> keep(archive::BundleComposer& bundle,
                                                 JobContext& context);
  store::ArchiveRow rowFor(const BundleRequest& request, const archive::BundleContents& contents,
                           const std::string& name, const archive::BagWriter::Written& written,
                           const JobContext& context, const Subject& subject) const;
  // Lists the kept bundle, with its audit entry.
  core::Result<std::int64_t> record(const store::ArchiveRow& row, const Subject& subject);

  store::Store& store_;
  AuditService& audit_;
  CheckpointService& checkpoints_;
  PolicyService& policies_;
  const policies::CategoryCatalogue& categories_;
  JobService& jobs_;
  std::string folder_;
  const archive::Sm2Signer* sm2_;
  std::unique_ptr<PreservationRenditions> renditions_;
};

}  // namespace gongkai::server::service
