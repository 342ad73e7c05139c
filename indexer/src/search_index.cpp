#include "gongkai/indexer/search_index.h"

#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "gongkai/indexer/snippet.h"
#include "parallel_build.h"
#include "search_query.h"
#include "search_terms.h"

namespace gongkai::indexer {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCurrentFile = "CURRENT";       // names the live index folder
constexpr const char* kReplicaStubFile = "XAPIANDB";  // names the live copy in a replica
constexpr const char* kLastCommitKey = "last_commit";
constexpr const char* kFormatKey = "format";
// Readers kept open between searches: one per HTTP thread (16 by default), and on a large index a
// second one each for the other half of the search (allWordsTier).
constexpr std::size_t kPooledReaders = 32;

core::Error indexError(const std::string& reason, const std::string& what) {
  return core::Error::make(core::ErrorCode::kIo, reason,
                           "搜索索引出错 (search index error): " + what);
}

// Xapian's exceptions are not std::exceptions; callers outside the indexer see these instead.
[[noreturn]] void rethrowXapian(const Xapian::Error& error) {
  throw std::runtime_error("search index: " + error.get_description());
}

// Where a rebuild's worker threads write their parts; open() clears it away like an index folder.
std::string partsFolderOf(const std::string& path) { return path + ".parts"; }

std::string indexFolderName(std::int64_t generation) {
  return "index-" + std::to_string(generation);
}

// Replaces CURRENT atomically: a crash leaves either the old or the new name.
void writeCurrent(const fs::path& folder, const std::string& name) {
  const fs::path temporary = folder / "CURRENT.tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << name << '\n';
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  fs::rename(temporary, folder / kCurrentFile);
}

std::string readCurrent(const fs::path& folder) {
  std::ifstream in(folder / kCurrentFile);
  std::string name;
  std::getline(in, name);
  return name;
}

std::int64_t generationOf(const std::string& name) {
  if (name.rfind("index-", 0) != 0) return -1;
  try {
    return std::stoll(name.substr(6));
  } catch (...) {
    return -1;
  }
}

std::string readSmallFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::uint64_t folderBytes(const fs::path& folder) {
  std::uint64_t total = 0;
  std::error_code error;
  for (const auto& entry : fs::recursive_directory_iterator(folder, error)) {
    if (entry.is_regular_file(error)) total += entry.file_size(error);
  }
  return total;
}

Xapian::Query anyOf(const char* prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const auto& value : values) terms.emplace_back(terms::booleanTerm(prefix, value));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// Visibility: the one place where who is asking narrows every search.
std::optional<Xapian::Query> visibilityFilter(const Viewer& viewer) {
  if (viewer.sees_everything) return std::nullopt;
  std::vector<Xapian::Query> clauses;
  for (const auto& clause : viewer.clauses) {
    std::vector<Xapian::Query> parts{anyOf(terms::kScope, clause.scopes),
                                     anyOf(terms::kStatus, clause.statuses)};
    if (clause.org_units) parts.push_back(anyOf(terms::kOrgUnit, *clause.org_units));
    clauses.emplace_back(Xapian::Query::OP_AND, parts.begin(), parts.end());
  }
  if (clauses.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, clauses.begin(), clauses.end());
}

Xapian::Query filterQuery(const SearchRequest& request, const Viewer& viewer) {
  std::vector<Xapian::Query> filters;
  if (!request.history) filters.emplace_back(terms::kCurrent);
  if (auto visible = visibilityFilter(viewer)) filters.push_back(*visible);
  auto add = [&](const char* prefix, const std::vector<std::string>& values) {
    if (!values.empty()) filters.push_back(anyOf(prefix, values));
  };
  add(terms::kCategory, request.categories);
  add(terms::kScope, request.scopes);
  add(terms::kOrgUnit, request.org_units);
  add(terms::kStatus, request.statuses);
  add(terms::kMode, request.modes);
  add(terms::kPeriod, request.periods);
  add(terms::kType, request.types);
  std::vector<std::string> years;
  for (int year : request.years) years.push_back(std::to_string(year));
  add(terms::kYear, years);
  if (request.from || request.to) {
    const std::string low = request.from ? terms::dateValue(*request.from) : "00000000";
    const std::string high = request.to ? terms::dateValue(*request.to) : "99999999";
    filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, terms::kDateSlot, low, high);
  }
  // Not Xapian::Query::MatchAll: copying that one object from two threads at once (a search
  // split in two, see allWordsTier) would race on its reference count. "" matches every document.
  if (filters.empty()) return Xapian::Query(std::string());
  return Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
}

