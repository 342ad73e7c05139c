// The Xapian index on its own: Chinese queries of every kind the issue names, filters and facets,
// snippets, history, hostile queries, and a rebuild swapped in while searches go on.
#include "gongkai/indexer/search_index.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gongkai/indexer/snippet.h"
#include "support/temp_dir.h"

namespace gongkai::indexer {
namespace {

IndexedVersion version(std::int64_t id, std::string title, std::string number, std::string text,
                       std::string category = "ZZ", int year = 2023,
                       std::string unit = "孝德镇卫生院党支部") {
  IndexedVersion v;
  v.document_id = id;
  v.version = 1;
  v.title = std::move(title);
  v.doc_number = std::move(number);
  v.file_texts = {std::move(text)};
  v.category = std::move(category);
  v.org_unit = std::move(unit);
  v.scope = "public";
  v.status = "draft";
  v.mode = "proactive";
  v.period = "standing";
  v.year = year;
  v.date = {year, 3, 1};
  return v;
}

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SearchIndex::open(dir_.path() + "/search");
    ASSERT_TRUE(opened.ok());
    index_ = std::move(opened).value();
    index_->put(version(1, "党务公开工作情况汇报", "连发[2010]37号",
                        "按照连发[2010]"
                        "37号《中共连云港市委关于实行党务公开的意见》的精神要求，我院党委将推进党务"
                        "公开工作作为长效措施。",
                        "QJ", 2010, "连云港市妇幼保健院党委"));
    index_->put(
        version(2, "党组织党务公开实施方案", "孝卫党发[2023]1号",
                "根据实施意见制定本方案，2023年1月6日印发。落实党风廉政建设责任制，加强党内监督。",
                "ZZ", 2023));
    index_->put(version(3, "关于OA系统上线党建平台的通知", "", "党建平台接入OA系统，支部书记负责。",
                        "ZZ", 2023));
    index_->put(version(4, "２０１０年度党费收缴情况公示", "", "党费收缴登记情况，按季度公开。",
                        "CW", 2011));
    index_->put(version(5, "民主评议党员工作安排", "", "开展民主评议党员，召开组织生活会。", "DY",
                        2022, "孝德镇卫生院党支部"));
    index_->commit();
  }

  SearchResult search(const std::string& query, SearchRequest request = {}) {
    request.query = query;
    auto result = index_->search(request, Viewer{});
    EXPECT_TRUE(result.ok()) << query;
    return result.ok() ? result.value() : SearchResult{};
  }

  static std::vector<std::int64_t> ids(const SearchResult& result) {
    std::vector<std::int64_t> out;
    for (const auto& hit : result.hits) out.push_back(hit.document_id);
    return out;
  }

  gongkai::testing::TempDir dir_;
  std::unique_ptr<SearchIndex> index_;
};

TEST_F(SearchIndexTest, ADocumentNumberTypedWholeFindsItsDocumentFirst) {
  auto result = search("连发[2010]37号");
  ASSERT_FALSE(result.hits.empty());
  EXPECT_EQ(result.hits[0].document_id, 1);
  EXPECT_EQ(result.hits[0].doc_number, "连发[2010]37号");
  result = search("孝卫党发[2023]1号");
  ASSERT_FALSE(result.hits.empty());
  EXPECT_EQ(result.hits[0].document_id, 2);
}

TEST_F(SearchIndexTest, DatesPhrasesAndSingleCharacters) {
  EXPECT_EQ(ids(search("2023年1月6日")), std::vector<std::int64_t>{2});
  EXPECT_EQ(ids(search("党风廉政建设责任制")), std::vector<std::int64_t>{2});
  EXPECT_EQ(ids(search("廉政建设")), std::vector<std::int64_t>{2});
  EXPECT_EQ(ids(search("\"民主评议\"")), std::vector<std::int64_t>{5});
  const auto single = search("党");
  EXPECT_EQ(single.total, 5);
  EXPECT_EQ(search("鸡").total, 0);
}

