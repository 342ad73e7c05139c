// The store (group-commit writer, savepoints, blob store) and the document service over real
// SQLite files in a temporary folder.
#include <Poco/Data/DataException.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "document_json.h"
#include "gongkai/core/audit_chain.h"
#include "gongkai/core/json.h"
#include "gongkai/core/sha256.h"
#include "gongkai/policies/policy_set.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/store.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace gongkai::server {
namespace {

using core::ErrorCode;
using gongkai::testing::TempDir;
using store::AuditRepository;
using store::Store;

core::AuditEntry draft(const std::string& id) {
  core::AuditEntry entry;
  entry.actor = "测试";
  entry.action = "test.append";
  entry.object_type = "test";
  entry.object_id = id;
  entry.content_sha256 = core::sha256Hex(id);
  return entry;
}

std::vector<store::StoredAuditEntry> readAll(Store& store) {
  auto session = store.read();
  return AuditRepository::list(*session, 0, 100000);
}

std::unique_ptr<Store> openStore(const TempDir& dir) {
  auto store = Store::open(dir / "data", gongkai::testing::testStoreOptions(dir / "data"));
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return std::move(store).value();
}

TEST(Store, CreatesTheSchemaOnceAndReopens) {
  TempDir dir;
  {
    auto store = openStore(dir);
    EXPECT_EQ(store->schemaVersion(), store::latestSchemaVersion());
    EXPECT_GE(store::latestSchemaVersion(), 7);
    // The embedded default keeps its records in the data folder; PostgreSQL elsewhere.
    EXPECT_EQ(std::filesystem::exists(dir / "data/store.db"),
              !gongkai::testing::testingPostgresql());
    ASSERT_TRUE(store
                    ->write([](store::Transaction& tx) -> core::Status {
                      AuditRepository::append(tx, draft("a"));
                      return core::okStatus();
                    })
                    .ok());
  }
  auto reopened = openStore(dir);
  EXPECT_EQ(reopened->schemaVersion(), store::latestSchemaVersion());
  ASSERT_TRUE(reopened
                  ->write([](store::Transaction& tx) -> core::Status {
                    AuditRepository::append(tx, draft("b"));
                    return core::okStatus();
                  })
                  .ok());
  const auto entries = readAll(*reopened);
  ASSERT_EQ(entries.size(), 2u);
  // The chain goes on across the reopen.
  EXPECT_EQ(core::parseAuditEntry(entries[1].bytes).value().prev_hash, entries[0].hash);
}

TEST(Store, ConcurrentWritesFormOneGapFreeChain) {
  TempDir dir;
  auto store = openStore(dir);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto status = store->write([&](store::Transaction& tx) -> core::Status {
          AuditRepository::append(tx, draft(std::to_string(t) + "-" + std::to_string(i)));
          return core::okStatus();
        });
        if (!status.ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  const auto entries = readAll(*store);
  ASSERT_EQ(entries.size(), 200u);
  core::AuditChainVerifier verifier;
  for (const auto& entry : entries) verifier.add(entry.seq, entry.bytes, entry.hash);
  EXPECT_FALSE(verifier.fault()) << verifier.fault()->message;
  EXPECT_EQ(verifier.verifiedCount(), 200);
}

TEST(Store, AFailedUnitOfWorkIsUndoneAloneAndTheChainStaysWhole) {
  TempDir dir;
  auto store = openStore(dir);
  std::vector<std::thread> threads;
  std::atomic<int> refused{0}, thrown{0}, committed{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const int kind = (t + i) % 3;
        auto status = store->write([&](store::Transaction& tx) -> core::Status {
          AuditRepository::append(tx, draft("x"));
          if (kind == 1) return core::Error::make(ErrorCode::kConflict, "refused", "no");
          if (kind == 2) throw std::runtime_error("boom");
          return core::okStatus();
        });
        if (status.ok())
          ++committed;
        else if (status.error().code == ErrorCode::kConflict)
          ++refused;
        else if (status.error().code == ErrorCode::kInternal)
          ++thrown;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(committed + refused + thrown, 120);
  EXPECT_EQ(committed, 40);
  const auto entries = readAll(*store);
  ASSERT_EQ(static_cast<int>(entries.size()), committed.load());
  core::AuditChainVerifier verifier;
  for (const auto& entry : entries) verifier.add(entry.seq, entry.bytes, entry.hash);
  EXPECT_FALSE(verifier.fault());
}

TEST(Store, AFailureOfTheDatabaseSaysSoWithoutItsDetails) {
  TempDir dir;
  auto store = openStore(dir);
  // What SQLite says of a statement on a table that is not there, thrown where it would be.
  auto status = store->write([&](store::Transaction&) -> core::Status {
    throw Poco::Data::DataException("no such table: no_such_table_secret in " +
                                    std::string(dir / "store.db"));
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_EQ(status.error().reason, "storage_error");
  // The SQL, the table and the path are for the server's log, not for a client's problem.
  EXPECT_EQ(status.error().message.find("no_such_table_secret"), std::string::npos)
      << status.error().message;
  EXPECT_EQ(status.error().message.find(std::string(dir / "")), std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("日志"), std::string::npos);
}

TEST(Store, RefusesWritesAfterClose) {
  TempDir dir;
  auto store = openStore(dir);
  store->close();
  auto status = store->write([](store::Transaction&) { return core::okStatus(); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
}

TEST(BlobStore, StagesHashesPromotesAndKeepsIdenticalContentsOnce) {
  TempDir dir;
  auto store = openStore(dir);
  const auto& blobs = store->blobs();
  const std::string contents = "党务公开 " + std::string(300000, 'z');
  std::istringstream first(contents), second(contents);
  auto a = blobs.stage(first, 1 << 20);
  auto b = blobs.stage(second, 1 << 20);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value().sha256(), core::sha256Hex(contents));
  EXPECT_EQ(a.value().size(), static_cast<std::int64_t>(contents.size()));
  EXPECT_FALSE(blobs.contains(a.value().sha256()));
  ASSERT_TRUE(blobs.promote(a.value()).ok());
  ASSERT_TRUE(blobs.promote(b.value()).ok());
  EXPECT_TRUE(blobs.contains(a.value().sha256()));
  EXPECT_EQ(testing::readFile(blobs.pathOf(a.value().sha256())), contents);
  const auto folder = std::filesystem::path(blobs.pathOf(a.value().sha256())).parent_path();
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(folder), {}), 1);
  EXPECT_TRUE(std::filesystem::is_empty(dir / "data/tmp"));
}

TEST(BlobStore, DropsUnpromotedAndOversizedUploads) {
  TempDir dir;
  auto store = openStore(dir);
  {
    std::istringstream in("never promoted");
    auto staged = store->blobs().stage(in, 1000);
    ASSERT_TRUE(staged.ok());
    EXPECT_FALSE(std::filesystem::is_empty(dir / "data/tmp"));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir / "data/tmp"));
  std::istringstream big(std::string(5000, 'b'));
  auto tooBig = store->blobs().stage(big, 4096);
  ASSERT_FALSE(tooBig.ok());
  EXPECT_EQ(tooBig.error().reason, "payload_too_large");
  EXPECT_TRUE(std::filesystem::is_empty(dir / "data/tmp"));
}

class DocumentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded =
        policies::CategoryCatalogue::loadFile(std::string(GONGKAI_POLICY_DIR) + "/categories.json");
    ASSERT_TRUE(loaded.ok());
    catalogue_ = std::make_unique<policies::CategoryCatalogue>(std::move(loaded).value());
    store_ = openStore(dir_);
    auto policy = policies::PolicySet::loadFolder(GONGKAI_POLICY_DIR);
    ASSERT_TRUE(policy.ok());
    engine_ = std::make_shared<policies::PolicyEngine>(std::move(policy).value());
    units_ = std::make_shared<policies::UnitTree>(
        std::map<std::string, std::string>{{"branch-1", ""}, {"branch-2", ""}});
    service_ = std::make_unique<service::DocumentService>(
        *store_, *catalogue_, [this] { return policies::Authorizer(engine_, units_); });
    subject_.system = true;  // the store's own tests: no policy decides
  }

  // An archivist of `unit`, decided on by the policy files in policies/data.
  static service::Subject archivistOf(const std::string& unit) {
    service::Subject subject{"档案员-" + unit, "127.0.0.1", {}, 0, false};
    subject.principal = policies::Principal{7, subject.id, {{"archivist", unit}}};
    return subject;
  }

  // Metadata as the API reads it from a request body (http/document_json.h).
  static service::DocumentMetadataFields fields(const Poco::JSON::Object::Ptr& body) {
    return http::readMetadataFields(body);
  }
  static service::DocumentMetadataFields json(const std::string& text) {
    return fields(core::parseJsonObject(text).value());
  }
  static Poco::JSON::Object::Ptr metadataJson(const std::string& title,
                                              const std::string& category = "ZZ",
                                              const std::string& issued = "2023-01-06") {
    return core::parseJsonObject(R"({"title":")" + title + R"(","category":")" + category +
                                 R"(","org_unit":"branch-1","scope":"public","mode":"proactive",)"
                                 R"("period":"standing","issued_at":")" +
                                 issued + R"("})")
        .value();
  }
  static service::DocumentMetadataFields metadata(const std::string& title,
                                                  const std::string& category = "ZZ",
                                                  const std::string& issued = "2023-01-06") {
    return fields(metadataJson(title, category, issued));
  }
  std::vector<service::IncomingFile> files(
      const std::vector<std::pair<std::string, std::string>>& named) {
    std::vector<service::IncomingFile> out;
    for (const auto& [name, contents] : named) {
      std::istringstream in(contents);
      out.push_back({name, "", store_->blobs().stage(in, 1 << 20).value()});
    }
    return out;
  }
  std::vector<std::string> fieldCodes(const core::Error& error) {
    std::vector<std::string> codes;
    for (const auto& field : error.fields) codes.push_back(field.field + ":" + field.code);
    return codes;
  }

  service::Subject subject_{"档案员", "127.0.0.1", {}, 0, false};
  TempDir dir_;
  std::shared_ptr<const policies::PolicyEngine> engine_;
  std::shared_ptr<const policies::UnitTree> units_;
  std::unique_ptr<policies::CategoryCatalogue> catalogue_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<service::DocumentService> service_;
};

