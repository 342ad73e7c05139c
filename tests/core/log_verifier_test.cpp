// LogVerifier's batched path (parallel hashing of a batch's leaves and inner nodes, the stored
// leaves compared there, one buffer per batch) must reach exactly the verdicts, sizes and roots
// of verifying entry by entry, faults included, wherever batches and checkpoints fall.
#include "gongkai/core/log_verifier.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "gongkai/core/audit_entry.h"
#include "gongkai/core/checkpoint.h"
#include "gongkai/core/ed25519.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/signed_note.h"
#include "gongkai/core/time.h"

namespace gongkai::core {
namespace {

constexpr const char* kOrigin = "gongkai.test/log";

// A chained log of `count` canonical entries.
std::vector<std::string> makeLog(int count) {
  std::vector<std::string> log;
  std::string prev(kGenesisHash);
  const TimePoint start = *parseRfc3339("2026-12-05T08:00:00.000Z");
  for (int i = 1; i <= count; ++i) {
    AuditEntry entry;
    entry.seq = i;
    entry.time = start + std::chrono::milliseconds(i);
    entry.actor = "archivist";
    entry.action = "document.create";
    entry.object_type = "document";
    entry.object_id = std::to_string(i);
    entry.object_version = 1;
    entry.content_sha256 = sha256Hex(std::to_string(i));
    entry.prev_hash = prev;
    log.push_back(canonicalBytes(entry));
    prev = entryHash(log.back());
  }
  return log;
}

struct Outcome {
  bool ok;
  std::int64_t entries;
  merkle::Hash root;
  std::string head;
  std::int64_t checkpoints;
  std::string fault;  // kind@seq
  std::int64_t seen;  // entries onEntry saw

  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Outcome& o) {
  return out << (o.ok ? "ok" : "fault " + o.fault) << " entries " << o.entries << " checkpoints "
             << o.checkpoints << " seen " << o.seen;
}

enum class Mode { kOneByOne, kInputs, kBatch };

class Fixture {
 public:
  Fixture() : signer_(Ed25519Signer::generate().value()) {}

  std::string checkpointAt(const std::vector<std::string>& log, std::uint64_t size) {
    merkle::TreeBuilder tree;
    for (std::uint64_t i = 0; i < size; ++i) tree.append(merkle::leafHash(log[i]));
    return note::signNote(formatCheckpoint({kOrigin, size, tree.root(), {}}), kOrigin, signer_);
  }

  // Verifies `log` in `mode`, with batches of the sizes in `cuts` (repeated), the stored leaves
  // `leaves` and the stored hashes `hashes`, against checkpoints at `sizes`.
  Outcome run(Mode mode, const std::vector<std::string>& log,
              const std::vector<merkle::Hash>& leaves, const std::vector<std::string>& hashes,
              const std::vector<std::uint64_t>& sizes, const std::vector<std::size_t>& cuts) {
    LogVerifier verifier({note::makeVerifierKey(kOrigin, signer_.publicKey())}, kOrigin);
    for (std::uint64_t size : sizes) verifier.addCheckpoint(checkpoints_.at(size), "cp");
    std::int64_t seen = 0;
    const auto onEntry = [&](const AuditEntry&) { ++seen; };
    bool ok = true;
    if (mode == Mode::kOneByOne) {
      for (std::size_t i = 0; i < log.size() && ok; ++i) {
        ok = verifier.addEntry(static_cast<std::int64_t>(i + 1), log[i], hashes[i], leaves[i]);
        if (ok) ++seen;
      }
    } else {
      std::size_t next = 0;
      for (std::size_t cut = 0; next < log.size() && ok; ++cut) {
        const std::size_t end = std::min(log.size(), next + cuts[cut % cuts.size()]);
        if (mode == Mode::kInputs) {
          std::vector<LogVerifier::Input> batch;
          for (std::size_t i = next; i < end; ++i) {
            batch.push_back({static_cast<std::int64_t>(i + 1), log[i], hashes[i], leaves[i]});
          }
          ok = verifier.addEntries(batch, onEntry);
        } else {
          LogVerifier::Batch batch;
          for (std::size_t i = next; i < end; ++i) {
            batch.add(static_cast<std::int64_t>(i + 1), log[i], hashes[i], leaves[i]);
          }
          ok = verifier.addEntries(batch, onEntry);
        }
        next = end;
      }
    }
    if (ok) ok = verifier.finish();
    const auto& fault = verifier.fault();
    return Outcome{ok,
                   verifier.entries(),
                   verifier.root(),
                   verifier.headHash(),
                   verifier.checkpointsVerified(),
                   fault ? fault->kind + "@" + std::to_string(fault->seq) : "",
                   seen};
  }

  void sign(const std::vector<std::string>& log, const std::vector<std::uint64_t>& sizes) {
    for (std::uint64_t size : sizes) checkpoints_[size] = checkpointAt(log, size);
  }