TEST_F(SearchIndexTest, MixedChineseAndLatinQueriesNeverFail) {
  EXPECT_EQ(ids(search("OA系统")), std::vector<std::int64_t>{3});
  EXPECT_EQ(ids(search("oa 党建平台")), std::vector<std::int64_t>{3});
  // Latin, space, Chinese, more Latin: Xapian 1.4.22's parser throws a parse error on this shape
  // (fixed in 1.4.25); the query is then taken word by word and still finds its document.
  const auto fallback = search("oa 党建平台 oa");
  EXPECT_TRUE(fallback.fallback_query);
  EXPECT_EQ(ids(fallback), std::vector<std::int64_t>{3});
  EXPECT_FALSE(search("oa 党建平台").fallback_query);
  // A joiner with nothing before it joins nothing and is dropped before Xapian 1.4.22's parser,
  // which leaks a node each time it refuses this shape.
  EXPECT_EQ(ids(search("OR oa 党建平台 oa")), std::vector<std::int64_t>{3});
  EXPECT_EQ(ids(search("AND OR OA系统")), std::vector<std::int64_t>{3});
  EXPECT_EQ(search("OR").total, 0);  // operators alone still search for nothing
  for (const char* query :
       {"abc党建def", "党建 AND oa", "C++党支部", "title:党务abc", "OA系统\"党建", "(党建 OR oa",
        "党建 NOT", "NOT NOT", "AND", "\"\"", "title:", "*党*", "党~2", "-党建 +oa", "党建 NEAR oa",
        "\xff\xfe党", "+", "\"OA系统 党建\"", "文号:连发"}) {
    SearchRequest request;
    request.query = query;
    EXPECT_TRUE(index_->search(request, Viewer{}).ok()) << query;
  }
}

TEST_F(SearchIndexTest, FullWidthTextAndQueriesMeetInTheMiddle) {
  EXPECT_EQ(ids(search("2010年度")), std::vector<std::int64_t>{4});  // indexed full-width
  EXPECT_EQ(ids(search("ＯＡ系统")), std::vector<std::int64_t>{3});  // queried full-width
  const auto result = search("２０１０");
  EXPECT_EQ(result.total, 2);  // document 1's number and text, document 4's title
}

TEST_F(SearchIndexTest, TitleMatchesRankAboveBodyMatches) {
  const auto result = search("党费");
  ASSERT_EQ(result.hits.size(), 1u);
  const auto both = search("党务公开");
  ASSERT_GE(both.hits.size(), 2u);
  EXPECT_TRUE(both.hits[0].document_id == 1 || both.hits[0].document_id == 2);
}

TEST_F(SearchIndexTest, APlainQuerySearchesEveryFieldAndPhrasesStayWithinOne) {
  // Title, summary and number are indexed under their prefixes, with positions, and their terms
  // again unprefixed beside the file texts' (no positions): plain words are matched there,
  // phrases and field queries in each field.
  IndexedVersion sixth = version(6, "组织生活会通知", "测发[2024]9号", "正文内容另附。");
  sixth.summary = "年度考核办法说明";
  index_->put(sixth);
  index_->commit();
  EXPECT_EQ(ids(search("考核办法")), std::vector<std::int64_t>{6});        // summary only
  EXPECT_EQ(ids(search("\"年度考核\"")), std::vector<std::int64_t>{6});    // phrase in summary
  EXPECT_EQ(ids(search("\"生活会通知\"")), std::vector<std::int64_t>{6});  // phrase in title
  EXPECT_EQ(ids(search("测发")), std::vector<std::int64_t>{6});            // number only
  EXPECT_EQ(search("\"通知正文\"").total, 0);  // the title's end and the text's start
  EXPECT_EQ(ids(search("摘要:考核")), std::vector<std::int64_t>{6});
  EXPECT_EQ(search("摘要:正文").total, 0);
  // In a title it ranks above the same words in another document's text.
  const auto result = search("组织生活会");
  ASSERT_EQ(result.hits.size(), 2u);
  EXPECT_EQ(result.hits[0].document_id, 6);
  EXPECT_EQ(result.hits[1].document_id, 5);
}