TEST_F(DocumentServiceTest, VersionsAreImmutableAndConditional) {
  auto created = service_->create(subject_, metadata("初稿"), files({{"表.pdf", "pdf"}}));
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto id = created.value().document_id;
  EXPECT_EQ(created.value().files[0].media_type, "application/pdf");

  auto updated = service_->update(subject_, id, 1, json(R"({"title":"定稿"})"));
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated.value().version, 2);
  EXPECT_EQ(updated.value().updated_by, "档案员");
  EXPECT_EQ(service_->getVersion(subject_, id, 1).value().metadata.title, "初稿");

  auto stale = service_->update(subject_, id, 1, json(R"({"title":"覆盖"})"));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(service_->get(subject_, id).value().version, 2);

  auto same = service_->update(subject_, id, std::nullopt, json(R"({"title":"定稿"})"));
  EXPECT_EQ(same.value().version, 2);

  auto duplicate = service_->addFiles(subject_, id, std::nullopt, files({{"表.pdf", "other"}}));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(fieldCodes(duplicate.error()),
            std::vector<std::string>{"files[0].name:duplicate_file_name"});

  const auto fileId = created.value().files[0].id;
  auto removed = service_->removeFile(subject_, id, 2, fileId);
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(removed.value().files.empty());
  EXPECT_EQ(service_->file(subject_, id, fileId).value().file.name,
            "表.pdf");  // still held by version 1
  EXPECT_EQ(service_->removeFile(subject_, id, 3, fileId).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->get(subject_, 99).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->versions(subject_, id).value().versions.size(), 3u);
}

