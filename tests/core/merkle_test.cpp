// RFC 6962 / RFC 9162 Merkle tree: the shared conformance vectors, the roots for 0..8 leaves,
// and proofs we build from stored subtrees checked by our own and the vectors' verifier.
#include "gongkai/core/merkle.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "gongkai/core/base64.h"

namespace gongkai::core::merkle {
namespace {

namespace fs = std::filesystem;
const fs::path kVectors = fs::path(GONGKAI_TEST_DATA_DIR) / "rfc6962";

std::string fromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// The leaf inputs behind the vectors' trees, from their README.
std::vector<Hash> vectorLeaves() {
  std::vector<Hash> leaves;
  for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                          "606162636465666768696a6b6c6d6e6f"}) {
    leaves.push_back(leafHash(fromHex(hex)));
  }
  return leaves;
}

Poco::JSON::Object::Ptr readJson(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
}

// A hash from the vectors, or an error when it is not 32 bytes of base64 (a mutated case).
Result<Hash> vectorHash(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (object->isNull(key)) return Error::make(ErrorCode::kMalformed, "null", key);
  auto bytes = base64Decode(object->getValue<std::string>(key));
  if (!bytes) return Error::make(ErrorCode::kMalformed, "base64", key);
  return hashFromBytes(*bytes);
}

// A root from the vectors. Some cases where only equality matters use short placeholder strings
// ("don't care"); those map to the SHA-256 of their bytes, which keeps equal ones equal.
Result<Hash> vectorRoot(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  auto bytes = base64Decode(object->getValue<std::string>(key));
  if (!bytes) return Error::make(ErrorCode::kMalformed, "base64", key);
  if (bytes->size() != sizeof(Hash)) return sha256(*bytes);
  return hashFromBytes(*bytes);
}

Result<std::vector<Hash>> vectorProof(const Poco::JSON::Object::Ptr& object) {
  std::vector<Hash> proof;
  if (object->isNull("proof")) return proof;
  auto array = object->getArray("proof");
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto bytes = base64Decode(array->getElement<std::string>(i));
    if (!bytes) return Error::make(ErrorCode::kMalformed, "base64", "proof");
    auto hash = hashFromBytes(*bytes);
    if (!hash.ok()) return hash.error();
    proof.push_back(hash.value());
  }
  return proof;
}

std::vector<fs::path> vectorFiles(const std::string& kind) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kVectors / kind)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A node source over an in-memory list of leaves, as the store would answer from its nodes.
NodeSource sourceOver(const std::vector<Hash>& leaves) {
  return [&leaves](const NodeId& id) {
    TreeBuilder builder;
    const std::uint64_t begin = id.index << id.level;
    for (std::uint64_t i = begin; i < begin + (std::uint64_t{1} << id.level); ++i) {
      builder.add(leaves.at(i));
    }
    return builder.root();
  };
}

