#include "gongkai/archive/bundle_composer.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "gongkai/archive/bundle_layout.h"
#include "gongkai/archive/bundle_verifier.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "item_formats.h"
#include "item_metadata_xml.h"
#include "transfer_list.h"

namespace gongkai::archive {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view kSoftwareAgent = "gongkai 0.1.0";

// A layout path ("data/items/") as BagWriter takes it: relative to data/.
std::string inData(std::string_view path) { return std::string(path.substr(layout::kData.size())); }

using core::htmlEscape;

std::string retentionName(const std::string& retention) {
  if (retention == "Y") return "永久";
  if (retention == "D30") return "30年";
  if (retention == "D10") return "10年";
  return retention;
}

std::string bundledName(const BundledFile& file) {
  return layout::bundledFileName(file.id, file.name);
}

std::string itemFolder(const BundleItem& item) {
  return inData(layout::kItems) + item.reference_code + "/";
}

std::string indexHtmlRow(const BundleItem& item) {
  std::string files;
  for (const BundledFile& file : item.files) {
    if (!files.empty()) files += "<br>";
    files += "<a href=\"items/" + item.reference_code + "/files/" + bundledName(file) + "\">" +
             htmlEscape(file.name) + "</a>";
  }
  return "<tr><td><a href=\"items/" + item.reference_code + "/metadata.json\">" +
         item.reference_code + "</a></td><td>" + htmlEscape(item.title) + "</td><td>" +
         htmlEscape(item.doc_number) + "</td><td>" + item.issued_at + "</td><td>" +
         retentionName(item.retention) + "</td><td>" + std::to_string(item.versions.size()) +
         "</td><td>" + files + "</td></tr>\n";
}

// 目录 for people: a page that opens in any browser, linking each item's record and files.
std::string indexHtml(const BundleContents& contents) {
  const std::string title =
      htmlEscape(contents.organization) + " " + std::to_string(contents.year) + " 年度" +
      htmlEscape(contents.category_name) + "（" + contents.category + "）党务公开档案目录";
  const std::string count = std::to_string(contents.items.size());
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title +
      "</title>\n</head>\n<body>\n<h1>" + title + "</h1>\n<p>共 " + count + " 件 (" + count +
      " items)</p>\n<table border=\"1\">\n<thead><tr><th>档号</th><th>题名</th><th>文号</th>"
      "<th>成文日期</th><th>保管期限</th><th>版本数</th><th>文件</th></tr></thead>\n<tbody>\n";
  for (const BundleItem& item : contents.items) html += indexHtmlRow(item);
  return html + "</tbody>\n</table>\n</body>\n</html>\n";
}

// 目录 for spreadsheets; the verifier also counts its rows against the items.
std::string indexCsv(const std::vector<BundleItem>& items) {
  std::string csv(core::kUtf8ByteOrderMark);
  csv += core::csvRecord(
      {"档号", "题名", "文号", "成文日期", "保管期限", "公开范围", "版本数", "文件数"});
  for (const BundleItem& item : items) {
    csv += core::csvRecord({item.reference_code, item.title, item.doc_number, item.issued_at,
                            item.retention, item.scope, std::to_string(item.versions.size()),
                            std::to_string(item.files.size())});
  }
  return csv;
}

std::string proofLine(const ProvenAuditEntry& entry, std::int64_t treeSize) {
  std::string line = "{\"seq\":" + std::to_string(entry.seq) +
                     ",\"tree_size\":" + std::to_string(treeSize) + ",\"proof\":[";
  for (std::size_t i = 0; i < entry.proof.size(); ++i) {
    if (i > 0) line += ",";
    line += "\"" + core::base64Encode(core::digestBytes(entry.proof[i])) + "\"";
  }
  return line + "]}\n";
}

// "FONDS-YEAR-RETENTION-CATEGORY first last" for each retention sequence the items are in, by
// sequence: the verifier checks each runs from 1 without gaps.
std::vector<std::string> sequenceLines(const BundleContents& contents) {
  std::map<std::string, std::pair<int, int>> sequences;  // key → first, last
  for (const BundleItem& item : contents.items) {
    const std::string key = contents.fonds + "-" + std::to_string(contents.year) + "-" +
                            item.retention + "-" + contents.category;
    auto [it, fresh] = sequences.emplace(key, std::make_pair(item.item_number, item.item_number));
    if (!fresh) {
      it->second.first = std::min(it->second.first, item.item_number);
      it->second.second = std::max(it->second.second, item.item_number);
    }
  }
  std::vector<std::string> lines;
  for (const auto& [key, range] : sequences) {
    lines.push_back(key + " " + std::to_string(range.first) + " " + std::to_string(range.second));
  }
  return lines;
}

void addBagInfo(BagWriter& bag, const std::string& name, const BundleContents& contents) {
  bag.addInfo("Source-Organization", contents.organization);
  bag.addInfo("External-Identifier", name);
  bag.addInfo("Bag-Software-Agent", std::string(kSoftwareAgent));
  bag.addInfo(std::string(layout::kInfoFonds), contents.fonds);
  bag.addInfo(std::string(layout::kInfoCategory), contents.category);
  bag.addInfo(std::string(layout::kInfoCategoryName), contents.category_name);
  bag.addInfo(std::string(layout::kInfoYear), std::to_string(contents.year));
  bag.addInfo(std::string(layout::kInfoItemCount), std::to_string(contents.items.size()));
  for (std::string& line : sequenceLines(contents)) {
    bag.addInfo(std::string(layout::kInfoSequence), std::move(line));
  }
  bag.addInfo(std::string(layout::kInfoCheckpointSize),
              std::to_string(contents.checkpoint.tree_size));
  bag.addInfo(std::string(layout::kInfoAuditEntryCount),
              std::to_string(contents.audit_entries.size()));
  bag.addInfo(std::string(layout::kInfoFeedbackCount), std::to_string(contents.feedback.size()));
  bag.addInfo(std::string(layout::kInfoRequestCount), std::to_string(contents.requests.size()));
}

Error invalid(const char* reason, const std::string& message) {
  return Error::make(ErrorCode::kInvalidArgument, reason, message);
}

// What the item's files and renditions are, from their bytes (formats.json).
core::Result<ItemFormats> identifyItemFiles(const BundleItem& item) {
  ItemFormats formats;
  for (const BundledFile& file : item.files) {
    // By its bundled name, as the verifier sees it (the extension can decide a text's format).
    auto findings = inspectFileAt(file.blob_path, bundledName(file), "");
    if (!findings.ok()) return findings.error();
    formats.files[std::string(layout::kFilesFolder) + bundledName(file)] = {
        findings.value().identification, findings.value().format};
  }
  for (const BundledRendition& rendition : item.renditions) {
    const auto original =
        std::find_if(item.files.begin(), item.files.end(),
                     [&](const BundledFile& file) { return file.id == rendition.of_file_id; });
    if (original == item.files.end()) {
      return invalid("rendition_of_unknown_file",
                     "保存版本对应的文件不在该件中 (a rendition's original is not in the item): " +
                         item.reference_code + " file " + std::to_string(rendition.of_file_id));
    }
    auto findings = inspectFileAt(rendition.blob_path, "rendition.pdf", "application/pdf");
    if (!findings.ok()) return findings.error();
    formats.renditions[renditionPathFor(bundledName(*original))] = {findings.value().identification,
                                                                    findings.value().format};
  }
  return formats;
}

// Every item's formats. Identification reads every byte of every file, so the items are shared
// between this thread and one more (each takes the next item left), which halves the time on two
// cores; more threads would only compete for the disk.
std::vector<core::Result<ItemFormats>> identifyAll(const std::vector<BundleItem>& items) {
  std::vector<std::optional<core::Result<ItemFormats>>> identified(items.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i; (i = next++) < items.size();) {
      try {
        identified[i].emplace(identifyItemFiles(items[i]));
      } catch (const std::exception& e) {
        identified[i].emplace(Error::make(ErrorCode::kIo, "blob_unreadable",
                                          std::string("文件内容无法识别 (cannot identify a "
                                                      "file's format): ") +
                                              e.what()));
      }
    }
  };
  std::thread helper(work);
  work();
  helper.join();
  std::vector<core::Result<ItemFormats>> out;
  out.reserve(items.size());
  for (auto& result : identified) out.push_back(std::move(*result));
  return out;
}

