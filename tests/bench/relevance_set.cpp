#include "relevance_set.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "fts5_baseline.h"

namespace gongkai::bench {
namespace {

// Sentences that hold none of the query words (checked in makeRelevanceSet).
constexpr const char* kFiller[] = {
    "本单位按照年度工作安排，认真落实各项制度要求。",
    "会议听取了上半年工作情况汇报，研究部署下一阶段任务。",
    "各科室负责人结合实际提出改进措施，明确责任分工。",
    "通过集中学习和自学相结合的方式，进一步提高了思想认识。",
    "现将有关情况通报如下，请各单位认真对照检查。",
    "下一步将持续加强日常监督，确保各项措施落到实处。",
    "本次活动共有四十余人参加，取得了较好效果。",
    "材料已按规定整理归档，供有关部门查阅。",
    "请各支部于月底前报送书面材料，逾期不再受理。",
    "会上还通报了近期检查中发现的问题。",
    "大家围绕服务群众、改进作风等方面畅所欲言。",
    "此项工作由办公室牵头，相关科室协助配合。",
};
constexpr const char* kFillerTitles[] = {
    "关于做好年度工作安排的通知", "关于进一步加强日常监督的意见", "上半年工作情况通报",
    "关于报送书面材料的通知",     "关于改进作风的实施方案",       "办公室工作简报",
};

// A word as the documents or the query write it.
struct Word {
  std::string simplified;
  std::string variant;  // traditional or full-width; "" when it has none
};

// Which form each side uses.
enum class Form { kSimplified, kVariant, kAlternating };

struct QuerySpec {
  std::vector<Word> words;  // one or two
  std::string kind;
  Form query = Form::kSimplified;
  Form documents = Form::kSimplified;  // kAlternating: every other document
};

const std::vector<QuerySpec>& querySpecs() {
  static const std::vector<QuerySpec> specs = {
      {{{"换届选举", "換屆選舉"}}, "one word"},
      {{{"候选人", "候選人"}}, "one word"},
      {{{"组织生活会", "組織生活會"}}, "one word"},
      {{{"主题党日", "主題黨日"}}, "one word"},
      {{{"党费", "黨費"}}, "one two-character word"},
      {{{"述职", "述職"}}, "one two-character word"},
      {{{"党员大会", "黨員大會"}, {"表决", "表決"}}, "two words"},
      {{{"发展对象", "發展對象"}, {"公示", "公示"}}, "two words"},
      {{{"谈心谈话", "談心談話"}, {"记录", "記錄"}}, "two words"},
      {{{"整改", "整改"}, {"台账", "台賬"}}, "two two-character words"},
      {{{"党务公开", "黨務公開"}}, "traditional query", Form::kVariant},
      {{{"民主评议", "民主評議"}, {"测评", "測評"}}, "traditional query", Form::kVariant},
      {{{"档案移交", "檔案移交"}}, "traditional documents", Form::kSimplified, Form::kAlternating},
      {{{"廉洁", "廉潔"}}, "traditional documents", Form::kSimplified, Form::kAlternating},
      {{{"OA系统", "ＯＡ系统"}}, "full-width query", Form::kVariant},
      {{{"PPT课件", "ＰＰＴ课件"}}, "full-width documents", Form::kSimplified, Form::kAlternating},
  };
  return specs;
}

// Where a word stands in a document, and how often.
enum class Place { kTitle, kNumber, kSummary, kBody, kBodyThrice, kApart, kOneCharacter };

struct Placement {
  std::size_t word;  // index into the spec's words
  Place place;
};

struct Layout {
  std::vector<Placement> placements;
  int grade;
};

// The documents made for a query of one word, and their grades: title 3; 文号 or summary 2;
// body (once or three times) 1; characters apart or one character only 0.
const std::vector<Layout>& oneWordLayouts() {
  static const std::vector<Layout> layouts = {
      {{{0, Place::kTitle}}, 3},      {{{0, Place::kTitle}, {0, Place::kBodyThrice}}, 3},
      {{{0, Place::kNumber}}, 2},     {{{0, Place::kSummary}}, 2},
      {{{0, Place::kBodyThrice}}, 1}, {{{0, Place::kBody}}, 1},
      {{{0, Place::kApart}}, 0},      {{{0, Place::kOneCharacter}}, 0},
  };
  return layouts;
}

// For two words: both in the title 3; one in the title and the other elsewhere, or both in the
// summary 2; both in the body 1; one word only, or the other's characters apart, 0.
const std::vector<Layout>& twoWordLayouts() {
  static const std::vector<Layout> layouts = {
      {{{0, Place::kTitle}, {1, Place::kTitle}}, 3},
      {{{0, Place::kTitle}, {1, Place::kSummary}}, 2},
      {{{1, Place::kTitle}, {0, Place::kBody}}, 2},
      {{{0, Place::kSummary}, {1, Place::kSummary}}, 2},
      {{{0, Place::kBody}, {1, Place::kBody}}, 1},
      {{{0, Place::kBodyThrice}, {1, Place::kBodyThrice}}, 1},
      {{{0, Place::kTitle}}, 0},
      {{{1, Place::kBodyThrice}}, 0},
      {{{0, Place::kBody}, {1, Place::kApart}}, 0},
  };
  return layouts;
}

// The generator's own integer picks: std distributions differ between standard libraries.
class Picker {
 public:
  explicit Picker(std::uint64_t seed) : random_(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(random_() % n); }
  const char* filler() { return kFiller[below(std::size(kFiller))]; }