core::Date parseDateValue(const std::string& value) {
  core::Date date{};
  if (value.size() == 8) {
    date.year = std::stoi(value.substr(0, 4));
    date.month = std::stoi(value.substr(4, 2));
    date.day = std::stoi(value.substr(6, 2));
  }
  return date;
}

// The facets, in the order their values are joined in terms::kFacetSlot.
constexpr const char* kFacets[] = {"category", "year", "scope", "org_unit"};

// Counts every match's joined facet value once; the counts are split into the four facets after
// the match. One value read and one map update per match, where four ValueCountMatchSpys took
// four of each (a quarter of the search time at 20,000 documents).
class FacetSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    ++counts_[doc.get_value(terms::kFacetSlot)];
  }
  Xapian::MatchSpy* clone() const override { return new FacetSpy; }
  std::string name() const override { return "gongkai.FacetSpy"; }

  void addTo(std::map<std::string, std::map<std::string, std::int64_t>>& facets) const {
    for (const auto& name : kFacets) facets[name];
    for (const auto& [joined, count] : counts_) {
      std::size_t start = 0;
      for (const auto& name : kFacets) {
        const std::size_t end = std::min(joined.find(terms::kFacetSeparator, start), joined.size());
        if (end > start) facets[name][joined.substr(start, end - start)] += count;
        start = end + 1;
      }
    }
  }

 private:
  std::unordered_map<std::string, std::int64_t> counts_;
};

SearchHit toHit(const Xapian::Document& document, double weight,
                const std::vector<std::string>& highlights) {
  const terms::StoredFields stored = terms::readStored(document.get_data());
  SearchHit hit;
  hit.type = stored.type;
  hit.document_id = stored.document_id;
  hit.version = stored.version;
  hit.current = stored.current;
  hit.title = stored.title;
  hit.doc_number = stored.doc_number;
  hit.category = stored.category;
  hit.org_unit = stored.org_unit;
  hit.scope = stored.scope;
  hit.status = stored.status;
  hit.date = parseDateValue(stored.date);
  hit.score = weight;
  hit.snippet = makeSnippet(stored.text.empty() ? stored.title : stored.text, highlights);
  return hit;
}

// Runs one tier's query for `count` hits from `offset`, counting every match (checkatleast =
// every document: totals and facet counts are exact, not estimates), into `facets` if given.
Xapian::MSet runTier(Xapian::Enquire& enquire, const Xapian::Query& query, bool byDate,
                     FacetSpy* facets, int offset, int count, Xapian::doccount documents) {
  enquire.set_query(query);
  if (byDate) enquire.set_sort_by_value_then_relevance(terms::kDateSlot, true);
  if (facets != nullptr) enquire.add_matchspy(facets);
  return enquire.get_mset(static_cast<Xapian::doccount>(offset),
                          static_cast<Xapian::doccount>(count), documents);
}

// Matches the documents whose ids lie in [first, last], with no weight: ANDed with a query (as a
// filter), it keeps that query to one slice of the index, which one thread then searches.
class DocidRange : public Xapian::PostingSource {
 public:
  DocidRange(Xapian::docid first, Xapian::docid last) : first_(first), last_(last) {}
  Xapian::doccount get_termfreq_min() const override { return size_; }
  Xapian::doccount get_termfreq_est() const override { return size_; }
  Xapian::doccount get_termfreq_max() const override { return size_; }
  Xapian::docid get_docid() const override { return current_; }
  void next(double) override { current_ = current_ < first_ ? first_ : current_ + 1; }
  void skip_to(Xapian::docid id, double) override {
    if (id > current_) current_ = std::max(id, first_);
  }
  bool at_end() const override { return current_ > end_; }
  void init(const Xapian::Database& db) override {
    current_ = 0;
    end_ = std::min(last_, db.get_lastdocid());
    size_ = end_ >= first_ ? end_ - first_ + 1 : 0;
  }
  Xapian::PostingSource* clone() const override { return new DocidRange(first_, last_); }
  std::string name() const override { return "gongkai.DocidRange"; }

