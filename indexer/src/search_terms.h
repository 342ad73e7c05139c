#pragma once

#include <xapian.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/indexer/search_index.h"

// How a version becomes a Xapian document, shared by the index and the query side so the two
// cannot drift apart.
namespace gongkai::indexer::terms {

// Term prefixes. File texts are unprefixed, and the unprefixed family also holds every other
// text field's terms (without positions; since layout 6): a plain word is matched there alone.
// Field queries (title:) and phrases, which need positions, search each field (kTextFields).
inline constexpr const char* kTitle = "S";
inline constexpr const char* kSummary = "A";
inline constexpr const char* kNumberText = "N";
inline constexpr const char* kTextFields[] = {"", kTitle, kSummary, kNumberText};
inline constexpr const char* kWord = "W";            // dictionary words of CJK runs (ICU)
inline constexpr const char* kNumberExact = "XNUM";  // the whole normalised document number
inline constexpr const char* kUnique = "Q";          // Q<id>.<version>
inline constexpr const char* kDocument = "XID";      // every version of one document
inline constexpr const char* kCurrent = "XCUR";
inline constexpr const char* kCategory = "XC";
inline constexpr const char* kYear = "XY";
inline constexpr const char* kScope = "XS";
inline constexpr const char* kOrgUnit = "XO";
inline constexpr const char* kStatus = "XT";
inline constexpr const char* kMode = "XM";
inline constexpr const char* kPeriod = "XP";
inline constexpr const char* kType = "XK";  // document, feedback, request

// Value slots.
enum Slot : Xapian::valueno {
  kDateSlot = 0,
  // Category, year, scope and org unit joined by kFacetSeparator: the facets are counted from
  // this one value per match instead of four. (Slots 1–4 held them one by one; nothing read
  // those, so they are no longer written: each value costs indexing time.)
  kFacetSlot = 5,
};
inline constexpr char kFacetSeparator = '\x1f';

// The index layout this code writes and reads; an index of another layout is rebuilt at start.
// 3: every entry carries its type (XK) and stores it; feedback and applications are indexed.
// 4: every entry also stores its status, which hits show (a withdrawn version says so).
// 5: traditional ideographs are folded to simplified ones (an index of 4 lacks those matches).
// 6: the unprefixed terms also hold the title's, number's and summary's (see makeDocument); an
//    index of 5 is still searched, field by field, until it is rebuilt.
inline constexpr const char* kIndexFormat = "6";
inline constexpr int kFormatWithEveryFieldUnprefixed = 6;

// Text kept in the document for snippets; the rest of long texts is indexed but not shown.
inline constexpr std::size_t kSnippetSourceBytes = 32 * 1024;

// Q<id>.<version> for a document version, Q<type>:<id> for a feedback record or application.
std::string uniqueTerm(const IndexedVersion& version);
// A boolean term, cut to Xapian's term length limit.
std::string booleanTerm(const char* prefix, std::string_view value);
std::string dateValue(const core::Date& date);  // "YYYYMMDD": sorts as text

// Dictionary words (two or more ideographs) that ICU's word break finds in `normalized`, each
// handed to `take` as it is found (a long text has hundreds of thousands: not kept in a list).
void forEachCjkWord(std::string_view normalized, const std::function<void(std::string&&)>& take);
// The same words in a list, for short texts (a query, a snippet's terms).
std::vector<std::string> cjkWords(std::string_view normalized);
// True when `text` holds at least one CJK ideograph.
bool hasCjk(std::string_view text);

Xapian::Document makeDocument(const IndexedVersion& version);

// What a hit shows, stored in the document's data.
struct StoredFields {
  std::string type;
  std::int64_t document_id = 0;
  std::int64_t version = 0;
  bool current = false;
  std::string title, doc_number, category, org_unit, scope, date, text, status;
};
StoredFields readStored(const std::string& data);

}  // namespace gongkai::indexer::terms