 private:
  std::mt19937_64 random_;
};

std::vector<std::string> codePoints(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    out.push_back(text.substr(at, length));
    at += length;
  }
  return out;
}

std::string apart(const std::string& word) {
  std::string out;
  for (const auto& character : codePoints(word)) {
    out += (out.empty() ? "" : "方面和") + character;
  }
  return out + "方面的情况。";
}

CorpusDocument makeDocument(const QuerySpec& spec, const Layout& layout, bool variant,
                            Picker& pick) {
  CorpusDocument doc;
  std::vector<std::string> titled, summarised;
  std::vector<std::string> body;
  for (int i = 0; i < 6 + static_cast<int>(pick.below(5)); ++i) body.emplace_back(pick.filler());
  auto insert = [&](const std::string& sentence) {
    body.insert(body.begin() + static_cast<std::ptrdiff_t>(pick.below(body.size() + 1)), sentence);
  };
  for (const Placement& placement : layout.placements) {
    const Word& word = spec.words[placement.word];
    const std::string& text = variant && !word.variant.empty() ? word.variant : word.simplified;
    switch (placement.place) {
      case Place::kTitle:
        titled.push_back(text);
        break;
      case Place::kNumber:
        doc.doc_number = text + "字〔2023〕" + std::to_string(3 + pick.below(40)) + "号";
        break;
      case Place::kSummary:
        summarised.push_back(text);
        break;
      case Place::kBodyThrice:
        insert("其中涉及" + text + "的内容已作说明。");
        insert("会议再次强调了" + text + "的要求。");
        [[fallthrough]];
      case Place::kBody:
        insert("本文所述" + text + "相关工作按要求推进。");
        break;
      case Place::kApart:
        insert(apart(text));
        break;
      case Place::kOneCharacter:
        insert(codePoints(text).front() + "字当头，常抓不懈。");
        break;
    }
  }
  if (titled.empty()) {
    doc.title = kFillerTitles[pick.below(std::size(kFillerTitles))];
  } else {
    std::string joined = titled.front();
    if (titled.size() > 1) joined += "和" + titled[1];
    doc.title = "关于" + joined + "有关事项的通知";
  }
  if (doc.doc_number.empty())
    doc.doc_number = "办字〔2023〕" + std::to_string(50 + pick.below(50)) + "号";
  doc.summary = pick.filler();
  for (const auto& text : summarised) doc.summary += "本次重点是" + text + "。";
  for (const auto& sentence : body) doc.body += sentence;
  return doc;
}

CorpusDocument fillerDocument(Picker& pick) {
  CorpusDocument doc;
  doc.title = kFillerTitles[pick.below(std::size(kFillerTitles))];
  doc.doc_number = "办字〔2022〕" + std::to_string(1 + pick.below(99)) + "号";
  doc.summary = pick.filler();
  for (int i = 0; i < 6 + static_cast<int>(pick.below(6)); ++i) doc.body += pick.filler();
  return doc;
}

std::string queryText(const QuerySpec& spec) {
  std::string text;
  for (const Word& word : spec.words) {
    const bool variant = spec.query == Form::kVariant && !word.variant.empty();
    text += (text.empty() ? "" : " ") + (variant ? word.variant : word.simplified);
  }
  return text;
}

// A query word must not stand in any filler sentence or title, in either form.
void checkFiller() {
  for (const QuerySpec& spec : querySpecs()) {
    for (const Word& word : spec.words) {
      for (const auto& form : {word.simplified, word.variant}) {
        auto holds = [&](const char* text) {
          return std::string(text).find(form) != std::string::npos;
        };
        if (std::any_of(std::begin(kFiller), std::end(kFiller), holds) ||
            std::any_of(std::begin(kFillerTitles), std::end(kFillerTitles), holds)) {
          throw std::logic_error("relevance set: filler holds the query word " + form);
        }
      }
    }
  }
}

constexpr int kFillerDocuments = 150;

}  // namespace