// Quoted phrases are matched by the positions of single characters (Xapian 1.4's query parser
// makes a phrase of each character of a CJK run) and of Latin words; the bigrams carry no
// positions. These phrases must keep working whatever the index layout saves.
TEST_F(SearchIndexTest, QuotedPhrasesOfTwoThreeAndFiveCharactersAndMixedLatinMatchOnlyInOrder) {
  // Document 2 holds 落实党风廉政建设责任制. Document 6 holds every bigram of 党风廉 and of
  // 廉政建设责 but neither run, so only positions tell them apart; 8 holds 政 and 建 apart.
  index_->put(
      version(6, "学习安排", "", "本支部抓党风建设，作风廉洁；推进廉政建设工作，落实建设责任。"));
  index_->put(version(7, "设备采购", "", "采购OA系统服务器一台，系统由OA厂商维护。"));
  index_->put(version(8, "会议纪要", "", "会议听取建设廉政情况。"));
  index_->commit();
  // Two characters: 廉政 in 2, 6 and 8; 政建 in 2 and 6 only (8 has 廉政 then 情).
  EXPECT_EQ(search("\"廉政\"").total, 3);
  EXPECT_EQ(search("\"政建\"").total, 2);
  EXPECT_EQ(search("\"政廉\"").total, 0);
  // Three characters: unquoted, document 6 matches by its bigrams; quoted, only 2.
  EXPECT_EQ(search("党风廉").total, 2);
  EXPECT_EQ(ids(search("\"党风廉\"")), std::vector<std::int64_t>{2});
  // Five characters, likewise, and the same five out of order.
  EXPECT_EQ(search("廉政建设责").total, 2);
  EXPECT_EQ(ids(search("\"廉政建设责\"")), std::vector<std::int64_t>{2});
  EXPECT_EQ(search("\"建设廉政责\"").total, 0);
  EXPECT_EQ(ids(search("\"建设廉政情\"")), std::vector<std::int64_t>{8});
  // Latin then Chinese and Chinese then Latin: "OA系统" is in 3 and 7, "系统由OA" in 7 only.
  EXPECT_EQ(search("\"OA系统\"").total, 2);
  EXPECT_EQ(ids(search("\"系统由OA\"")), std::vector<std::int64_t>{7});
  EXPECT_EQ(search("\"OA由系统\"").total, 0);
  // Within one field: a phrase in a title, and none across the title's end and the text.
  EXPECT_EQ(ids(search("\"学习安排\"")), std::vector<std::int64_t>{6});
  EXPECT_EQ(ids(search("标题:\"系统\"")), std::vector<std::int64_t>{3});
  EXPECT_EQ(search("\"安排本支部\"").total, 0);
}

// What the phrases above rest on, read from the index itself: the characters and Latin words of
// every text field carry positions, the bigrams and dictionary words none.
TEST_F(SearchIndexTest, OnlyCharactersAndLatinWordsCarryPositions) {
  Xapian::Database db(index_->path());
  const auto positions = [&](const std::string& term) {
    for (auto post = db.postlist_begin(term); post != db.postlist_end(term); ++post) {
      return db.positionlist_begin(*post, term) != db.positionlist_end(*post, term);
    }
    ADD_FAILURE() << "no document holds " << term;
    return false;
  };
  EXPECT_TRUE(positions("廉"));     // body character
  EXPECT_TRUE(positions("S公"));    // title character
  EXPECT_TRUE(positions("oa"));     // Latin word
  EXPECT_TRUE(positions("N2010"));  // number digits
  EXPECT_FALSE(positions("廉政"));  // body bigram
  EXPECT_FALSE(positions("S公开"));
  // A dictionary word: whichever ICU's word break found first.
  ASSERT_NE(db.allterms_begin("W"), db.allterms_end("W"));
  EXPECT_FALSE(positions(*db.allterms_begin("W")));
}

// A hit shows what went in: its fields (category, org unit, scope, date) and its snippet text,
// with characters outside the common range and Latin text.
TEST_F(SearchIndexTest, AHitShowsItsFieldsAndTextAsIndexed) {
  IndexedVersion v = version(9, "罕用字测试", "测[2024]2号",
                             "𠀀𪚥 ｅｍｏｊｉ 😀 café 党建 — «» \t tab 顿号、句号。", "CW", 2024,
                             "连云港市妇幼保健院党委");
  v.scope = "internal";
  v.date = {2024, 12, 31};
  index_->put(v);
  index_->commit();
  const auto result = search("罕用字");
  ASSERT_EQ(result.hits.size(), 1u);
  const auto& hit = result.hits[0];
  EXPECT_EQ(hit.document_id, 9);
  EXPECT_EQ(hit.title, "罕用字测试");
  EXPECT_EQ(hit.doc_number, "测[2024]2号");
  EXPECT_EQ(hit.category, "CW");
  EXPECT_EQ(hit.org_unit, "连云港市妇幼保健院党委");
  EXPECT_EQ(hit.scope, "internal");
  EXPECT_EQ(hit.date.year, 2024);
  EXPECT_EQ(hit.date.month, 12);
  EXPECT_EQ(hit.date.day, 31);
  EXPECT_EQ(hit.status, "draft");
  EXPECT_EQ(hit.type, "document");
  EXPECT_TRUE(hit.current);
  const std::string kept = "𠀀𪚥 ｅｍｏｊｉ 😀 café 党建 — «»";
  EXPECT_NE(hit.snippet.find(kept), std::string::npos) << hit.snippet;
}

