#include "fts5_baseline.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>

namespace gongkai::bench {
namespace {

void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

void bindText(sqlite3_stmt* statement, int index, const std::string& text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

std::string columnText(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  return text ? std::string(text, sqlite3_column_bytes(statement, column)) : std::string();
}

FacetCounts sorted(const std::map<std::string, std::int64_t>& counts) {
  FacetCounts list(counts.begin(), counts.end());
  std::stable_sort(list.begin(), list.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return list;
}

std::vector<std::string> wordsOf(const std::string& query) {
  std::istringstream in(query);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string matchExpression(const std::string& query, const char* joiner) {
  std::string expression;
  for (const std::string& word : wordsOf(query)) {
    std::string quoted = "\"";
    for (char c : word) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    expression += (expression.empty() ? "" : joiner) + quoted + "\"";
  }
  return expression;
}

}  // namespace

std::string fts5MatchExpression(const std::string& query) {
  return matchExpression(query, " AND ");
}

Fts5Baseline::Fts5Baseline(const std::string& path) : path_(path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix);
  }
  check(db_, sqlite3_open(path.c_str(), &db_), "open");
  // WAL with synchronous=NORMAL is how the server runs SQLite; a 64 MB page cache lets FTS5
  // merge segments without rereading them (it shows up in peak RSS, as it would in the server).
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec("PRAGMA cache_size=-65536");
  // The side table holds what the query filters and counts facets on; FTS5 keeps its own copy of
  // the text, which snippet() needs.
  exec(
      "CREATE TABLE docs(id INTEGER PRIMARY KEY, category TEXT NOT NULL, year INTEGER NOT NULL, "
      "month INTEGER NOT NULL, day INTEGER NOT NULL, org_unit TEXT NOT NULL, scope TEXT NOT NULL)");
  exec(
      "CREATE VIRTUAL TABLE fts USING fts5(title, doc_number, summary, body, "
      "tokenize='trigram')");
  insertDoc_ = prepare("INSERT INTO docs VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insertText_ = prepare(
      "INSERT INTO fts(rowid, title, doc_number, summary, body) VALUES(?1, ?2, ?3, ?4, ?5)");
  // CROSS JOIN keeps the FTS5 table in the outer loop: each match looks its row up by primary
  // key. The other order would run the full-text match once per document of the category.
  // Weights: a word in the title counts ten times one in the body, as in the Xapian index.
  top_ = prepare(
      "SELECT fts.rowid, fts.title, snippet(fts, -1, '[', ']', '…', 24), "
      "bm25(fts, 10.0, 5.0, 3.0, 1.0) AS score "
      "FROM fts CROSS JOIN docs AS d ON d.id = fts.rowid "
      "WHERE fts MATCH ?1 AND (?2 = '' OR d.category = ?2) ORDER BY score LIMIT 20");
  facets_ = prepare(
      "SELECT d.category, d.year, d.scope, d.org_unit "
      "FROM fts CROSS JOIN docs AS d ON d.id = fts.rowid "
      "WHERE fts MATCH ?1 AND (?2 = '' OR d.category = ?2)");
}

Fts5Baseline::~Fts5Baseline() {
  for (sqlite3_stmt* statement : {insertDoc_, insertText_, top_, facets_}) {
    sqlite3_finalize(statement);
  }
  sqlite3_close(db_);
}

void Fts5Baseline::exec(const char* sql) {
  check(db_, sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql);
}

sqlite3_stmt* Fts5Baseline::prepare(const char* sql) {
  sqlite3_stmt* statement = nullptr;
  check(db_, sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr), sql);
  return statement;
}

void Fts5Baseline::addBatch(const std::vector<CorpusDocument>& documents) {
  exec("BEGIN");
  for (const CorpusDocument& doc : documents) {
    sqlite3_bind_int64(insertDoc_, 1, doc.id);
    bindText(insertDoc_, 2, doc.category);
    sqlite3_bind_int(insertDoc_, 3, doc.year);
    sqlite3_bind_int(insertDoc_, 4, doc.month);
    sqlite3_bind_int(insertDoc_, 5, doc.day);
    bindText(insertDoc_, 6, doc.org_unit);
    bindText(insertDoc_, 7, doc.scope);
    check(db_, sqlite3_step(insertDoc_), "insert docs");
    sqlite3_reset(insertDoc_);

    sqlite3_bind_int64(insertText_, 1, doc.id);
    bindText(insertText_, 2, doc.title);
    bindText(insertText_, 3, doc.doc_number);
    bindText(insertText_, 4, doc.summary);
    bindText(insertText_, 5, doc.body);
    check(db_, sqlite3_step(insertText_), "insert text");
    sqlite3_reset(insertText_);
  }
  exec("COMMIT");
}

void Fts5Baseline::finish() {
  exec("INSERT INTO fts(fts) VALUES('optimize')");
  exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

SearchResult Fts5Baseline::search(const std::string& query, const std::string& category) {
  const std::string match = fts5MatchExpression(query);
  SearchResult result;

  bindText(top_, 1, match);
  bindText(top_, 2, category);
  int rc;
  while ((rc = sqlite3_step(top_)) == SQLITE_ROW) {
    result.hits.push_back({sqlite3_column_int64(top_, 0), columnText(top_, 1), columnText(top_, 2),
                           sqlite3_column_double(top_, 3)});
  }
  check(db_, rc, "top 20");
  sqlite3_reset(top_);

  // One pass over all matches counts the four facets (four GROUP BY queries would run the
  // full-text match four times).
  std::map<std::string, std::int64_t> categories, years, scopes, units;
  bindText(facets_, 1, match);
  bindText(facets_, 2, category);
  while ((rc = sqlite3_step(facets_)) == SQLITE_ROW) {
    ++result.total;
    ++categories[columnText(facets_, 0)];
    ++years[std::to_string(sqlite3_column_int(facets_, 1))];
    ++scopes[columnText(facets_, 2)];
    ++units[columnText(facets_, 3)];
  }
  check(db_, rc, "facets");
  sqlite3_reset(facets_);
  result.byCategory = sorted(categories);
  result.byYear = sorted(years);
  result.byScope = sorted(scopes);
  result.byOrgUnit = sorted(units);
  return result;
}

std::vector<std::int64_t> Fts5Baseline::rank(const std::string& query, Fts5Mode mode, int limit) {
  const std::vector<std::string> words = wordsOf(query);
  std::string sql;
  if (mode == Fts5Mode::kLikeAll) {
    // Concatenated, so that SQLite scans instead of asking the trigram index, which answers
    // nothing for two non-ASCII characters (see the header).
    std::string where, titleFirst;
    for (std::size_t i = 1; i <= words.size(); ++i) {
      const std::string parameter = "?" + std::to_string(i);
      where += (i > 1 ? " AND " : "") + std::string("(title || ' ' || doc_number || ' ' || ") +
               "summary || ' ' || body) LIKE " + parameter;
      titleFirst += (i > 1 ? " + " : "") + std::string("((title || '') LIKE ") + parameter + ")";
    }
    sql = "SELECT rowid FROM fts WHERE " + where + " ORDER BY " + titleFirst +
          " DESC, rowid LIMIT " + std::to_string(limit);
  } else {
    sql =
        "SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY bm25(fts, 10.0, 5.0, 3.0, 1.0) "
        "LIMIT " +
        std::to_string(limit);
  }
  sqlite3_stmt* statement = prepare(sql.c_str());
  if (mode == Fts5Mode::kLikeAll) {
    for (std::size_t i = 0; i < words.size(); ++i) {
      const std::string pattern = "%" + words[i] + "%";
      sqlite3_bind_text(statement, static_cast<int>(i + 1), pattern.data(),
                        static_cast<int>(pattern.size()), SQLITE_TRANSIENT);
    }
  } else {
    const std::string match =
        matchExpression(query, mode == Fts5Mode::kMatchAll ? " AND " : " OR ");
    sqlite3_bind_text(statement, 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
  }
  std::vector<std::int64_t> ids;
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
    ids.push_back(sqlite3_column_int64(statement, 0));
  sqlite3_finalize(statement);
  // A trigram MATCH of a word shorter than three characters is no error: it matches nothing.
  if (rc != SQLITE_DONE && mode == Fts5Mode::kLikeAll) check(db_, rc, "rank");
  return ids;
}

std::int64_t Fts5Baseline::fileBytes() const {
  std::int64_t bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path_ + suffix, ec);
    if (!ec) bytes += static_cast<std::int64_t>(size);
  }
  return bytes;
}

std::vector<std::pair<std::string, std::int64_t>> Fts5Baseline::tableBytes() {
  std::vector<std::pair<std::string, std::int64_t>> tables;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC",
                         -1, &statement, nullptr) != SQLITE_OK) {
    return tables;  // no dbstat in this SQLite
  }
  while (sqlite3_step(statement) == SQLITE_ROW) {
    tables.emplace_back(columnText(statement, 0), sqlite3_column_int64(statement, 1));
  }
  sqlite3_finalize(statement);
  return tables;
}

}  // namespace gongkai::bench