RelevanceSet makeRelevanceSet() {
  checkFiller();
  Picker pick(20240524);
  struct Made {
    CorpusDocument doc;
    std::size_t query;  // index of the query it was made for; npos for filler
    int grade;
  };
  std::vector<Made> made;
  const auto& specs = querySpecs();
  for (std::size_t q = 0; q < specs.size(); ++q) {
    const auto& layouts = specs[q].words.size() == 1 ? oneWordLayouts() : twoWordLayouts();
    for (std::size_t l = 0; l < layouts.size(); ++l) {
      const bool variant = specs[q].documents == Form::kVariant ||
                           (specs[q].documents == Form::kAlternating && l % 2 == 1);
      made.push_back({makeDocument(specs[q], layouts[l], variant, pick), q, layouts[l].grade});
    }
  }
  for (int i = 0; i < kFillerDocuments; ++i)
    made.push_back({fillerDocument(pick), std::string::npos, 0});
  // Shuffled (Fisher–Yates on the generator's own picks) so that document order says nothing.
  for (std::size_t i = made.size() - 1; i > 0; --i) std::swap(made[i], made[pick.below(i + 1)]);

  RelevanceSet set;
  for (const auto& spec : specs) set.queries.push_back({queryText(spec), spec.kind, {}});
  const auto& codes = corpusCategoryCodes();
  for (std::size_t i = 0; i < made.size(); ++i) {
    CorpusDocument doc = made[i].doc;
    doc.id = static_cast<std::int64_t>(i + 1);
    doc.category = codes[i % codes.size()];
    doc.org_unit = "孝德镇卫生院党支部";
    doc.scope = "public";
    doc.year = 2023;
    doc.month = 1 + static_cast<int>(i % 12);
    doc.day = 1 + static_cast<int>(i % 28);
    if (made[i].query != std::string::npos && made[i].grade > 0) {
      set.queries[made[i].query].grades[doc.id] = made[i].grade;
    }
    set.documents.push_back(std::move(doc));
  }
  return set;
}