TEST_F(DocumentServiceTest, ListFiltersAndPages) {
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(service_->create(subject_, metadata("组织" + std::to_string(i)), {}).ok());
  ASSERT_TRUE(service_->create(subject_, metadata("廉政", "DF", "2021-05-01"), {}).ok());
  service::DocumentQuery filter;
  filter.limit = 2;
  auto page = service_->list(subject_, filter).value();
  EXPECT_EQ(page.total, 5);
  ASSERT_EQ(page.documents.size(), 2u);
  EXPECT_EQ(page.documents[0].metadata.title, "廉政");
  filter.category = "ZZ";
  filter.offset = 2;
  page = service_->list(subject_, filter).value();
  EXPECT_EQ(page.total, 4);
  EXPECT_EQ(page.documents[0].metadata.title, "组织1");
  service::DocumentQuery byYear;
  byYear.year = 2021;
  EXPECT_EQ(service_->list(subject_, byYear).value().total, 1);
}

TEST_F(DocumentServiceTest, ListsOnlyTheDocumentsOfGivenCatalogueItems) {
  // What the compliance report reads: the documents that disclose its items, not every one.
  const auto linked = [&](const std::string& title, int item) {
    auto body = metadataJson(title);
    body->set("catalogue_item", item);
    auto created = service_->create(subject_, fields(body), {});
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
    return created.ok() ? created.value().document_id : 0;
  };
  const auto seven = linked("七号事项", 7);
  linked("九号事项", 9);
  ASSERT_TRUE(service_->create(subject_, metadata("未关联"), {}).ok());
  const auto count = [&](std::optional<std::vector<std::int64_t>> items) {
    service::DocumentQuery filter;
    filter.catalogue_items = std::move(items);
    filter.limit = 100;
    return service_->list(subject_, filter).value().total;
  };
  EXPECT_EQ(count(std::nullopt), 3);
  EXPECT_EQ(count(std::vector<std::int64_t>{7}), 1);
  EXPECT_EQ(count(std::vector<std::int64_t>{7, 9}), 2);
  EXPECT_EQ(count(std::vector<std::int64_t>{}), 0);
  // A new version that moves the document to another item moves it in the list too.
  ASSERT_TRUE(
      service_->update(subject_, seven, std::nullopt, json(R"({"catalogue_item":9})")).ok());
  EXPECT_EQ(count(std::vector<std::int64_t>{7}), 0);
  EXPECT_EQ(count(std::vector<std::int64_t>{9}), 2);
}