 private:
  Ed25519Signer signer_;
  std::map<std::uint64_t, std::string> checkpoints_;
};

TEST(LogVerifier, BatchesGiveTheVerdictsOfEntryByEntry) {
  const std::vector<std::string> log = makeLog(3000);
  std::vector<merkle::Hash> leaves;
  std::vector<std::string> hashes;
  for (const auto& bytes : log) {
    leaves.push_back(merkle::leafHash(bytes));
    hashes.push_back(entryHash(bytes));
  }
  const std::vector<std::uint64_t> sizes = {1, 255, 256, 257, 1024, 1500, 2047, 2048, 3000};
  Fixture fixture;
  fixture.sign(log, sizes);
  const std::vector<std::vector<std::size_t>> cutSets = {{1},    {1000}, {1024}, {777, 1301, 5},
                                                         {3000}, {4096}};

  const auto compare = [&](const std::vector<std::string>& entries,
                           const std::vector<merkle::Hash>& storedLeaves,
                           const std::vector<std::string>& storedHashes, const char* what) {
    const Outcome expected =
        fixture.run(Mode::kOneByOne, entries, storedLeaves, storedHashes, sizes, {1});
    for (const auto& cuts : cutSets) {
      for (Mode mode : {Mode::kInputs, Mode::kBatch}) {
        EXPECT_EQ(fixture.run(mode, entries, storedLeaves, storedHashes, sizes, cuts), expected)
            << what << ", first cut " << cuts.front() << ", mode " << static_cast<int>(mode);
      }
    }
    return expected;
  };

  const Outcome clean = compare(log, leaves, hashes, "clean");
  EXPECT_TRUE(clean.ok);
  EXPECT_EQ(clean.entries, 3000);
  EXPECT_EQ(clean.checkpoints, static_cast<std::int64_t>(sizes.size()));

  for (std::size_t at : {0u, 255u, 256u, 1023u, 1800u, 2999u}) {
    auto badLeaves = leaves;
    badLeaves[at][0] ^= 1;
    const Outcome leaf = compare(log, badLeaves, hashes, "stored leaf changed");
    EXPECT_EQ(leaf.fault, "leaf_mismatch@" + std::to_string(at + 1));
    EXPECT_EQ(leaf.entries, static_cast<std::int64_t>(at));

    auto badHashes = hashes;
    badHashes[at][0] = badHashes[at][0] == 'a' ? 'b' : 'a';
    EXPECT_EQ(compare(log, leaves, badHashes, "stored hash changed").fault,
              "hash_mismatch@" + std::to_string(at + 1));

    // An entry rewritten with its stored leaf and hash to match: its successor's link breaks,
    // or, for the last, the checkpoint's root differs.
    auto rewritten = log;
    auto rewrittenLeaves = leaves;
    auto rewrittenHashes = hashes;
    auto parsed = parseAuditEntry(rewritten[at]).value();
    parsed.actor = "mallory";
    rewritten[at] = canonicalBytes(parsed);
    rewrittenLeaves[at] = merkle::leafHash(rewritten[at]);
    rewrittenHashes[at] = entryHash(rewritten[at]);
    const Outcome rewrite = compare(rewritten, rewrittenLeaves, rewrittenHashes, "rewritten");
    EXPECT_FALSE(rewrite.ok);
  }

  // Cut short: the last checkpoint covers more than the log holds.
  const std::vector<std::string> shorter(log.begin(), log.begin() + 2500);
  const std::vector<merkle::Hash> shorterLeaves(leaves.begin(), leaves.begin() + 2500);
  const std::vector<std::string> shorterHashes(hashes.begin(), hashes.begin() + 2500);
  EXPECT_EQ(compare(shorter, shorterLeaves, shorterHashes, "truncated").fault, "truncated@2501");
}

TEST(LogVerifier, SubtreesAppendLikeTheirLeaves) {
  std::vector<merkle::Hash> leaves;
  for (int i = 0; i < 100; ++i) leaves.push_back(merkle::leafHash(std::to_string(i)));
  merkle::TreeBuilder oneByOne;
  for (const auto& leaf : leaves) oneByOne.append(leaf);
  // 0..63 as one subtree of 64, then 64..95 as 32, 96..99 as 4.
  const auto rootOf = [&](std::size_t from, std::size_t count) {
    merkle::TreeBuilder part;
    for (std::size_t i = from; i < from + count; ++i) part.append(leaves[i]);
    return part.root();
  };
  merkle::TreeBuilder bySubtree;
  bySubtree.appendSubtree(rootOf(0, 64), 6);
  bySubtree.appendSubtree(rootOf(64, 32), 5);
  bySubtree.appendSubtree(rootOf(96, 4), 2);
  EXPECT_EQ(bySubtree.size(), 100u);
  EXPECT_EQ(bySubtree.root(), oneByOne.root());
  EXPECT_THROW(bySubtree.appendSubtree(rootOf(0, 8), 3), std::logic_error);
}

}  // namespace
}  // namespace gongkai::core