double ndcgAt(const std::vector<std::int64_t>& ranked, const std::map<std::int64_t, int>& grades,
              std::size_t k) {
  auto gain = [](int grade, std::size_t rank) {
    return (std::pow(2.0, grade) - 1) / std::log2(static_cast<double>(rank) + 2);
  };
  double dcg = 0;
  for (std::size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    const auto found = grades.find(ranked[i]);
    if (found != grades.end()) dcg += gain(found->second, i);
  }
  std::vector<int> ideal;
  for (const auto& [id, grade] : grades) ideal.push_back(grade);
  std::sort(ideal.rbegin(), ideal.rend());
  double best = 0;
  for (std::size_t i = 0; i < std::min(k, ideal.size()); ++i) best += gain(ideal[i], i);
  return best > 0 ? dcg / best : 0;
}

indexer::IndexedVersion toIndexedVersion(const CorpusDocument& doc) {
  indexer::IndexedVersion v;
  v.document_id = doc.id;
  v.version = 1;
  v.title = doc.title;
  v.doc_number = doc.doc_number;
  v.summary = doc.summary;
  v.file_texts = {doc.body};
  v.category = doc.category;
  v.org_unit = doc.org_unit;
  v.scope = doc.scope;
  v.status = "draft";
  v.mode = "proactive";
  v.period = "periodic";
  v.year = doc.year;
  v.date = {doc.year, doc.month, doc.day};
  return v;
}

namespace {

// The figures of one engine, given its ranking of each query.
template <typename Rank>
RelevanceFigures measure(const RelevanceSet& set, Rank rank) {
  RelevanceFigures figures;
  std::map<std::string, std::pair<double, int>> kinds;
  for (const JudgedQuery& query : set.queries) {
    const std::vector<std::int64_t> ranked = rank(query.text);
    const double ndcg = ndcgAt(ranked, query.grades);
    figures.byQuery[query.text] = ndcg;
    for (const std::int64_t id : ranked) {
      const auto graded = query.grades.find(id);
      figures.topGrades[query.text] +=
          std::to_string(graded == query.grades.end() ? 0 : graded->second) + " ";
    }
    figures.mean += ndcg / static_cast<double>(set.queries.size());
    kinds[query.kind].first += ndcg;
    ++kinds[query.kind].second;
  }
  for (const auto& [kind, sum] : kinds) figures.byKind[kind] = sum.first / sum.second;
  return figures;
}

}  // namespace

RelevanceFigures measureOurs(const RelevanceSet& set, const std::string& folder) {
  std::filesystem::remove_all(folder);
  auto opened = indexer::SearchIndex::open(folder);
  if (!opened.ok()) throw std::runtime_error(opened.error().message);
  auto index = std::move(opened).value();
  auto rebuild = index->startRebuild();
  for (const auto& doc : set.documents) rebuild->put(toIndexedVersion(doc));
  index->swapIn(std::move(rebuild));
  return measure(set, [&](const std::string& text) {
    indexer::SearchRequest request;
    request.query = text;
    request.limit = 10;
    auto found = index->search(request, indexer::Viewer{});
    if (!found.ok()) throw std::runtime_error(found.error().message);
    std::vector<std::int64_t> ranked;
    for (const auto& hit : found.value().hits) ranked.push_back(hit.document_id);
    return ranked;
  });
}

std::map<std::string, RelevanceFigures> measureFts5(const RelevanceSet& set,
                                                    const std::string& path) {
  Fts5Baseline fts5(path);
  fts5.addBatch(set.documents);
  fts5.finish();
  std::map<std::string, RelevanceFigures> modes;
  for (const auto& [name, mode] : {std::pair{"MATCH all words", Fts5Mode::kMatchAll},
                                   std::pair{"MATCH any word", Fts5Mode::kMatchAny},
                                   std::pair{"LIKE all words", Fts5Mode::kLikeAll}}) {
    const Fts5Mode chosen = mode;  // clang 14 cannot capture a structured binding
    modes[name] =
        measure(set, [&](const std::string& text) { return fts5.rank(text, chosen, 10); });
  }
  return modes;
}

}  // namespace gongkai::bench
