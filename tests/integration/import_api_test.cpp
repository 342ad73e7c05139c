// Bulk import of a legacy archive through the real server: POST /api/v1/imports, the job it
// starts, `gongkai import`, a kill -9 in the middle, and hostile catalogues.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "fixture.h"

namespace gongkai::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHeader = "标题,文号,类别,单位,日期,公开范围,保管期限,档号,文件\n";
const char* const kCategories[] = {"ZZ", "SX", "QJ", "LD", "GB", "DF", "LX", "QT"};
const char* const kRetentions[] = {"永久", "定期30年", "定期10年"};
const char* const kRetentionCodes[] = {"Y", "D30", "D10"};
const char* const kScopes[] = {"公开", "党内公开", "不公开"};

void writeFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// A unit's export: `rows` rows in catalogue.csv (line = row + 1), every third with a 档号 of its
// own, every `filesEvery`-th with two files; the rows in `bad` each broken in one of seven ways.
struct LegacyFolder {
  fs::path folder;
  std::set<std::int64_t> badLines;
  std::map<std::int64_t, std::string> codes;  // line → 档号 given
  std::int64_t rows = 0;
};

LegacyFolder makeLegacyFolder(const fs::path& folder, int rows, const std::set<int>& bad,
                              int filesEvery) {
  LegacyFolder legacy{folder, {}, {}, rows};
  std::string csv = kHeader;
  std::map<std::string, int> sequences;
  std::string firstCode;
  int badSeen = 0;
  for (int i = 1; i <= rows; ++i) {
    const std::int64_t line = i + 1;
    const int year = 2010 + i % 5;
    const std::string category = kCategories[i % 8];
    const int retention = i % 3;
    std::string unit = i % 2 ? "branch-1" : "branch-2";
    std::string date = std::to_string(year) + "年" + std::to_string(1 + i % 12) + "月" +
                       std::to_string(1 + i % 28) + "日";
    std::string scope = kScopes[i % 3];
    std::string code, files;
    if (i % 3 == 0) {
      const std::string sequence =
          "J001-" + std::to_string(year) + "-" + kRetentionCodes[retention] + "-" + category;
      char item[8];
      std::snprintf(item, sizeof item, "%04d", ++sequences[sequence]);
      code = sequence + "-" + item;
      if (firstCode.empty()) firstCode = code;
    }
    if (filesEvery > 0 && i % filesEvery == 0) {
      const std::string name = "files/" + std::to_string(i) + "/正文.txt";
      writeFile(folder / name, "第 " + std::to_string(i) + " 件的正文\n");
      writeFile(folder / ("files/" + std::to_string(i) + "/附件.pdf"),
                "%PDF-1.4\n% 附件 " + std::to_string(i) + "\n");
      files = name + "；files/" + std::to_string(i) + "/附件.pdf";
    }
    std::string categoryCell = category;
    if (bad.count(i)) {
      legacy.badLines.insert(line);
      switch (badSeen++ % 7) {
        case 0:
          categoryCell = "XX";
          break;
        case 1:
          unit = "nowhere";
          break;
        case 2:
          date = "2010-13-40";
          break;
        case 3:
          files = "missing/none.pdf";
          break;
        case 4:
          files = "../../etc/passwd";
          break;
        case 5:
          scope = "秘密";
          break;
        default:
          code = firstCode;
          break;  // the 档号 of an earlier good row
      }
    }
    if (!code.empty() && !bad.count(i)) legacy.codes[line] = code;
    csv += "旧档案第" + std::to_string(i) + "件,连发[" + std::to_string(year) + "]" +
           std::to_string(i) + "号," + categoryCell + "," + unit + "," + date + "," + scope + "," +
           kRetentions[retention] + "," + code + "," + files + "\n";
  }
  writeFile(folder / "catalogue.csv", csv);
  return legacy;
}

class ImportApiTest : public ServerTest {
 protected:
  fs::path importRoot() const { return fs::path(dataDir()) / "import"; }

