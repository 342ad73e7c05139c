// The Merkle tree the store keeps beside the audit log, the proofs built from it, the checkpoint
// service and the signing key files, over real SQLite files in a temporary folder (or PostgreSQL
// databases: support/test_store.h).
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "gongkai/core/checkpoint.h"
#include "gongkai/core/merkle.h"
#include "gongkai/core/sha256.h"
#include "gongkai/server/service/audit_service.h"
#include "gongkai/server/service/checkpoint_service.h"
#include "gongkai/server/service/signing_key.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/merkle_repository.h"
#include "gongkai/server/store/store.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace gongkai::server {
namespace {

using gongkai::testing::TempDir;
using store::AuditRepository;
using store::Store;
namespace merkle = core::merkle;

core::AuditEntry draft(int i) {
  core::AuditEntry entry;
  entry.actor = "测试";
  entry.action = "test.append";
  entry.object_type = "test";
  entry.object_id = std::to_string(i);
  entry.content_sha256 = core::sha256Hex(std::to_string(i));
  return entry;
}

std::unique_ptr<Store> openStore(const TempDir& dir) {
  auto store = Store::open(dir / "data", gongkai::testing::testStoreOptions(dir / "data"));
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return std::move(store).value();
}

core::Status appendUnit(Store& store, int count, bool fail = false) {
  static int next = 0;
  return store.write([&](store::Transaction& tx) -> core::Status {
    for (int i = 0; i < count; ++i) AuditRepository::append(tx, draft(next++));
    if (fail) return core::Error::make(core::ErrorCode::kConflict, "test_failure", "undo me");
    return core::okStatus();
  });
}

// Roots of every prefix of the log, recomputed from the stored entries.
std::vector<merkle::Hash> prefixRoots(Store& store) {
  auto session = store.read();
  merkle::TreeBuilder tree;
  std::vector<merkle::Hash> roots{tree.root()};
  for (const auto& entry : AuditRepository::list(*session, 0, 100000)) {
    tree.add(merkle::leafHash(entry.bytes));
    roots.push_back(tree.root());
  }
  return roots;
}

std::uint64_t leafCount(Store& store) {
  auto session = store.read();
  return store::MerkleRepository::leafCount(*session);
}

TEST(AuditTree, ProofsFromStoredNodesVerifyForEverySizeAndFailedUnitsLeaveNoNodes) {
  TempDir dir;
  auto store = openStore(dir);
  for (int unit = 1; unit <= 12; ++unit) {
    ASSERT_TRUE(appendUnit(*store, unit % 4 + 1).ok());
    // Nodes a failed unit wrote go with it, and the next unit continues the tree.
    ASSERT_FALSE(appendUnit(*store, 3, true).ok());
  }
  const auto roots = prefixRoots(*store);
  const std::int64_t size = static_cast<std::int64_t>(roots.size()) - 1;
  ASSERT_EQ(size, 30);
  EXPECT_EQ(leafCount(*store), 30u);
  service::AuditService audit(*store);
  auto session = store->read();
  const auto entries = AuditRepository::list(*session, 0, 1000);
  for (std::int64_t n = 1; n <= size; ++n) {
    for (std::int64_t i = 0; i < n; ++i) {
      auto proof = audit.inclusionProof(i, n);
      ASSERT_TRUE(proof.ok()) << proof.error().message;
      EXPECT_EQ(proof.value().root, roots[n]);
      EXPECT_EQ(proof.value().leaf_hash, merkle::leafHash(entries[i].bytes));
      ASSERT_TRUE(
          merkle::verifyInclusion(i, n, proof.value().leaf_hash, proof.value().proof, roots[n])
              .ok());
    }
    for (std::int64_t m = 1; m <= n; ++m) {
      auto proof = audit.consistencyProof(m, n);
      ASSERT_TRUE(proof.ok());
      ASSERT_TRUE(merkle::verifyConsistency(m, n, proof.value().proof, roots[m], roots[n]).ok())
          << m << "->" << n;
    }
  }
  EXPECT_FALSE(audit.inclusionProof(0, size + 1).ok());
  EXPECT_FALSE(audit.inclusionProof(size, size).ok());
  EXPECT_FALSE(audit.consistencyProof(0, size).ok());
  EXPECT_FALSE(audit.consistencyProof(2, size + 1).ok());
}

TEST(AuditTree, ReopeningRebuildsATreeThatIsBehindTheLog) {
  TempDir dir;
  merkle::Hash before{};
  {
    auto store = openStore(dir);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(appendUnit(*store, 5).ok());
    before = prefixRoots(*store).back();
  }
  // A data folder from before the tree existed has entries but no nodes.
  *gongkai::testing::openTestDatabase(dir / "data") << "DELETE FROM merkle_nodes",
      Poco::Data::Keywords::now;
  auto store = openStore(dir);
  EXPECT_EQ(leafCount(*store), 25u);
  service::AuditService audit(*store);
  auto proof = audit.inclusionProof(7, 25);
  ASSERT_TRUE(proof.ok());
  EXPECT_EQ(proof.value().root, before);
  ASSERT_TRUE(appendUnit(*store, 2).ok());
  EXPECT_EQ(leafCount(*store), 27u);
  EXPECT_EQ(audit.inclusionProof(26, 27).value().root, prefixRoots(*store).back());
}

TEST(AuditTree, ATreeAheadOfTheLogRefusesToOpen) {
  TempDir dir;
  {
    auto store = openStore(dir);
    ASSERT_TRUE(appendUnit(*store, 4).ok());
  }
  *gongkai::testing::openTestDatabase(dir / "data") << "DELETE FROM audit_log WHERE seq = 4",
      Poco::Data::Keywords::now;
  auto store = Store::open(dir / "data", gongkai::testing::testStoreOptions(dir / "data"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, core::ErrorCode::kCorrupt);
}

TEST(CheckpointService, SignsEveryNEntriesAndOnRequest) {
  TempDir dir;
  auto store = openStore(dir);
  auto signer = service::loadOrCreateSigningKey(dir / "keys/signing.pem", "test.example/log");
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  const auto key = signer.value().verifier;
  service::CheckpointService checkpoints(*store, "test.example/log", std::move(signer).value(),
                                         {5, 3600});
  ASSERT_TRUE(checkpoints.start().ok());
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(appendUnit(*store, 1).ok());
  service::AuditService audit(*store);
  auto listed = audit.checkpoints(-1, 100);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  auto made = listed.value();
  std::vector<std::int64_t> sizes;
  for (const auto& c : made) sizes.push_back(c.tree_size);
  EXPECT_EQ(sizes, (std::vector<std::int64_t>{0, 5, 10}));
  auto now = checkpoints.checkpointNow();
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now.value().tree_size, 12);
  EXPECT_EQ(checkpoints.checkpointNow().value().note,
            now.value().note);  // nothing new: the same one
  const auto roots = prefixRoots(*store);
  const auto all = audit.checkpoints(-1, 100).value();
  for (const auto& c : all) {
    auto parsed = core::note::parseNote(c.note);
    ASSERT_TRUE(parsed.ok()) << c.note << parsed.error().message;
    auto note = parsed.value();
    EXPECT_EQ(core::note::verifyNote(note, {key}), core::note::Verdict::kVerified);
    auto checkpoint = core::parseCheckpoint(note.text).value();
    EXPECT_EQ(checkpoint.origin, "test.example/log");
    EXPECT_EQ(checkpoint.root, roots[c.tree_size]);
    EXPECT_EQ(c.root_hash, core::toHex(roots[c.tree_size]));
  }
  checkpoints.stop();
}

TEST(SigningKey, LoadsTheSameKeyRotatesAndKeepsEveryVerifierKey) {
  TempDir dir;
  const std::string file = dir / "keys/signing.pem";
  auto first = service::loadOrCreateSigningKey(file, "unit.example/audit");
  ASSERT_TRUE(first.ok());
  auto again = service::loadOrCreateSigningKey(file, "unit.example/audit");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().verifier.public_key, first.value().verifier.public_key);
  auto rotated = service::rotateSigningKey(file, "unit.example/audit");
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(rotated.value().verifier.public_key, first.value().verifier.public_key);
  auto listed = service::readVerifierKeys(file);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed.value().size(), 2u);
  EXPECT_EQ(listed.value()[0].public_key, first.value().verifier.public_key);
  EXPECT_EQ(listed.value()[1].public_key, rotated.value().verifier.public_key);
  EXPECT_EQ(service::loadOrCreateSigningKey(file, "unit.example/audit").value().verifier.public_key,
            rotated.value().verifier.public_key);

  for (const std::string bad : {"", "has space", "a+b"}) {
    EXPECT_FALSE(service::loadOrCreateSigningKey(dir / "other/key.pem", bad).ok()) << bad;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "other/key.pem"));
  std::filesystem::create_directories(dir / "broken");
  { std::ofstream(dir / "broken/key.pem") << "not a key"; }
  EXPECT_FALSE(service::loadOrCreateSigningKey(dir / "broken/key.pem", "unit.example/audit").ok());
}

}  // namespace
}  // namespace gongkai::server
