#pragma once

// The transfer list (移交清单) of a bundle: the handover form that says what the unit transfers
// to the receiving committee — category, year, items, files and their bytes, the retention
// sequences with their 档号 ranges, the date, from whom and to whom. The composer writes it as
// two tag files (transfer-list.json for programs, transfer-list.html to print and sign by hand),
// listed in and so signed with the tag manifest; the verifier checks it against the bundle.
// Everything in it comes from the bundle's contents and its checkpoint, never the clock, so a
// rebuild against the same checkpoint gives the same bytes.

#include <cstdint>
#include <string>
#include <vector>

#include "gongkai/archive/bundle_composer.h"

namespace gongkai::archive {

// One retention sequence (FONDS-YEAR-RETENTION-CATEGORY) as the list states it.
struct TransferSequence {
  std::string sequence;    // "J001-2023-Y-ZZ"
  std::string retention;   // "Y", "D30", "D10"
  std::int64_t items = 0;  // items of the sequence in the bundle
  std::string first_code;  // the lowest and highest 档号 of those items
  std::string last_code;
};

struct TransferList {
  std::string bundle;  // the bag's name
  std::string fonds;
  std::string from;  // 移交单位: Source-Organization
  std::string to;    // 接收单位: the receiving committee
  std::string category;
  std::string category_name;
  int year = 0;
  std::string transfer_date;  // the checkpoint's day in China time, "YYYY-MM-DD"
  std::int64_t item_count = 0;
  std::int64_t file_count = 0;  // content files (data/items/*/files/*)
  std::int64_t file_bytes = 0;  // their bytes
  // Preservation renditions (data/items/*/renditions/*), counted apart: they are copies made
  // for keeping, not records the unit transfers, so the files above stay what was filed.
  std::int64_t rendition_count = 0;
  std::int64_t rendition_bytes = 0;
  std::vector<TransferSequence> sequences;  // by sequence
  std::int64_t checkpoint_size = 0;
  std::int64_t audit_entry_count = 0;
  std::int64_t feedback_count = 0;
  std::int64_t request_count = 0;
};

// The list for `contents` laid out as bag `name`; file sizes as the blobs are on disk now.
TransferList transferListOf(const BundleContents& contents, const std::string& name);
// transfer-list.json: one object, members in a fixed order (see docs/archival.md).
std::string transferListJson(const TransferList& list);
// transfer-list.html: the printable form, in Chinese, with blanks for the hand signatures.
std::string transferListHtml(const TransferList& list);

// The receiving committee named when the archive policy names none.
inline constexpr const char* kDefaultReceiver = "上级党委";

}  // namespace gongkai::archive