  HttpResponse startImport(const std::string& folder, const std::string& extra = "") {
    return client().postJson("/api/v1/imports", R"({"path":")" + folder + "\"" + extra + "}");
  }

  // Polls a job until it ends; its final view.
  Poco::JSON::Object::Ptr waitForJob(std::int64_t id, int seconds = 120) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
      auto job = client().get("/api/v1/jobs/" + std::to_string(id));
      if (job.status == 200) {
        const auto view = job.json();
        const std::string state = view->getValue<std::string>("state");
        if (state != "queued" && state != "running") return view;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "job " << id << " did not end within " << seconds << " s";
    return client().get("/api/v1/jobs/" + std::to_string(id)).json();
  }

  // Every imported document's catalogue line, as the records say it.
  std::multiset<std::int64_t> importedLines() {
    std::multiset<std::int64_t> lines;
    for (int page = 1;; ++page) {
      auto list = client().get("/api/v1/documents?per_page=200&page=" + std::to_string(page));
      const auto documents = list.json()->getArray("documents");
      for (unsigned i = 0; i < documents->size(); ++i) {
        const auto imported =
            documents->getObject(i)->getObject("disclosure")->getObject("imported");
        if (imported) lines.insert(imported->getValue<std::int64_t>("line"));
      }
      if (documents->size() < 200) return lines;
    }
  }
};

TEST_F(ImportApiTest, FiveThousandRowsWithFiftyBadOnesAreCheckedFirstThenImportedWithSkipBad) {
  std::set<int> bad;
  for (int k = 0; k < 50; ++k) bad.insert(100 * k + 7);
  const auto legacy = makeLegacyFolder(importRoot() / "legacy", 5000, bad, 25);
  const std::int64_t auditBefore = auditSize();

  // Every bad row is reported with its line; nothing is imported.
  auto refused = startImport("legacy");
  ASSERT_EQ(refused.status, 422) << refused.body.substr(0, 2000);
  EXPECT_EQ(refused.json()->getValue<std::string>("code"), "import_rows_invalid");
  std::set<std::int64_t> reported;
  const auto errors = refused.json()->getArray("errors");
  for (unsigned i = 0; i < errors->size(); ++i) {
    const std::string field = errors->getObject(i)->getValue<std::string>("field");
    ASSERT_EQ(field.rfind("lines[", 0), 0u) << field;
    reported.insert(std::stoll(field.substr(6)));
    const std::string message = errors->getObject(i)->getValue<std::string>("message");
    EXPECT_EQ(message.rfind("第 ", 0), 0u) << message;  // Chinese first, naming the line
  }
  EXPECT_EQ(reported, legacy.badLines);
  EXPECT_NE(refused.body.find("与第 4 行重复"), std::string::npos);  // the duplicate 档号
  EXPECT_EQ(documentCount(), 0);
  EXPECT_EQ(auditSize(), auditBefore);

  // With skip_bad the 4,950 good rows are imported, archived, each with its audit entry.
  auto accepted = startImport("legacy", R"(,"skip_bad":true)");
  ASSERT_EQ(accepted.status, 202) << accepted.body.substr(0, 2000);
  EXPECT_EQ(accepted.json()->getValue<std::int64_t>("rows"), 5000);
  EXPECT_EQ(accepted.json()->getValue<std::int64_t>("ready"), 4950);
  EXPECT_EQ(accepted.json()->getArray("problems")->size(), errors->size());
  const auto job = waitForJob(accepted.json()->getValue<std::int64_t>("job_id"));
  ASSERT_EQ(job->getValue<std::string>("state"), "done") << job->get("error").toString();
  EXPECT_EQ(job->getValue<std::string>("kind"), "import");
  const auto result = job->getObject("result");
  EXPECT_EQ(result->getValue<std::int64_t>("imported"), 4950);
  EXPECT_EQ(result->getValue<std::int64_t>("skipped"), 50);
  EXPECT_EQ(job->getObject("progress")->getValue<std::int64_t>("items_done"), 4950);
  EXPECT_GT(job->getObject("progress")->getValue<std::int64_t>("bytes_done"), 0);
  EXPECT_EQ(client().get("/api/v1/documents?status=archived").json()->getValue<int>("total"), 4950);
  EXPECT_GE(auditSize() - auditBefore, 4950);

  // Rows with a 档号 come first and keep it, with their 文号 and date as given.
  const auto first = client().get("/api/v1/documents/1").json();
  EXPECT_EQ(first->getValue<std::string>("status"), "archived");
  EXPECT_EQ(first->getValue<std::string>("change"), "document.import");
  EXPECT_EQ(first->getValue<std::string>("reference_code"), legacy.codes.at(4));
  EXPECT_EQ(first->getValue<std::string>("doc_number"), "连发[2013]3号");
  EXPECT_EQ(first->getValue<std::string>("issued_at"), "2013-04-04");
  EXPECT_EQ(first->getObject("disclosure")->getObject("imported")->getValue<int>("line"), 4);
  EXPECT_EQ(first->getObject("disclosure")->getObject("archived")->getValue<std::string>("by"),
            "admin");
  // A row with files has them, named as in the folder.
  const auto lines = importedLines();
  EXPECT_EQ(lines.size(), 4950u);
  EXPECT_EQ(std::set<std::int64_t>(lines.begin(), lines.end()).size(), 4950u);
  for (const auto line : legacy.badLines) EXPECT_EQ(lines.count(line), 0u) << line;

  // Run again: every row is already there, nothing twice.
  auto again = startImport("legacy", R"(,"skip_bad":true)");
  ASSERT_EQ(again.status, 202) << again.body.substr(0, 500);
  EXPECT_EQ(again.json()->getValue<std::int64_t>("already_imported"), 4950);
  const auto second = waitForJob(again.json()->getValue<std::int64_t>("job_id"));
  EXPECT_EQ(second->getObject("result")->getValue<std::int64_t>("imported"), 0);
  EXPECT_EQ(documentCount(), 4950);

  // The catalogue with its bad rows corrected: only those 50 are new.
  makeLegacyFolder(importRoot() / "legacy", 5000, {}, 25);
  auto corrected = startImport("legacy");
  ASSERT_EQ(corrected.status, 202) << corrected.body.substr(0, 2000);
  EXPECT_EQ(corrected.json()->getValue<std::int64_t>("ready"), 50);
  const auto third = waitForJob(corrected.json()->getValue<std::int64_t>("job_id"));
  EXPECT_EQ(third->getObject("result")->getValue<std::int64_t>("imported"), 50);
  EXPECT_EQ(documentCount(), 5000);
  const auto all = importedLines();
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), 5000u);

  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
}