TEST_F(SearchIndexTest, AViewerSeesOnlyWhatItsClausesAdmitInHitsAndFacets) {
  IndexedVersion internal = version(6, "党费收缴内部通报", "", "党费。", "ZZ", 2023, "branch-a");
  internal.scope = "internal";
  IndexedVersion published = version(7, "党费收缴公示", "", "党费。", "CW", 2023, "branch-b");
  published.status = "published";
  index_->put(internal);
  index_->put(published);
  index_->commit();
  SearchRequest request;
  request.query = "党费";
  const auto seen = [&](const Viewer& viewer) {
    auto result = index_->search(request, viewer);
    EXPECT_TRUE(result.ok());
    std::vector<std::int64_t> out;
    for (const auto& hit : result.value().hits) out.push_back(hit.document_id);
    std::sort(out.begin(), out.end());
    std::int64_t counted = 0;
    for (const auto& [value, count] : result.value().facets["category"]) counted += count;
    EXPECT_EQ(counted, result.value().total);  // facets count only what may be seen
    return out;
  };
  EXPECT_EQ(seen(Viewer{}), (std::vector<std::int64_t>{4, 6, 7}));
  Viewer publicViewer{false, {{{"public"}, {"published"}, std::nullopt}}};
  EXPECT_EQ(seen(publicViewer), std::vector<std::int64_t>{7});
  Viewer branchA{false,
                 {{{"public", "internal"}, {"draft"}, std::vector<std::string>{"branch-a"}},
                  {{"public"}, {"published"}, std::nullopt}}};
  EXPECT_EQ(seen(branchA), (std::vector<std::int64_t>{6, 7}));
  EXPECT_TRUE(seen(Viewer{false, {}}).empty());
}

TEST_F(SearchIndexTest, FieldPrefixesAndBooleanOperators) {
  EXPECT_EQ(ids(search("title:党费")), std::vector<std::int64_t>{4});
  EXPECT_EQ(ids(search("标题:民主评议")), std::vector<std::int64_t>{5});
  EXPECT_EQ(search("title:监督").total, 0);  // only in a body
  EXPECT_EQ(search("党费 OR 民主评议").total, 2);
  EXPECT_EQ(search("党建 NOT 支部书记").total, 0);
  EXPECT_EQ(search("党建平台 AND OA").total, 1);
}

// Each thread keeps one query parser for all its searches: a query reads the same after the
// parser refused another, and a new thread's parser knows the field prefixes too.
TEST_F(SearchIndexTest, TheQueryParserKeptPerThreadReadsEveryQueryAfresh) {
  const std::vector<std::int64_t> title = ids(search("title:党费"));
  ASSERT_EQ(title, std::vector<std::int64_t>{4});
  EXPECT_TRUE(search("oa 党建平台 oa").fallback_query);  // refused by the parser
  EXPECT_EQ(ids(search("title:党费")), title);
  EXPECT_EQ(search("党建 NOT 支部书记").total, 0);
  EXPECT_EQ(search("title:监督").total, 0);
  std::vector<std::int64_t> onAnotherThread;
  std::thread([&] { onAnotherThread = ids(search("title:党费")); }).join();
  EXPECT_EQ(onAnotherThread, title);
}

TEST_F(SearchIndexTest, FiltersGoIntoTheQuerySoFacetsCountAllMatches) {
  SearchRequest request;
  request.categories = {"ZZ"};
  auto result = search("党", request);
  EXPECT_EQ(result.total, 2);
  EXPECT_EQ(result.facets["category"]["ZZ"], 2);
  EXPECT_EQ(result.facets["category"].count("QJ"), 0u);

  result = search("党");
  EXPECT_EQ(result.facets["category"]["ZZ"], 2);
  EXPECT_EQ(result.facets["category"]["QJ"], 1);
  EXPECT_EQ(result.facets["year"]["2023"], 2);
  EXPECT_EQ(result.facets["org_unit"]["孝德镇卫生院党支部"], 4);
  EXPECT_EQ(result.facets["scope"]["public"], 5);

  request = {};
  request.years = {2010, 2011};
  EXPECT_EQ(search("", request).total, 2);
  request = {};
  request.from = core::Date{2022, 1, 1};
  request.to = core::Date{2022, 12, 31};
  EXPECT_EQ(ids(search("", request)), std::vector<std::int64_t>{5});
  request = {};
  request.limit = 2;
  request.offset = 4;
  result = search("党", request);
  EXPECT_EQ(result.total, 5);
  EXPECT_EQ(result.hits.size(), 1u);
}