TEST(Merkle, RootsForZeroToEightLeavesMatchTheVectors) {
  const char* expected[] = {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  const auto leaves = vectorLeaves();
  TreeBuilder builder;
  EXPECT_EQ(toHex(builder.root()), expected[0]);
  for (std::size_t n = 1; n <= 8; ++n) {
    builder.add(leaves[n - 1]);
    EXPECT_EQ(toHex(builder.root()), expected[n]) << n << " leaves";
    EXPECT_EQ(toHex(rootAt(n, sourceOver(leaves))), expected[n]) << n << " leaves, from nodes";
  }
}

TEST(Merkle, InclusionVectorsHappyPathsVerifyAndMutationsAreRejected) {
  const auto files = vectorFiles("inclusion");
  ASSERT_GT(files.size(), 50u);
  for (const fs::path& file : files) {
    auto v = readJson(file);
    const bool wantErr = v->getValue<bool>("wantErr");
    auto leaf = vectorHash(v, "leafHash");
    auto root = vectorHash(v, "root");
    auto proof = vectorProof(v);
    bool ok = leaf.ok() && root.ok() && proof.ok();
    if (ok) {
      ok = verifyInclusion(v->getValue<std::uint64_t>("leafIdx"),
                           v->getValue<std::uint64_t>("treeSize"), leaf.value(), proof.value(),
                           root.value())
               .ok();
    }
    EXPECT_EQ(ok, !wantErr) << file << ": " << v->getValue<std::string>("desc");
  }
}

TEST(Merkle, ConsistencyVectorsHappyPathsVerifyAndMutationsAreRejected) {
  const auto files = vectorFiles("consistency");
  ASSERT_GT(files.size(), 30u);
  for (const fs::path& file : files) {
    auto v = readJson(file);
    const bool wantErr = v->getValue<bool>("wantErr");
    auto root1 = vectorRoot(v, "root1");
    auto root2 = vectorRoot(v, "root2");
    auto proof = vectorProof(v);
    bool ok = root1.ok() && root2.ok() && proof.ok();
    if (ok) {
      ok = verifyConsistency(v->getValue<std::uint64_t>("size1"),
                             v->getValue<std::uint64_t>("size2"), proof.value(), root1.value(),
                             root2.value())
               .ok();
    }
    EXPECT_EQ(ok, !wantErr) << file << ": " << v->getValue<std::string>("desc");
  }
}

TEST(Merkle, EdgeCasesTheVectorsNameAreErrors) {
  const Hash someRoot = emptyRoot();
  EXPECT_FALSE(verifyConsistency(0, 3, {someRoot}, someRoot, someRoot).ok());
  EXPECT_FALSE(verifyConsistency(0, 0, {}, someRoot, someRoot).ok());
  EXPECT_FALSE(verifyConsistency(4, 3, {someRoot}, someRoot, someRoot).ok());
  EXPECT_FALSE(hashFromBytes(std::string(31, 'x')).ok());
  EXPECT_FALSE(hashFromBytes(std::string(33, 'x')).ok());
  EXPECT_FALSE(verifyInclusion(3, 3, someRoot, {}, someRoot).ok());
}

TEST(Merkle, GeneratedProofsVerifyForEverySizeAndIndex) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 70; ++i) leaves.push_back(leafHash("entry " + std::to_string(i)));
  const NodeSource source = sourceOver(leaves);
  TreeBuilder builder;
  std::vector<Hash> roots{emptyRoot()};
  for (const Hash& leaf : leaves) {
    builder.add(leaf);
    roots.push_back(builder.root());
  }
  for (std::uint64_t size = 1; size <= leaves.size(); ++size) {
    ASSERT_EQ(rootAt(size, source), roots[size]);
    for (std::uint64_t index = 0; index < size; ++index) {
      const auto proof = inclusionProof(index, size, source);
      ASSERT_TRUE(verifyInclusion(index, size, leaves[index], proof, roots[size]).ok())
          << index << "/" << size;
      if (!proof.empty()) {
        auto bad = proof;
        bad.back()[0] ^= 1;
        ASSERT_FALSE(verifyInclusion(index, size, leaves[index], bad, roots[size]).ok());
      }
    }
    for (std::uint64_t from = 1; from <= size; ++from) {
      const auto proof = consistencyProof(from, size, source);
      ASSERT_TRUE(verifyConsistency(from, size, proof, roots[from], roots[size]).ok())
          << from << "->" << size;
      if (from < size) {
        ASSERT_FALSE(verifyConsistency(from, size, proof, roots[from - 1], roots[size]).ok());
      }
    }
  }
}

TEST(Merkle, ProofsMatchTheVectorsHappyPaths) {
  const auto leaves = vectorLeaves();
  const NodeSource source = sourceOver(leaves);
  for (const fs::path& file : vectorFiles("inclusion")) {
    if (file.filename() != "happy-path.json") continue;
    auto v = readJson(file);
    const auto size = v->getValue<std::uint64_t>("treeSize");
    if (size > leaves.size() || rootAt(size, source) != vectorHash(v, "root").value()) continue;
    const auto proof = inclusionProof(v->getValue<std::uint64_t>("leafIdx"), size, source);
    EXPECT_EQ(proof, vectorProof(v).value()) << file;
  }
  for (const fs::path& file : vectorFiles("consistency")) {
    if (file.filename() != "happy-path.json") continue;
    auto v = readJson(file);
    const auto size2 = v->getValue<std::uint64_t>("size2");
    if (size2 > leaves.size() || rootAt(size2, source) != vectorHash(v, "root2").value()) continue;
    EXPECT_EQ(consistencyProof(v->getValue<std::uint64_t>("size1"), size2, source),
              vectorProof(v).value())
        << file;
  }
}

TEST(Merkle, TreeBuilderResumesFromItsFrontierAndReportsCompletedNodes) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 45; ++i) leaves.push_back(leafHash(std::to_string(i)));
  std::map<NodeId, Hash> stored;
  TreeBuilder builder;
  for (const Hash& leaf : leaves) {
    for (const Node& node : builder.add(leaf)) stored[node.id] = node.hash;
  }
  const NodeSource source = sourceOver(leaves);
  for (const auto& [id, hash] : stored) ASSERT_EQ(hash, source(id));
  for (std::uint64_t size = 0; size <= leaves.size(); ++size) {
    std::vector<Hash> frontier;
    for (const NodeId& id : frontierNodes(size)) frontier.push_back(stored.at(id));
    auto resumed = TreeBuilder::resume(size, frontier);
    ASSERT_TRUE(resumed.ok());
    for (std::uint64_t i = size; i < leaves.size(); ++i) resumed.value().add(leaves[i]);
    ASSERT_EQ(resumed.value().root(), builder.root()) << "resumed at " << size;
  }
  EXPECT_FALSE(TreeBuilder::resume(5, {}).ok());
  EXPECT_EQ(nodesForRoot(8).size(), 1u);
  EXPECT_LE(nodesForInclusion(999'999, 1'000'000).size(), 45u);
}

}  // namespace
}  // namespace gongkai::core::merkle
