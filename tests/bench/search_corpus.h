#pragma once

// A deterministic generator of realistic party-affairs disclosure documents for the search
// benchmark. The vocabulary (sentences, phrases, category items) is taken from the two seed
// documents and policies/data/categories.json and embedded in search_corpus.cpp, so a corpus is a
// pure function of its seed: the same seed gives the same documents on every machine (the
// generator uses its own integer arithmetic, not the implementation-defined std distributions).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace gongkai::bench {

struct CorpusDocument {
  std::int64_t id = 0;  // 1, 2, ... in generation order
  std::string title;
  std::string doc_number;  // 文号, e.g. 孝卫党发[2021]12号
  std::string summary;
  std::string body;      // title + summary + body is 2,048–5,120 UTF-8 bytes
  std::string category;  // QJ SX ZZ LD GB DF LX QT (policies/data/categories.json)
  std::string org_unit;  // one of 12 unit names, e.g. 孝德镇卫生院党支部
  std::string scope;     // public (about 3 in 4), internal or restricted
  int year = 0;          // 2016–2025
  int month = 0;
  int day = 0;
};

// The category codes of policies/data/categories.json, in the file's order.
const std::vector<std::string>& corpusCategoryCodes();

class CorpusGenerator {
 public:
  explicit CorpusGenerator(std::uint64_t seed);
  CorpusDocument next();

 private:
  std::mt19937_64 random_;
  std::int64_t nextId_ = 1;
};

// `count` two-word queries ("党风廉政建设 责任制"), deterministic for a seed. Every word has at
// least three characters (code points) so that FTS5's trigram tokenizer can match it, and every
// word occurs in generated documents; frequent and rare words are mixed as in the corpus.
std::vector<std::string> twoWordQueries(std::uint64_t seed, std::size_t count);

}  // namespace gongkai::bench
