#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/server/service/job_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/store.h"
#include "pdfa_converter.h"

namespace gongkai::server::service {

// PDF/A preservation renditions (长期保存格式转换件) of archived office documents, made once and
// kept: each is a blob, recorded by the audit entry `file.rendition` about the object
// ("rendition", the original blob's SHA-256, version 1) whose content_sha256 is the rendition's
// SHA-256. The audit log is the record of which rendition stands for which bytes, so a bundle
// takes the rendition the log held at its checkpoint and rebuilds byte for byte, and the offline
// verifier checks the rendition against the signed log.
class PreservationRenditions {
 public:
  static constexpr const char* kObjectType = "rendition";

  PreservationRenditions(store::Store& store, PdfaConverter converter)
      : store_(store), converter_(std::move(converter)) {}

  // Why one file got no rendition: the original's SHA-256, a stable code (conversion_failed,
  // conversion_timeout, conversion_limit, not_pdfa, rendition_store) and a message.
  struct Failure {
    std::string sha256;
    std::string code;
    std::string message;
  };
  struct Outcome {
    int made = 0;     // renditions made and recorded now
    int failed = 0;   // conversions that failed or gave no PDF/A (the bundle goes without)
    int missing = 0;  // files that want one while no converter is there
    std::vector<Failure> failures;  // one per failed
  };
  // Makes the renditions that the archived documents of this fonds, year and category lack:
  // every file any of their versions held that is an office document by its bytes
  // (wantsPreservationRendition) and has no rendition recorded yet. A conversion that fails is
  // logged and skipped, never an error; stops early when the job is cancelled. Throws on storage
  // failure.
  Outcome makeFor(const std::string& fonds, int year, const std::string& category,
                  const Subject& subject, const JobContext& context);

  // The audit entry recording the rendition of the blob `originalSha256`, among entries up to
  // `maxSeq`; and the rendition's SHA-256 it names.
  struct Logged {
    store::StoredAuditEntry entry;
    std::string sha256;
  };
  static std::optional<Logged> loggedFor(store::ReadSession& session,
                                         const std::string& originalSha256, std::int64_t maxSeq);

 private:
  // Converts one blob and records the result; why not when it gave none.
  std::optional<Failure> makeOne(const std::string& sha256, const std::string& extension,
                                 const Subject& subject);

  store::Store& store_;
  PdfaConverter converter_;
};

}  // namespace gongkai::server::service
