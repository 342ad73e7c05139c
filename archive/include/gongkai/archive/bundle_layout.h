#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

// The layout of an annual archive bundle (one disclosure category, one year), shared by the
// server that writes it and the standalone verifier that checks it. A bundle is a BagIt 1.0 bag
// (RFC 8493) in one pax tar whose single top-level folder is the bundle's name:
//
//   <name>/bagit.txt, bag-info.txt, manifest-sha256.txt, manifest-sha512.txt,
//          check-report.json, check-report.html  (四性检测 report, DA/T 70, item by item)
//          transfer-list.json, transfer-list.html (移交清单: what is handed over, to whom)
//          tagmanifest-sha256.txt                  (the tag manifest covers all of the above)
//   <name>/signatures/                             (not in the tag manifest: signs it)
//          tagmanifest-sha256.txt.ed25519.sig, ed25519-public.pem
//          tagmanifest-sha256.txt.sm2.sig, sm2-public.pem      (when the unit has an SM2 key)
//   <name>/data/index.html, index.csv             目录: every item by 档号 and title, in Chinese
//   <name>/data/items/<档号>/metadata.json         the document's current record
//   <name>/data/items/<档号>/metadata.xml          the same as DA/T 46 elements (XSD: archive/data)
//   <name>/data/items/<档号>/versions/v<N>.json    every version's record, N = 1, 2, ...
//   <name>/data/items/<档号>/files/<file id>.<ext> every file any version held
//   <name>/data/items/<档号>/renditions/<file id>.pdf  the PDF/A preservation rendition of the
//                                                 file of that id, made once when it was archived
//   <name>/data/items/<档号>/formats.json          format identification of each file and
//                                                 rendition, and which rendition is of which file
//   <name>/data/catalogue/<item id>/v<N>.json     catalogue entries the documents answer
//   <name>/data/feedback/<id>/v<N>.json           feedback (公开意见) of this category received
//                                                 in this year, every version
//   <name>/data/requests/<id>/v<N>.json           applications for disclosure (依申请公开) of
//                                                 this category received in this year
//   <name>/data/audit/checkpoint.txt              a signed checkpoint (C2SP) made for the export
//   <name>/data/audit/entries.jsonl               every audit entry touching the records above,
//                                                 canonical bytes, one per line, by seq
//   <name>/data/audit/proofs.jsonl                for each entry, in the same order, its
//                                                 inclusion proof against the checkpoint:
//                                                 {"seq":S,"tree_size":T,"proof":[base64...]}
//
// Records are the exact canonical bytes the server stores: the audit entry that made each one
// carries its SHA-256 (content_sha256), so an edited record no longer matches the signed log.
namespace gongkai::archive::layout {

inline constexpr std::string_view kData = "data/";
inline constexpr std::string_view kItems = "data/items/";
inline constexpr std::string_view kCatalogue = "data/catalogue/";
inline constexpr std::string_view kFeedback = "data/feedback/";
inline constexpr std::string_view kRequests = "data/requests/";
inline constexpr std::string_view kMetadataFile = "metadata.json";
// The same record's metadata as DA/T 46 names the elements (data/dat46-item.xsd).
inline constexpr std::string_view kMetadataXmlFile = "metadata.xml";
inline constexpr std::string_view kVersionsFolder = "versions/";
inline constexpr std::string_view kFilesFolder = "files/";
// Preservation renditions (长期保存格式的转换件) beside the originals, never instead of them.
inline constexpr std::string_view kRenditionsFolder = "renditions/";
// Each file's format identification (item_formats.h).
inline constexpr std::string_view kFormatsFile = "formats.json";
inline constexpr std::string_view kIndexHtml = "data/index.html";
inline constexpr std::string_view kIndexCsv = "data/index.csv";
inline constexpr std::string_view kCheckpoint = "data/audit/checkpoint.txt";
inline constexpr std::string_view kAuditEntries = "data/audit/entries.jsonl";
inline constexpr std::string_view kAuditProofs = "data/audit/proofs.jsonl";

// The DA/T 70 check of the bundle as the server built it, made before these two were added: tag
// files, so the payload manifests stay those of the records (the tag manifest signs them).
inline constexpr std::string_view kCheckReportJson = "check-report.json";
inline constexpr std::string_view kCheckReportHtml = "check-report.html";
// The transfer list (移交清单, transfer_list.h): tag files too, signed with the tag manifest.
inline constexpr std::string_view kTransferListJson = "transfer-list.json";
inline constexpr std::string_view kTransferListHtml = "transfer-list.html";

inline constexpr std::string_view kSignatures = "signatures/";
inline constexpr std::string_view kEd25519Signature =
    "signatures/tagmanifest-sha256.txt.ed25519.sig";
inline constexpr std::string_view kEd25519PublicKey = "signatures/ed25519-public.pem";
inline constexpr std::string_view kSm2Signature = "signatures/tagmanifest-sha256.txt.sm2.sig";
inline constexpr std::string_view kSm2PublicKey = "signatures/sm2-public.pem";

// bag-info.txt labels beyond RFC 8493's own (Source-Organization, Bagging-Date, Payload-Oxum,
// External-Identifier, Bag-Count, Bag-Software-Agent).
inline constexpr std::string_view kInfoFonds = "Gongkai-Fonds";
inline constexpr std::string_view kInfoCategory = "Gongkai-Category";
inline constexpr std::string_view kInfoCategoryName = "Gongkai-Category-Name";
inline constexpr std::string_view kInfoYear = "Gongkai-Year";
inline constexpr std::string_view kInfoItemCount = "Gongkai-Item-Count";
// One per retention sequence: "<FONDS-YEAR-RETENTION-CATEGORY> <first item> <last item>".
inline constexpr std::string_view kInfoSequence = "Gongkai-Sequence";
inline constexpr std::string_view kInfoCheckpointSize = "Gongkai-Checkpoint-Size";
inline constexpr std::string_view kInfoAuditEntryCount = "Gongkai-Audit-Entry-Count";
inline constexpr std::string_view kInfoFeedbackCount = "Gongkai-Feedback-Count";
inline constexpr std::string_view kInfoRequestCount = "Gongkai-Request-Count";

// A file's name inside files/: its id and the lower-case ASCII extension of the uploaded name
// ("12.pdf"), or the id alone when that has none we keep. Names inside the bundle are ASCII;
// the Chinese names stay in the records.
inline std::string bundledFileName(std::int64_t id, std::string_view uploadedName) {
  std::string name = std::to_string(id);
  const auto dot = uploadedName.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == uploadedName.size() ||
      uploadedName.size() - dot > 11) {
    return name;
  }
  std::string extension = ".";
  for (char c : uploadedName.substr(dot + 1)) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return name;
    extension += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name + extension;
}

}  // namespace gongkai::archive::layout