TEST_F(DocumentServiceTest, EachUseCaseDecidesForItselfWhoMayDoIt) {
  // The service asks the policy itself: an archivist files and edits documents of its own unit
  // only, and a draft of another unit is "no such document" to it, read or changed.
  const service::Subject mine = archivistOf("branch-1"), other = archivistOf("branch-2");
  auto created = service_->create(mine, metadata("本单位"), {});
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto id = created.value().document_id;
  EXPECT_EQ(service_->create(other, metadata("他单位"), {}).error().reason, "unit_forbidden");
  EXPECT_EQ(service_->get(other, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->update(other, id, std::nullopt, json(R"({"title":"改"})")).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(service_->versions(other, id).error().code, ErrorCode::kNotFound);
  // Moving it to a unit the archivist does not cover is refused, and nothing changes.
  EXPECT_EQ(service_->update(mine, id, 1, json(R"({"org_unit":"branch-2"})")).error().reason,
            "unit_forbidden");
  // An archivist may submit but not approve: the step's own permission decides.
  const auto bodiless = [](const char* step) { return core::readStepRequest(step, {}); };
  ASSERT_TRUE(service_->step(mine, id, 1, "submit", bodiless("submit")).ok());
  EXPECT_EQ(service_->step(mine, id, 2, "approve", bodiless("approve")).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(service_->get(mine, id).value().version, 2);
  // Drafts of other units are not counted in lists either.
  service::DocumentQuery all;
  EXPECT_EQ(service_->list(mine, all).value().total, 1);
  EXPECT_EQ(service_->list(other, all).value().total, 0);
  EXPECT_EQ(service_->list(service::Subject{}, all).value().total, 0);
}

TEST_F(DocumentServiceTest, AnUploadIsReadOnlyOnceTheCallerMaySendIt) {
  // The service decides before it asks for what the request carries: a refused caller's upload
  // is never read, so it costs no disk.
  int reads = 0;
  const auto upload = [&]() -> core::Result<service::DocumentService::NewDocument> {
    ++reads;
    return service::DocumentService::NewDocument{metadata("上传"), files({{"a.txt", "a"}})};
  };
  service::Subject member{"党员", "127.0.0.1", {}, 0, false};
  member.principal = policies::Principal{8, member.id, {{"member", ""}}};
  EXPECT_EQ(service_->create(member, upload).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(reads, 0);
  auto created = service_->create(archivistOf("branch-1"), upload);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(reads, 1);
  const auto more = [&]() -> core::Result<std::vector<service::IncomingFile>> {
    ++reads;
    return files({{"b.txt", "b"}});
  };
  const auto id = created.value().document_id;
  EXPECT_EQ(service_->addFiles(archivistOf("branch-2"), id, std::nullopt, more).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(reads, 1);
  EXPECT_TRUE(service_->addFiles(archivistOf("branch-1"), id, std::nullopt, more).ok());
  EXPECT_EQ(reads, 2);
}

TEST_F(DocumentServiceTest, InvalidMetadataNamesEveryBadField) {
  auto bad =
      service_->create(subject_,
                       json(R"({"title":"t","category":"XX","org_unit":"分支","scope":"public",)"
                            R"("mode":"proactive","period":"standing","colour":1,)"
                            R"("issued_at":"2023-02-30","doc_number":"a\u0001"})"),
                       {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  const auto codes = fieldCodes(bad.error());
  for (const char* expected :
       {"colour:unknown_field", "category:unknown_category", "org_unit:invalid_value",
        "issued_at:invalid_value", "doc_number:control_characters"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), expected), codes.end()) << expected;
  }
  auto longSummary = metadataJson("t");
  longSummary->set("summary", std::string(20001, 'a'));
  EXPECT_EQ(fieldCodes(service_->create(subject_, fields(longSummary), {}).error()),
            std::vector<std::string>{"summary:too_long"});
  auto missing = service_->create(subject_, json(R"({"title":"t"})"), {});
  EXPECT_EQ(fieldCodes(missing.error()).size(), 5u);
  auto created = service_->create(subject_, metadata("t"), {});
  auto nullTitle = service_->update(subject_, created.value().document_id, std::nullopt,
                                    json(R"({"title":null})"));
  EXPECT_EQ(fieldCodes(nullTitle.error()), std::vector<std::string>{"title:missing_field"});
  // Nothing of the refused requests reached the log.
  auto session = store_->read();
  EXPECT_EQ(AuditRepository::size(*session), 1);
}

}  // namespace
}  // namespace gongkai::server