// Issue 24: when the all-words hits fill the page, the partial tier is only a number, and an
// exact one would cost a pass over every document holding either word: it is counted up to 100
// and estimated past that. A page that shows partial hits counts them exactly.
TEST_F(SearchIndexTest, ThePartialCountIsEstimatedOnlyWhenNoneOfItIsShown) {
  for (std::int64_t id = 100; id < 130; ++id) {
    index_->put(version(id, "换届选举工作安排", "", "召开换届选举大会，确定候选人名单。"));
  }
  for (std::int64_t id = 130; id < 260; ++id) {  // 10 in ZZ, 120 in DF
    index_->put(version(id, "换届选举工作安排", "", "召开换届选举大会。", id < 140 ? "ZZ" : "DF"));
  }
  index_->commit();

  SearchRequest request;
  request.limit = 20;
  const auto full = search("换届选举 候选人", request);
  EXPECT_EQ(full.total_all_words, 30);
  EXPECT_FALSE(full.total_partial_exact);
  EXPECT_GE(full.total_partial, 100);  // counted that far, Xapian's estimate beyond
  EXPECT_EQ(full.total, full.total_all_words + full.total_partial);
  ASSERT_EQ(full.hits.size(), 20u);
  EXPECT_TRUE(std::none_of(full.hits.begin(), full.hits.end(), [](auto& h) { return h.partial; }));
  EXPECT_EQ(full.missing_terms, std::vector<std::string>{"候选人"});

  request.offset = 20;  // 10 all-words hits, then the first 10 partial ones
  const auto boundary = search("换届选举 候选人", request);
  EXPECT_TRUE(boundary.total_partial_exact);
  EXPECT_EQ(boundary.total_partial, 130);
  EXPECT_EQ(boundary.total, 160);
  ASSERT_EQ(boundary.hits.size(), 20u);
  EXPECT_FALSE(boundary.hits[9].partial);
  EXPECT_TRUE(boundary.hits[10].partial);
  EXPECT_EQ(boundary.hits[10].missing_terms, std::vector<std::string>{"候选人"});

  // Fewer partial matches than the count goes to: exact even on a full page.
  request.offset = 0;
  request.categories = {"ZZ"};
  const auto few = search("换届选举 候选人", request);
  EXPECT_TRUE(few.total_partial_exact);
  EXPECT_EQ(few.total_partial, 10);
  EXPECT_EQ(few.total, 40);
}

// Issue 23: a large index is searched in two halves by document id at once, on two threads. The
// halves' best matches merged, their counts and facets added, must be what one pass gives, in
// every order (relevance with ties, by date), on any page, with filters and both tiers.
TEST_F(SearchIndexTest, AnIndexSearchedInTwoHalvesAnswersAsOnePass) {
  const char* categories[] = {"ZZ", "QJ", "DF"};
  const char* texts[] = {"召开换届选举大会，确定候选人名单。", "召开换届选举大会。",
                         "落实党风廉政建设责任制，召开换届选举大会。", "党费收缴登记情况。"};
  for (std::int64_t id = 100; id < 220; ++id) {
    IndexedVersion v = version(id, id % 5 == 0 ? "换届选举工作安排" : "工作安排", "", texts[id % 4],
                               categories[id % 3], 2016 + static_cast<int>(id % 7));
    v.date = {v.year, 1 + static_cast<int>(id % 12), 1 + static_cast<int>(id % 28)};
    index_->put(v);
  }
  index_->commit();

  std::vector<SearchRequest> requests;
  for (const char* query : {"换届选举 候选人", "换届选举", "党", "", "党风廉政 候选人"}) {
    for (int offset : {0, 7, 95}) {
      SearchRequest request;
      request.query = query;
      request.offset = offset;
      request.limit = 13;
      requests.push_back(request);
      request.sort_by_date = true;
      requests.push_back(request);
      request.sort_by_date = false;
      request.categories = {"ZZ", "DF"};
      requests.push_back(request);
    }
  }
  auto answers = [&] {
    std::vector<SearchResult> out;
    for (const auto& request : requests) {
      auto result = index_->search(request, Viewer{});
      EXPECT_TRUE(result.ok());
      out.push_back(result.ok() ? result.value() : SearchResult{});
    }
    return out;
  };
  const auto onePass = answers();
  index_->setSplitSearchFrom(1);
  const auto halves = answers();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    SCOPED_TRACE("\"" + requests[i].query + "\" offset " + std::to_string(requests[i].offset) +
                 (requests[i].sort_by_date ? " by date" : "") +
                 (requests[i].categories.empty() ? "" : " in ZZ, DF"));
    const SearchResult& a = onePass[i];
    const SearchResult& b = halves[i];
    EXPECT_EQ(a.total, b.total);
    EXPECT_EQ(a.total_all_words, b.total_all_words);
    EXPECT_EQ(a.total_partial, b.total_partial);
    EXPECT_EQ(a.total_partial_exact, b.total_partial_exact);
    EXPECT_EQ(a.facets, b.facets);
    EXPECT_EQ(a.facets_count_partial, b.facets_count_partial);
    EXPECT_EQ(a.missing_terms, b.missing_terms);
    ASSERT_EQ(a.hits.size(), b.hits.size());
    for (std::size_t h = 0; h < a.hits.size(); ++h) {
      EXPECT_EQ(a.hits[h].document_id, b.hits[h].document_id) << "hit " << h;
      EXPECT_DOUBLE_EQ(a.hits[h].score, b.hits[h].score) << "hit " << h;
      EXPECT_EQ(a.hits[h].snippet, b.hits[h].snippet) << "hit " << h;
      EXPECT_EQ(a.hits[h].partial, b.hits[h].partial) << "hit " << h;
      EXPECT_EQ(a.hits[h].missing_terms, b.hits[h].missing_terms) << "hit " << h;
    }
  }
  // The comparison means something: pages hold hits from both halves, and some weights tie.
  EXPECT_EQ(onePass[0].total_all_words, 30);
  EXPECT_EQ(onePass[3].total_all_words, 30);
  EXPECT_GT(onePass[3].total_partial, 0);
}