TEST_F(ImportApiTest, KilledMidImportTheNextServerResumesWithNoDuplicateAndNoGap) {
  restart({"-D", "gongkai.store.lease_seconds=2"});
  makeLegacyFolder(importRoot() / "big", 6000, {}, 500);
  auto accepted = startImport("big");
  ASSERT_EQ(accepted.status, 202) << accepted.body.substr(0, 500);
  const std::int64_t id = accepted.json()->getValue<std::int64_t>("job_id");
  // Kill -9 once some batches are in and others not.
  std::int64_t done = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (done < 1000 && std::chrono::steady_clock::now() < until) {
    done = client()
               .get("/api/v1/jobs/" + std::to_string(id))
               .json()
               ->getObject("progress")
               ->getValue<std::int64_t>("items_done");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_LT(done, 6000) << "the import ended before it could be killed";
  server().kill();
  restart({"-D", "gongkai.store.lease_seconds=2"});
  const auto job = waitForJob(id);
  ASSERT_EQ(job->getValue<std::string>("state"), "done") << job->get("error").toString();
  const auto result = job->getObject("result");
  EXPECT_GT(result->getValue<std::int64_t>("already_imported"), 0);
  EXPECT_EQ(result->getValue<std::int64_t>("imported") +
                result->getValue<std::int64_t>("already_imported"),
            6000);
  const auto lines = importedLines();
  std::multiset<std::int64_t> expected;
  for (std::int64_t line = 2; line <= 6001; ++line) expected.insert(line);
  EXPECT_EQ(lines, expected);  // every row once: no duplicate, no gap
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
}

TEST_F(ImportApiTest, XlsxAndGbkCataloguesAndTheCommandLine) {
  const fs::path data(GONGKAI_TEST_DATA_DIR "/import");
  const fs::path xlsx = importRoot() / "xlsx";
  fs::create_directories(xlsx);
  fs::copy_file(data / "legacy.xlsx", xlsx / "目录.xlsx");
  writeFile(xlsx / "党费.pdf", "%PDF-1.4\n% 党费\n");
  auto checked = startImport(xlsx.string(), R"(,"dry_run":true)");
  ASSERT_EQ(checked.status, 200) << checked.body;
  EXPECT_EQ(checked.json()->getValue<std::int64_t>("ready"), 2);
  EXPECT_TRUE(checked.json()->get("job_id").isEmpty());
  EXPECT_EQ(documentCount(), 0);

  const fs::path gbk = importRoot() / "gbk";
  fs::create_directories(gbk);
  fs::copy_file(data / "legacy-gbk.csv", gbk / "catalogue.csv");

  // The command line: the same import, followed to its end.
  std::string output;
  const std::string url = "http://127.0.0.1:" + std::to_string(server().port());
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "import", xlsx.string(), "--server", url, "--token",
                        adminToken_},
                       output),
            0)
      << output;
  EXPECT_NE(output.find("已导入 (imported): 2"), std::string::npos) << output;
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "import", gbk.string(), "--server", url, "--token",
                        adminToken_},
                       output),
            0)
      << output;
  EXPECT_EQ(documentCount(), 4);

  std::map<std::string, Poco::JSON::Object::Ptr> byTitle;
  auto list = client().get("/api/v1/documents?per_page=10").json()->getArray("documents");
  for (unsigned i = 0; i < list->size(); ++i)
    byTitle[list->getObject(i)->getValue<std::string>("title")] = list->getObject(i);
  ASSERT_TRUE(byTitle.count("党费收缴情况")) << output;
  EXPECT_EQ(byTitle["党费收缴情况"]->getValue<std::string>("issued_at"), "2010-03-05");
  EXPECT_EQ(byTitle["党费收缴情况"]->getValue<std::string>("reference_code"),
            "J001-2010-Y-ZZ-0001");
  EXPECT_EQ(byTitle["党费收缴情况"]->getArray("files")->size(), 1u);
  ASSERT_TRUE(byTitle.count("学习计划"));  // rich text, without its phonetic run
  EXPECT_EQ(byTitle["学习计划"]->getValue<std::string>("scope"), "public");
  ASSERT_TRUE(byTitle.count("廉政谈话记录，第一季度"));  // GBK, quoted
  EXPECT_EQ(byTitle["廉政谈话记录，第一季度"]->getValue<std::string>("scope"), "restricted");
  EXPECT_EQ(byTitle["关于调整党支部设置的通知"]->getValue<std::string>("doc_number"),
            "连发〔2012〕5号");

  // Checking only, through the command line, of a folder with a bad row: exit 1, the row named.
  writeFile(importRoot() / "one-bad" / "catalogue.csv",
            std::string(kHeader) + "标题,,ZZ,branch-1,2012-01-01,公开,永久,,nothere.pdf\n");
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "import", (importRoot() / "one-bad").string(),
                        "--server", url, "--token", adminToken_, "--check"},
                       output),
            1)
      << output;
  EXPECT_NE(output.find("第 2 行 文件：文件不存在"), std::string::npos) << output;
}