 private:
  Xapian::docid first_, last_, end_ = 0, current_ = 0;
  Xapian::doccount size_ = 0;
};

// One slice's best matches of a tier (in the tier's order), how many it holds, and their facets.
struct Slice {
  struct Item {
    double weight = 0;
    Xapian::docid id = 0;
    std::string date;  // the sort key when sorted by date
    Xapian::Document document;
  };
  std::vector<Item> items;
  std::int64_t matches = 0;
  std::unique_ptr<FacetSpy> facets = std::make_unique<FacetSpy>();  // a MatchSpy is not copied
};

// The best `wanted` matches of `query` among the documents with ids in [first, last], every match
// counted (exact), with its facets.
Slice searchSlice(Xapian::Database& db, const Xapian::Query& query, bool byDate, int wanted,
                  Xapian::docid first, Xapian::docid last, Xapian::doccount documents) {
  Slice slice;
  Xapian::Enquire enquire(db);
  const Xapian::Query sliced(Xapian::Query::OP_FILTER, query,
                             Xapian::Query((new DocidRange(first, last))->release()));
  const Xapian::MSet matches =
      runTier(enquire, sliced, byDate, slice.facets.get(), 0, wanted, documents);
  slice.matches = matches.get_matches_estimated();
  for (auto match = matches.begin(); match != matches.end(); ++match) {
    slice.items.push_back(
        {match.get_weight(), *match, byDate ? match.get_sort_key() : "", match.get_document()});
  }
  return slice;
}

// The order Xapian gives a tier: newest first when sorted by date, then by weight, then by id.
bool rankedBefore(const Slice::Item& a, const Slice::Item& b, bool byDate) {
  if (byDate && a.date != b.date) return a.date > b.date;
  if (a.weight != b.weight) return a.weight > b.weight;
  return a.id < b.id;
}

// How far the partial tier is counted when none of it is on the page: past this many matches,
// Xapian's estimate stands in. Counting them all was a pass over every document holding any of
// the words (tripling a two-word query's time) for a number nobody sees exactly.
constexpr Xapian::doccount kPartialCountedUpTo = 100;

struct TierSize {
  std::int64_t count = 0;
  bool exact = true;
};

// The size of a tier none of whose hits are wanted: its matches counted in document order up to
// kPartialCountedUpTo, without weights (so the matcher stops there), then estimated from the
// posting lists. Exact when fewer match.
TierSize estimateTier(Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  const Xapian::MSet counted = enquire.get_mset(0, 0, kPartialCountedUpTo);
  return {counted.get_matches_estimated(),
          counted.get_matches_lower_bound() == counted.get_matches_upper_bound()};
}

// The words some partial match lacks: for each, whether any partial match is without it. No
// weights, and the first such document answers (documents in id order).
std::vector<std::string> missingTerms(Xapian::Database& db, const Xapian::Query& partial,
                                      const std::vector<QueryWord>& words) {
  std::vector<std::string> missing;
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  for (const auto& word : words) {
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, partial, word.query));
    if (!enquire.get_mset(0, 1).empty()) missing.push_back(word.text);
  }
  return missing;
}