TEST_F(SearchIndexTest, AnEmptyQueryListsNewestFirstAndPunctuationFindsNothing) {
  const auto all = search("   ");
  EXPECT_EQ(all.total, 5);
  EXPECT_EQ(all.hits[0].date.year, 2023);
  EXPECT_EQ(all.hits.back().date.year, 2010);
  EXPECT_EQ(search("，。！？").total, 0);
  EXPECT_EQ(search(std::string(5000, '(')).total, 0);
}

TEST_F(SearchIndexTest, SnippetsMarkMatchesAndMergeTouchingOnes) {
  const auto result = search("党务公开");
  ASSERT_FALSE(result.hits.empty());
  bool sawWhole = false;
  for (const auto& hit : result.hits) {
    EXPECT_EQ(hit.snippet.find("</mark><mark>"), std::string::npos) << hit.snippet;
    sawWhole = sawWhole || hit.snippet.find("<mark>党务公开</mark>") != std::string::npos;
  }
  EXPECT_TRUE(sawWhole);
  EXPECT_EQ(makeSnippet("a<b> & 党建", {"党建"}), "a&lt;b&gt; &amp; <mark>党建</mark>");
  EXPECT_EQ(makeSnippet("ＯＡ系统", highlightTerms("oa")), "<mark>ＯＡ</mark>系统");
  EXPECT_EQ(makeSnippet("民主评议党员", highlightTerms("民主 评议")), "<mark>民主评议</mark>党员");
  // Traditional text is marked for a simplified query and the reverse, in its own characters.
  EXPECT_EQ(makeSnippet("本報告介紹黨務公開工作", highlightTerms("党务公开")),
            "本報告介紹<mark>黨務公開</mark>工作");
  EXPECT_EQ(makeSnippet("党务公开", highlightTerms("黨務公開")), "<mark>党务公开</mark>");
  const std::string longText = std::string(600, 'x') + "党风廉政建设" + std::string(600, 'y');
  const std::string cut = makeSnippet(longText, {"党风廉政建设"}, 40);
  EXPECT_EQ(cut.rfind("…", 0), 0u);
  EXPECT_NE(cut.find("<mark>党风廉政建设</mark>"), std::string::npos);
}

TEST_F(SearchIndexTest, SupersededVersionsAreFoundWhenHistoryIsAsked) {
  auto first = version(6, "换届选举结果公示（初稿）", "", "选举产生新一届支部委员会。");
  first.current = false;
  auto second = first;
  second.version = 2;
  second.current = true;
  second.title = "换届选举结果公示";
  second.file_texts = {"支部委员会换届完成。"};
  index_->put(first);
  index_->put(second);
  index_->commit();
  EXPECT_EQ(search("初稿").total, 0);
  SearchRequest request;
  request.history = true;
  const auto result = search("初稿", request);
  ASSERT_EQ(result.total, 1);
  EXPECT_EQ(result.hits[0].version, 1);
  EXPECT_FALSE(result.hits[0].current);
  EXPECT_EQ(search("换届", request).total, 2);
  EXPECT_EQ(search("换届").total, 1);
  EXPECT_EQ(index_->stats().documents, 6);
  EXPECT_EQ(index_->stats().versions, 7);
}