void addItem(BagWriter& bag, const BundleItem& item, const std::string& organization,
             const ItemFormats& formats) {
  const std::string base = itemFolder(item);
  bag.addBytes(base + std::string(layout::kMetadataFile), item.versions.back().record);
  if (auto xml = itemMetadataXml(item.versions.back().record, item.reference_code, organization,
                                 &formats)) {
    bag.addBytes(base + std::string(layout::kMetadataXmlFile), *std::move(xml));
  }
  for (const RecordVersion& version : item.versions) {
    bag.addBytes(base + std::string(layout::kVersionsFolder) + "v" +
                     std::to_string(version.version) + ".json",
                 version.record);
  }
  for (const BundledFile& file : item.files) {
    bag.addFile(base + std::string(layout::kFilesFolder) + bundledName(file), file.blob_path,
                file.sha256);
  }
  for (const BundledRendition& rendition : item.renditions) {
    for (const BundledFile& file : item.files) {
      if (file.id == rendition.of_file_id)
        bag.addFile(base + renditionPathFor(bundledName(file)), rendition.blob_path,
                    rendition.sha256);
    }
  }
  bag.addBytes(base + std::string(layout::kFormatsFile), itemFormatsJson(formats));
}

// Versioned records outside the items: <folder><id>/vN.json.
void addVersionedRecords(BagWriter& bag, std::string_view folder, const VersionedRecords& all) {
  const std::string base = inData(folder);
  for (const auto& [id, versions] : all) {
    for (const RecordVersion& version : versions) {
      bag.addBytes(base + std::to_string(id) + "/v" + std::to_string(version.version) + ".json",
                   version.record);
    }
  }
}