// The partial tier on a page that reaches into it: its hits from where the all-words ones end,
// each naming the words it lacks, and its exact count (so pages either side of the boundary
// agree); its facets instead of the all-words ones when nothing holds every word.
void addPartialHits(Xapian::Database& db, const Xapian::Query& partial, const TextQuery& text,
                    const SearchRequest& request, bool byDate,
                    const std::vector<std::string>& highlights, Xapian::doccount documents,
                    SearchResult& result) {
  // The page goes on below the last all-words match: its offset counts from there.
  const auto skip = std::max<std::int64_t>(0, request.offset - result.total_all_words);
  const auto room = request.limit - static_cast<int>(result.hits.size());
  Xapian::Enquire someWords(db);
  // The facets count the all-words matches; the partial ones only when there are no others.
  // Counting both tiers cost three times the time of a search without partial matches (the
  // partial matches of two frequent words are many more than their all-words matches).
  FacetSpy someWordsFacets;
  result.facets_count_partial = result.total_all_words == 0;
  const Xapian::MSet second =
      runTier(someWords, partial, byDate, result.facets_count_partial ? &someWordsFacets : nullptr,
              static_cast<int>(skip), room, documents);
  result.total_partial = second.get_matches_estimated();
  if (result.facets_count_partial) {
    result.facets.clear();
    someWordsFacets.addTo(result.facets);
  }
  for (auto match = second.begin(); match != second.end(); ++match) {
    SearchHit hit = toHit(match.get_document(), match.get_weight(), highlights);
    hit.partial = true;
    const std::vector<std::string> matching(someWords.get_matching_terms_begin(match),
                                            someWords.get_matching_terms_end(match));
    for (const auto& word : text.optional) {
      if (!holds(word.query, matching)) hit.missing_terms.push_back(word.text);
    }
    result.hits.push_back(std::move(hit));
  }
}

// What the query builder needs of `db`: how it holds plain words' terms, from its layout (a
// replica may read an index of an older layout until the primary has rebuilt it), and how common
// each dictionary word is in it. `db` must outlive the traits.
IndexTraits indexTraitsOf(const Xapian::Database& db) {
  IndexTraits traits;
  traits.families =
      std::atoi(db.get_metadata(kFormatKey).c_str()) >= terms::kFormatWithEveryFieldUnprefixed
          ? TextFamilies::kEveryFieldUnprefixed
          : TextFamilies::kFieldByField;
  traits.is_common_word = [&db, half = db.get_doccount() / 2](const std::string& term) {
    return db.get_termfreq(term) > half;
  };
  return traits;
}

// The all-words tier: the page's hits, the exact count and the facets. With a second reader
// (a large index), the two halves of the index by document id are searched at once on two
// threads and their best matches merged: the same hits, count and facets as one pass, since both
// readers see the same revision and so weigh every document alike.
void allWordsTier(Xapian::Database& db, Xapian::Database* second, const TextQuery& text,
                  const Xapian::Query& filter, const SearchRequest& request, const Viewer& viewer,
                  bool byDate, const std::vector<std::string>& highlights,
                  Xapian::doccount documents, SearchResult& result) {
  const int wanted = request.offset + request.limit;
  const Xapian::Query query(Xapian::Query::OP_FILTER, text.query, filter);
  const Xapian::docid last = db.get_lastdocid();
  std::vector<Slice> slices;
  if (second == nullptr) {
    slices.push_back(searchSlice(db, query, byDate, wanted, 1, last, documents));
  } else {
    const Xapian::docid middle = last / 2;
    // The other thread makes its own query: Xapian's queries count their references without
    // atomics, so two threads must not share one.
    auto other = std::async(std::launch::async, [&] {
      const TextQuery own = buildTextQuery(request.query, indexTraitsOf(*second));
      return searchSlice(
          *second, Xapian::Query(Xapian::Query::OP_FILTER, own.query, filterQuery(request, viewer)),
          byDate, wanted, middle + 1, last, documents);
    });
    // (Should this throw, the future's destructor waits for the other thread first.)
    slices.push_back(searchSlice(db, query, byDate, wanted, 1, middle, documents));
    slices.push_back(other.get());
  }
  std::vector<const Slice::Item*> ranked;
  for (Slice& slice : slices) {
    result.total_all_words += slice.matches;
    slice.facets->addTo(result.facets);
    for (const auto& item : slice.items) ranked.push_back(&item);
  }
  std::sort(ranked.begin(), ranked.end(),
            [byDate](const auto* a, const auto* b) { return rankedBefore(*a, *b, byDate); });
  for (std::size_t at = static_cast<std::size_t>(request.offset);
       at < ranked.size() && at < static_cast<std::size_t>(wanted); ++at) {
    result.hits.push_back(toHit(ranked[at]->document, ranked[at]->weight, highlights));
  }
}