TEST_F(SearchIndexTest, ARebuildIsSwappedInWhileSearchesGoOn) {
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, searches{0};
  std::thread searcher([&] {
    while (!stop) {
      SearchRequest request;
      request.query = "党";
      auto result = index_->search(request, Viewer{});
      if (!result.ok() || result.value().total < 5) ++failures;
      ++searches;
    }
  });
  auto rebuild = index_->startRebuild();
  for (int id = 1; id <= 2000; ++id) {
    rebuild->put(version(id, "党建工作第" + std::to_string(id) + "号通知", "", "党支部工作安排。"));
  }
  index_->swapIn(std::move(rebuild));
  while (searches < 20) std::this_thread::yield();
  stop = true;
  searcher.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(search("党").total, 2000);
  EXPECT_EQ(index_->stats().generation, 2);

  // Reopening finds the rebuilt index and clears the retired one away.
  index_.reset();
  auto reopened = SearchIndex::open(dir_.path() + "/search");
  ASSERT_TRUE(reopened.ok());
  index_ = std::move(reopened).value();
  EXPECT_EQ(search("党").total, 2000);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/search/index-1"));
}

TEST_F(SearchIndexTest, ARebuildOfManyPartsMergesThemInArrivalOrder) {
  // 6,000 versions make two parts on the worker threads; equal texts score equally, so the
  // order of hits is the order of document ids in the merged index: the order they were put
  // (all are of one category).
  const std::string folder = dir_.path() + "/search";
  auto rebuild = index_->startRebuild();
  for (int id = 6000; id >= 1; --id) {
    rebuild->put(version(id, "换届选举工作通知", "", "请各支部按期完成换届。"));
  }
  EXPECT_TRUE(std::filesystem::exists(folder + "/index-2.parts"));
  rebuild->catchUp();
  // After catchUp a version put again replaces the one from the first pass.
  rebuild->put(version(6000, "换届选举工作通知（更正）", "", "请各支部按期完成换届。"));
  index_->swapIn(std::move(rebuild));
  EXPECT_FALSE(std::filesystem::exists(folder + "/index-2.parts"));
  SearchRequest request;
  request.limit = 5;
  const auto result = search("换届选举", request);
  EXPECT_EQ(result.total, 6000);
  EXPECT_EQ(ids(result), (std::vector<std::int64_t>{5999, 5998, 5997, 5996, 5995}));
  EXPECT_EQ(ids(search("更正")), std::vector<std::int64_t>{6000});
  EXPECT_EQ(index_->stats().versions, 6000);

  // The merged index takes ordinary updates afterwards.
  index_->put(version(7000, "更正声明", "", "见前文。"));
  index_->commit();
  EXPECT_EQ(search("更正").total, 2);
}

TEST_F(SearchIndexTest, ARebuildGivesNeighbouringIdsToVersionsOfOneCategory) {
  // Within a part, current versions come first, then each type, category and unit together (so
  // a filtered search reads fewer posting-list and value chunks); otherwise the order is the
  // order they were put. Equal texts score equally, so hits come in document-id order.
  auto rebuild = index_->startRebuild();
  for (int id = 1; id <= 8; ++id) {
    IndexedVersion v = version(id, "组织生活会通知", "", "请按时参加。", id % 2 ? "ZZ" : "DF");
    v.current = id != 3;
    rebuild->put(v);
  }
  index_->swapIn(std::move(rebuild));
  SearchRequest request;
  request.history = true;
  EXPECT_EQ(ids(search("组织生活会", request)),
            (std::vector<std::int64_t>{2, 4, 6, 8, 1, 5, 7, 3}));
}

TEST_F(SearchIndexTest, TheLastPartsOfARebuildKeepOneCategoryTogether) {
  // A rebuild's last versions are indexed in small parts (so both workers finish together);
  // 2,600 versions of two alternating categories are cut into several of them, and the order
  // must run across the cuts: first every DF version, then every ZZ one. (The cut itself only
  // changes timing; what this guards is that it keeps the order a single part would have.)
  auto rebuild = index_->startRebuild();
  for (int id = 1; id <= 2600; ++id) {
    rebuild->put(version(id, "组织生活会通知", "", "请按时参加。", id % 2 ? "ZZ" : "DF"));
  }
  index_->swapIn(std::move(rebuild));
  SearchRequest request;
  request.limit = 100;
  for (int offset : {0, 1200, 1300, 2500}) {
    request.offset = offset;
    const auto page = ids(search("组织生活会", request));
    ASSERT_EQ(page.size(), 100u);
    const int category = offset < 1300 ? 0 : 1;  // DF: even ids, ZZ: odd ids
    for (std::int64_t id : page)
      EXPECT_EQ(id % 2, category) << "offset " << offset << ", id " << id;
  }
}