void addAudit(BagWriter& bag, const BundleContents& contents) {
  std::string entryLines, proofLines;
  for (const ProvenAuditEntry& entry : contents.audit_entries) {
    entryLines += entry.bytes + "\n";
    proofLines += proofLine(entry, contents.checkpoint.tree_size);
  }
  bag.addBytes(inData(layout::kCheckpoint), contents.checkpoint.note);
  bag.addBytes(inData(layout::kAuditEntries), std::move(entryLines));
  bag.addBytes(inData(layout::kAuditProofs), std::move(proofLines));
}

// Why the contents cannot make a bundle the verifier accepts, or nothing.
std::optional<Error> contentsProblem(const BundleContents& contents) {
  if (contents.items.empty()) {
    return invalid("bundle_empty", "归档包须至少包含一件文件 (a bundle needs at least one item)");
  }
  for (const BundleItem& item : contents.items) {
    if (item.versions.empty()) {
      return invalid("item_without_versions",
                     "该件没有任何版本 (the item has no version): " + item.reference_code);
    }
    for (const BundledFile& file : item.files) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(file.blob_path, ec)) {
        return Error::make(
            ErrorCode::kIo, "blob_missing",
            "文件内容缺失 (a file's stored bytes are missing): " + item.reference_code + " file " +
                std::to_string(file.id) + " (" + file.blob_path + ")");
      }
    }
  }
  const auto& entries = contents.audit_entries;
  const auto disordered = std::adjacent_find(
      entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.seq >= b.seq; });
  if (disordered != entries.end()) {
    return invalid("audit_entries_out_of_order",
                   "审计条目须按序号排列且不重复 (audit entries must be in seq order, each once), "
                   "at seq " +
                       std::to_string(std::next(disordered)->seq));
  }
  return std::nullopt;
}

}  // namespace

core::Result<BundleComposer> BundleComposer::compose(const BundleContents& contents,
                                                     BundleSigners signers) {
  if (auto problem = contentsProblem(contents)) return *std::move(problem);
  std::string name = contents.fonds + "-" + std::to_string(contents.year) + "-" +
                     contents.category + "-T" + std::to_string(contents.checkpoint.tree_size);
  BagWriter bag(name, contents.checkpoint.made_at);
  addBagInfo(bag, name, contents);
  const auto formats = identifyAll(contents.items);
  for (std::size_t i = 0; i < contents.items.size(); ++i) {
    if (!formats[i].ok()) return formats[i].error();
    addItem(bag, contents.items[i], contents.organization, formats[i].value());
  }
  addVersionedRecords(bag, layout::kCatalogue, contents.catalogue);
  addVersionedRecords(bag, layout::kFeedback, contents.feedback);
  addVersionedRecords(bag, layout::kRequests, contents.requests);
  addAudit(bag, contents);
  bag.addBytes(inData(layout::kIndexHtml), indexHtml(contents));
  bag.addBytes(inData(layout::kIndexCsv), indexCsv(contents.items));
  const TransferList transfer = transferListOf(contents, name);
  bag.addTagFile(std::string(layout::kTransferListJson), transferListJson(transfer));
  bag.addTagFile(std::string(layout::kTransferListHtml), transferListHtml(transfer));
  std::vector<std::string> publicKeys;
  if (signers.ed25519 != nullptr) {
    bag.signWith(*signers.ed25519);
    publicKeys.push_back(core::ed25519PublicKeyPem(signers.ed25519->publicKey()));
  }
  if (signers.sm2 != nullptr) {
    bag.signSm2With(*signers.sm2);
    publicKeys.push_back(signers.sm2->publicKeyPem());
  }
  return BundleComposer(std::move(name), std::move(bag), std::move(publicKeys));
}

core::Result<BagWriter::Written> BundleComposer::writeTo(const std::string& tarPath,
                                                         bool durable) const {
  // The check reads the tar as it is written, a little behind the writer: the bytes written are
  // the progress (BagWriter asks once more when the check has ended, for a cancelled job).
  BagWriter bag = bag_;
  if (progress_) bag.onProgress(progress_);
  VerifyOptions options;
  options.public_key_pems = publicKeys_;
  const auto check = [&](int tarStream) -> core::Result<BagWriter::TagFiles> {
    BundleReport report = verifyBundleStream(tarStream, name_, options);
    return BagWriter::TagFiles{{std::string(layout::kCheckReportJson), formatReportJson(report)},
                               {std::string(layout::kCheckReportHtml), formatReportHtml(report)}};
  };
  return bag.writeTo(tarPath, durable, check);
}

}  // namespace gongkai::archive