SearchResult runSearch(Xapian::Database& db, Xapian::Database* second, const SearchRequest& request,
                       const Viewer& viewer) {
  SearchResult result;
  const TextQuery text = buildTextQuery(request.query, indexTraitsOf(db));
  result.fallback_query = text.fallback;
  if (text.nothing_to_search) return result;
  const Xapian::Query filter = filterQuery(request, viewer);
  const bool byDate = request.sort_by_date || text.match_all;
  const Xapian::doccount documents = db.get_doccount();
  const std::vector<std::string> highlights =
      text.match_all ? std::vector<std::string>{} : highlightTerms(request.query);

  allWordsTier(db, second, text, filter, request, viewer, byDate, highlights, documents, result);

  if (!text.partial.empty()) {
    const Xapian::Query partial(Xapian::Query::OP_FILTER,
                                Xapian::Query(Xapian::Query::OP_AND_NOT, text.partial, text.query),
                                filter);
    if (request.offset + request.limit <= result.total_all_words) {
      // The all-words hits fill the page: the partial tier is only a number here.
      const TierSize size = estimateTier(db, partial);
      result.total_partial = size.count;
      result.total_partial_exact = size.exact;
    } else {
      addPartialHits(db, partial, text, request, byDate, highlights, documents, result);
    }
    if (result.total_partial > 0) {
      result.missing_terms = missingTerms(db, partial, text.optional);
    }
  }
  result.total = result.total_all_words + result.total_partial;
  return result;
}

}  // namespace

SearchIndex::SearchIndex(std::string folder, std::string current, std::int64_t generation)
    : folder_(std::move(folder)), currentPath_(std::move(current)), generation_(generation) {}

SearchIndex::~SearchIndex() {
  if (writer_) {
    try {
      writer_->close();
    } catch (const Xapian::Error&) {
    }
  }
}

core::Result<std::unique_ptr<SearchIndex>> SearchIndex::open(const std::string& folder) {
  try {
    fs::create_directories(folder);
    std::string name = readCurrent(folder);
    std::int64_t generation = generationOf(name);
    if (generation < 0 || !fs::exists(fs::path(folder) / name)) {
      generation = 1;
      name = indexFolderName(generation);
      Xapian::WritableDatabase(fs::path(folder) / name, Xapian::DB_CREATE_OR_OPEN).close();
      writeCurrent(folder, name);
    }
    // Leftovers: indexes a rebuild replaced, or one it left half built.
    for (const auto& entry : fs::directory_iterator(folder)) {
      const std::string entryName = entry.path().filename().string();
      if (entry.is_directory() && entryName != name && generationOf(entryName) >= 0) {
        fs::remove_all(entry.path());
      }
    }
    const std::string path = (fs::path(folder) / name).string();
    std::unique_ptr<SearchIndex> index(new SearchIndex(folder, path, generation));
    index->writer_ = std::make_unique<Xapian::WritableDatabase>(path, Xapian::DB_CREATE_OR_OPEN);
    index->lastCommit_ = index->writer_->get_metadata(kLastCommitKey);
    // An empty index takes the current layout at once; one with documents keeps what it has.
    if (index->writer_->get_doccount() == 0) {
      index->writer_->set_metadata(kFormatKey, terms::kIndexFormat);
      index->writer_->commit();
    }
    index->format_ = index->writer_->get_metadata(kFormatKey);
    return index;
  } catch (const Xapian::DatabaseLockError& error) {
    return indexError("search_index_locked", error.get_description());
  } catch (const Xapian::Error& error) {
    return indexError("search_index_unavailable", error.get_description());
  } catch (const std::exception& error) {
    return indexError("search_index_unavailable", error.what());
  }
}

core::Result<std::unique_ptr<SearchIndex>> SearchIndex::openReadOnly(const std::string& path,
                                                                     std::int64_t generation) {
  try {
    Xapian::Database db(path);
    std::unique_ptr<SearchIndex> index(
        new SearchIndex(fs::path(path).parent_path().string(), path, generation));
    index->readOnly_ = true;
    index->lastCommit_ = db.get_metadata(kLastCommitKey);
    index->format_ = db.get_metadata(kFormatKey);
    index->stubSeen_ = readSmallFile(fs::path(path) / kReplicaStubFile);
    return index;
  } catch (const Xapian::Error& error) {
    return indexError("search_index_unavailable", error.get_description());
  }
}