TEST_F(SearchIndexTest, AnAbandonedRebuildLeavesNothingBehind) {
  const std::string folder = dir_.path() + "/search";
  {
    auto rebuild = index_->startRebuild();
    for (int id = 1; id <= 3000; ++id) rebuild->put(version(id, "党费收缴", "", "按月收缴。"));
  }
  EXPECT_FALSE(std::filesystem::exists(folder + "/index-2"));
  EXPECT_FALSE(std::filesystem::exists(folder + "/index-2.parts"));
  EXPECT_EQ(search("党费").total, 1);  // the live index is untouched
  // An empty rebuild gives an empty index.
  index_->swapIn(index_->startRebuild());
  EXPECT_EQ(search("党费").total, 0);
  EXPECT_EQ(index_->stats().versions, 0);
}

TEST_F(SearchIndexTest, AnIndexOfAnOlderLayoutAsksForARebuild) {
  EXPECT_TRUE(index_->hasCurrentFormat());
  const std::string folder = dir_.path() + "/search";
  std::string current;
  std::getline(std::ifstream(folder + "/CURRENT"), current);
  index_.reset();
  {
    Xapian::WritableDatabase db(folder + "/" + current, Xapian::DB_OPEN);
    db.set_metadata("format", "1");
    db.commit();
  }
  auto reopened = SearchIndex::open(folder);
  ASSERT_TRUE(reopened.ok());
  index_ = std::move(reopened).value();
  EXPECT_FALSE(index_->hasCurrentFormat());
  index_->swapIn(index_->startRebuild());
  EXPECT_TRUE(index_->hasCurrentFormat());
}

// A replica may read an index of layout 5 until the primary has rebuilt it: there a title's
// terms stand under its prefix only, so plain words are still searched field by field; from
// layout 6 on they are searched in the unprefixed family alone.
TEST(SearchIndexLayoutTest, PlainWordsAreSearchedFieldByFieldInAnIndexOfLayoutFive) {
  gongkai::testing::TempDir dir;
  const std::string path = dir.path() + "/index-1";
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    Xapian::Document doc;  // as layout 5 made it: the title's terms prefixed only
    Xapian::TermGenerator generator;
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    generator.set_document(doc);
    generator.index_text("党费收缴情况", 5, "S");
    doc.add_boolean_term("XCUR");  // current: what a search without history reads
    db.add_document(doc);
    db.set_metadata("format", "5");
    db.commit();
  }
  const auto found = [&](const std::string& query) {
    auto index = SearchIndex::openReadOnly(path, 1);
    EXPECT_TRUE(index.ok());
    SearchRequest request;
    request.query = query;
    auto result = index.value()->search(request, Viewer{});
    EXPECT_TRUE(result.ok()) << query;
    return result.ok() ? result.value().total : -1;
  };
  EXPECT_EQ(found("党费"), 1);
  EXPECT_EQ(found("党费 收缴"), 1);
  EXPECT_EQ(found("\"费收缴\""), 1);
  {
    Xapian::WritableDatabase db(path, Xapian::DB_OPEN);
    db.set_metadata("format", "6");
    db.commit();
  }
  // The same document read as layout 6: its title's words are not where plain words are looked
  // for (a phrase still is, per field).
  EXPECT_EQ(found("党费"), 0);
  EXPECT_EQ(found("\"费收缴\""), 1);
}

TEST(SearchIndexFolderTest, AHostileOrBrokenFolderNeverOpensSomethingElse) {
  gongkai::testing::TempDir dir;
  const std::string folder = dir.path() + "/search";
  std::filesystem::create_directories(folder);
  // CURRENT naming something outside the folder, or nothing sensible: a fresh index is made.
  for (const std::string current :
       {"../../etc\n", "index-\n", "index-99999999999999999999\n", "\xff\xfe"}) {
    gongkai::testing::writeFile(folder + "/CURRENT", current);
    auto opened = SearchIndex::open(folder);
    ASSERT_TRUE(opened.ok()) << current;
    EXPECT_EQ(opened.value()->stats().versions, 0);
    EXPECT_EQ(gongkai::testing::readFile(folder + "/CURRENT").rfind("index-", 0), 0u);
  }
  // An index whose files are garbage is refused with an error, not a crash.
  const std::string current = gongkai::testing::readFile(folder + "/CURRENT");
  const std::string live = folder + "/" + current.substr(0, current.find('\n'));
  for (const auto& entry : std::filesystem::directory_iterator(live)) {
    gongkai::testing::writeFile(entry.path().string(), "not a xapian table");
  }
  auto broken = SearchIndex::open(folder);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().reason, "search_index_unavailable");
}

}  // namespace
}  // namespace gongkai::indexer