TEST_F(ImportApiTest, HostileCataloguesAreRefusedWithClearErrors) {
  const fs::path root = importRoot();
  // Paths that leave the folder, by "..", absolute, backslash or a symbolic link.
  writeFile(root / "outside.txt", "secret\n");
  writeFile(root / "paths" / "catalogue.csv",
            std::string(kHeader) + "甲,,ZZ,branch-1,2012-01-01,公开,永久,,../outside.txt\n" +
                "乙,,ZZ,branch-1,2012-01-01,公开,永久,,/etc/passwd\n" +
                "丙,,ZZ,branch-1,2012-01-01,公开,永久,,a\\b.pdf\n" +
                "丁,,ZZ,branch-1,2012-01-01,公开,永久,,link.txt\n");
  fs::create_symlink(root / "outside.txt", root / "paths" / "link.txt");
  auto paths = startImport("paths", R"(,"dry_run":true)");
  ASSERT_EQ(paths.status, 200) << paths.body;
  const auto problems = paths.json()->getArray("problems");
  std::set<std::int64_t> lines;
  for (unsigned i = 0; i < problems->size(); ++i) {
    lines.insert(problems->getObject(i)->getValue<std::int64_t>("line"));
    EXPECT_EQ(problems->getObject(i)->getValue<std::string>("field"), "files");
  }
  EXPECT_EQ(lines, (std::set<std::int64_t>{2, 3, 4, 5}));
  EXPECT_EQ(paths.json()->getValue<std::int64_t>("ready"), 0);

  // A folder outside the import root, and one that is not there.
  auto outside = startImport("/etc");
  EXPECT_EQ(outside.status, 422) << outside.body;
  EXPECT_EQ(outside.json()->getValue<std::string>("code"), "import_path");
  EXPECT_EQ(startImport("../..").status, 422);
  EXPECT_EQ(startImport("no-such-folder").status, 422);

  // A huge cell.
  writeFile(root / "huge" / "catalogue.csv",
            std::string(kHeader) + std::string(100 * 1024, 'x') + ",,ZZ,branch-1,,公开,,,\n");
  auto huge = startImport("huge");
  EXPECT_EQ(huge.status, 413) << huge.body.substr(0, 500);
  EXPECT_EQ(huge.json()->getValue<std::string>("code"), "catalogue_too_large");

  // Malformed XLSX: not a zip, and a zip without a workbook.
  writeFile(root / "bad-xlsx" / "catalogue.xlsx", "PK\x03\x04 this is no zip at all");
  auto notZip = startImport("bad-xlsx");
  EXPECT_EQ(notZip.status, 400) << notZip.body;
  EXPECT_EQ(notZip.json()->getValue<std::string>("code"), "catalogue_xlsx");
  fs::create_directories(root / "docx-xlsx");
  fs::copy_file(fs::path(GONGKAI_TEST_DATA_DIR "/import/legacy.xlsx"),
                root / "docx-xlsx" / "catalogue.xlsx");
  {
    // Cut the workbook short: its central directory is gone.
    const auto size = fs::file_size(root / "docx-xlsx" / "catalogue.xlsx");
    fs::resize_file(root / "docx-xlsx" / "catalogue.xlsx", size / 2);
  }
  EXPECT_EQ(startImport("docx-xlsx").status, 400);

  // Wrong encodings: UTF-16, and bytes that are neither UTF-8 nor GB18030.
  writeFile(root / "utf16" / "catalogue.csv", std::string("\xFF\xFE", 2) + "t\0i\0");
  auto utf16 = startImport("utf16");
  EXPECT_EQ(utf16.status, 400) << utf16.body;
  EXPECT_EQ(utf16.json()->getValue<std::string>("code"), "catalogue_encoding");
  writeFile(root / "latin" / "catalogue.csv", std::string(kHeader) + "\xFF\x30\xFF,,,,,,,,\n");
  auto latin = startImport("latin");
  EXPECT_EQ(latin.status, 400) << latin.body;
  EXPECT_NE(latin.json()->getValue<std::string>("detail").find("第 2 行"), std::string::npos);

  // A CSV quote left open, and a catalogue without a title column.
  writeFile(root / "quote" / "catalogue.csv", std::string(kHeader) + "\"甲,,ZZ\n");
  EXPECT_EQ(startImport("quote").status, 400);
  writeFile(root / "columns" / "catalogue.csv", "文号,类别\n1,ZZ\n");
  auto columns = startImport("columns");
  EXPECT_EQ(columns.status, 422) << columns.body;
  EXPECT_EQ(columns.json()->getValue<std::string>("code"), "catalogue_columns");

  // Only those the policy lets import: an archivist may not by default.
  const std::string archivist = userWithRole("imp-archivist", "archivist", "branch-1");
  HttpClient asArchivist = anonymous();
  asArchivist.setDefaultHeader("Authorization", "Bearer " + archivist);
  EXPECT_EQ(asArchivist.postJson("/api/v1/imports", R"({"path":"paths"})").status, 403);
  EXPECT_EQ(documentCount(), 0);
}

}  // namespace
}  // namespace gongkai::testing