std::string SearchIndex::currentName(const std::string& folder) {
  const std::string name = readCurrent(folder);
  return generationOf(name) < 0 ? "" : name;
}

std::int64_t SearchIndex::generationOfName(const std::string& name) { return generationOf(name); }

std::string SearchIndex::lastCommitOf(const std::string& path) {
  try {
    return Xapian::Database(path).get_metadata(kLastCommitKey);
  } catch (const Xapian::Error&) {
    return "";
  }
}

void keepChangesets(int count) {
  ::setenv("XAPIAN_MAX_CHANGESETS", std::to_string(count).c_str(), 1);
}

Xapian::WritableDatabase& SearchIndex::writer() const {
  if (readOnly_) throw std::logic_error("search index opened read-only: " + currentPath_);
  return *writer_;
}

void SearchIndex::releaseWriter() {
  std::lock_guard lock(mutex_);
  if (!writer_) return;
  try {
    writer_->close();
  } catch (const Xapian::Error&) {
  }
  readOnly_ = true;
}

std::string SearchIndex::path() const {
  std::lock_guard lock(mutex_);
  return currentPath_;
}

void SearchIndex::put(const IndexedVersion& version) {
  std::lock_guard lock(mutex_);
  try {
    writer().replace_document(terms::uniqueTerm(version), terms::makeDocument(version));
  } catch (const Xapian::Error& error) {
    rethrowXapian(error);
  }
}

void SearchIndex::commit() {
  std::lock_guard lock(mutex_);
  const std::string committedAt = core::formatRfc3339(core::nowUtc());
  try {
    writer().set_metadata(kLastCommitKey, committedAt);
    writer().commit();
  } catch (const Xapian::Error& error) {
    rethrowXapian(error);
  }
  lastCommit_ = committedAt;
}

void SearchIndex::followReplicaStub() const {
  std::string stub;
  {
    std::lock_guard lock(mutex_);
    if (!readOnly_ || writer_) return;  // a writer's own index, or one released (not a replica)
    stub = currentPath_;
  }
  stub = readSmallFile(fs::path(stub) / kReplicaStubFile);
  std::lock_guard lock(mutex_);
  if (stub == stubSeen_) return;
  stubSeen_ = stub;
  ++epoch_;
  readers_.clear();
}

SearchIndex::Reader SearchIndex::openReader() const {
  followReplicaStub();
  std::string path;
  std::int64_t epoch = 0;
  {
    std::lock_guard lock(mutex_);
    epoch = epoch_;
    while (!readers_.empty()) {
      Reader reader = std::move(readers_.back());
      readers_.pop_back();
      if (reader.epoch == epoch) {
        reader.db->reopen();  // see the latest commit
        return reader;
      }
    }
    path = currentPath_;
  }
  return Reader{epoch, std::make_unique<Xapian::Database>(path)};
}

void SearchIndex::returnReader(Reader reader) const {
  std::lock_guard lock(mutex_);
  // A reader of a replaced index is dropped rather than kept.
  if (reader.epoch == epoch_ && readers_.size() < kPooledReaders) {
    readers_.push_back(std::move(reader));
  }
}

core::Result<SearchResult> SearchIndex::search(const SearchRequest& request,
                                               const Viewer& viewer) const {
  for (int attempt = 0;; ++attempt) {
    try {
      Reader reader = openReader();
      // A large index is searched in two halves at once, with a reader each (see allWordsTier);
      // both must read the same revision of the same index (a rebuild between the two opens
      // starts another epoch), else the second is not used.
      std::optional<Reader> second;
      if (reader.db->get_lastdocid() >= splitFrom_.load()) {
        second = openReader();
        if (second->epoch != reader.epoch ||
            second->db->get_revision() != reader.db->get_revision()) {
          returnReader(std::move(*second));
          second.reset();
        }
      }
      SearchResult result =
          runSearch(*reader.db, second ? second->db.get() : nullptr, request, viewer);
      returnReader(std::move(reader));
      if (second) returnReader(std::move(*second));
      return result;
    } catch (const Xapian::DatabaseModifiedError&) {
      // A commit overwrote what this reader was reading; a fresh reader sees the new revision.
      if (attempt >= 2)
        return indexError("search_busy", "索引正在更新，请重试 (index busy, retry)");
    } catch (const Xapian::DatabaseOpeningError& error) {
      // A replica's full copy removed the folder a pooled reader had open: the stub file now
      // names the new one.
      if (!readOnly_ || attempt >= 2) return indexError("search_failed", error.get_description());
    } catch (const Xapian::Error& error) {
      return indexError("search_failed", error.get_description());
    }
  }
}

bool SearchIndex::hasCurrentFormat() const {
  std::lock_guard lock(mutex_);
  return format_ == terms::kIndexFormat;
}

IndexStats SearchIndex::stats() const {
  IndexStats stats;
  std::string path;
  bool readOnly = false;
  {
    std::lock_guard lock(mutex_);
    stats.last_commit = lastCommit_;
    stats.generation = generation_.load();
    path = currentPath_;
    readOnly = readOnly_;
  }
  try {
    Xapian::Database db(path);
    stats.versions = db.get_doccount();
    stats.documents = db.get_termfreq(terms::kCurrent);
    // Another process commits to it (the writer, or xapian-replicate).
    if (readOnly) stats.last_commit = db.get_metadata(kLastCommitKey);
  } catch (const Xapian::Error&) {
  }
  stats.bytes = folderBytes(path);
  return stats;
}

SearchIndex::Rebuild::Rebuild(std::string path, std::int64_t generation)
    : path_(std::move(path)), generation_(generation) {
  std::error_code error;
  fs::remove_all(path_, error);  // a leftover of an abandoned rebuild of the same generation
  firstPass_ = std::make_unique<ParallelBuilder>(partsFolderOf(path_), rebuildThreads());
}

SearchIndex::Rebuild::~Rebuild() {
  firstPass_.reset();  // stops its workers and removes the parts
  if (swapped_) return;
  // Abandoned: drop the half-built index.
  if (db_) {
    try {
      db_->close();
    } catch (const Xapian::Error&) {
    }
  }
  std::error_code error;
  fs::remove_all(path_, error);
}

void SearchIndex::Rebuild::put(const IndexedVersion& version) {
  if (firstPass_) {
    firstPass_->add(version);
    return;
  }
  try {
    db_->replace_document(terms::uniqueTerm(version), terms::makeDocument(version));
  } catch (const Xapian::Error& error) {
    rethrowXapian(error);
  }
}

void SearchIndex::Rebuild::catchUp() {
  if (!firstPass_) return;
  firstPass_->finishInto(path_);
  firstPass_.reset();
  try {
    db_ = std::make_unique<Xapian::WritableDatabase>(path_, Xapian::DB_OPEN);
  } catch (const Xapian::Error& error) {
    rethrowXapian(error);
  }
}

std::unique_ptr<SearchIndex::Rebuild> SearchIndex::startRebuild() {
  if (readOnly_) throw std::logic_error("search index opened read-only: " + currentPath_);
  const std::int64_t generation = generation_.load() + 1;
  return std::unique_ptr<Rebuild>(
      new Rebuild((fs::path(folder_) / indexFolderName(generation)).string(), generation));
}

void SearchIndex::swapIn(std::unique_ptr<Rebuild> rebuild) {
  rebuild->catchUp();  // before taking the lock: searches go on while the parts are merged
  const std::string committedAt = core::formatRfc3339(core::nowUtc());
  std::lock_guard lock(mutex_);
  try {
    rebuild->db_->set_metadata(kLastCommitKey, committedAt);
    rebuild->db_->set_metadata(kFormatKey, terms::kIndexFormat);
    rebuild->db_->commit();
    writer().close();
  } catch (const Xapian::Error& error) {
    rethrowXapian(error);
  }
  writer_ = std::move(rebuild->db_);
  format_ = terms::kIndexFormat;
  writeCurrent(folder_, indexFolderName(rebuild->generation_));
  rebuild->swapped_ = true;
  currentPath_ = rebuild->path_;
  lastCommit_ = committedAt;
  generation_ = rebuild->generation_;
  ++epoch_;
  readers_.clear();
  // Searches still running on the retired index hold its files open; it is removed at the next
  // open, not now, so none of them fails mid-read.
}

}  // namespace gongkai::indexer
