#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gongkai/indexer/search_index.h"

namespace gongkai::indexer {

// Builds a fresh index from many versions on several threads. Versions are gathered into
// batches; each batch is indexed by a worker thread into its own small database (a part), and
// the parts are merged into one index with Xapian's compactor at the end.
//
// Why: Xapian's cost per added document grows with the size of the database it is added to
// (each commit merges every touched posting list into the B-trees), while compaction merges
// posting lists in one sequential pass. Small parts keep adding cheap and let every core work:
// 100,000 generated CJK documents index at about 800-900 documents/s on this two-core machine
// (one database written by one thread: about 200), and the compacted index is a third smaller.
//
// The parts are numbered in the order their batches were filled and merged in that order, so
// document ids (and so the order of equally scored results) do not depend on thread timing.
class ParallelBuilder {
 public:
  // Parts are written under `partsFolder` (created, and removed by the destructor).
  ParallelBuilder(std::string partsFolder, unsigned threads);
  ~ParallelBuilder();
  ParallelBuilder(const ParallelBuilder&) = delete;
  ParallelBuilder& operator=(const ParallelBuilder&) = delete;

  // Adds a version; each version must come once only. Blocks while the workers are behind, so
  // memory stays bounded. Throws std::runtime_error once a worker has failed.
  void add(const IndexedVersion& version);

  // Waits for every batch, then merges the parts into a new database at `destination`, which
  // must not exist yet. Throws std::runtime_error on failure.
  void finishInto(const std::string& destination);

 private:
  struct Batch {
    int part = 0;
    std::vector<IndexedVersion> versions;
  };
  // Sorts the versions not yet submitted (sortForLocality) into the next numbered batch.
  Batch takeFilling();
  void submitFilling();
  // At the finish: cuts what no worker has started, and the versions not yet submitted, into
  // small parts (see kTailPartVersions).
  void queueTailInSmallParts();
  void workerLoop();
  void indexPart(const Batch& batch);
  std::string partPath(int part) const;
  void stopWorkers();

  std::string partsFolder_;
  std::vector<IndexedVersion> filling_;
  std::size_t fillingBytes_ = 0;
  int partsSubmitted_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;     // guarded by mutex_
  std::size_t queueLimit_ = 1;  // batches waiting, at most
  int busy_ = 0;                // workers indexing a batch, guarded by mutex_
  bool closing_ = false;        // guarded by mutex_
  std::string failure_;         // first worker failure, guarded by mutex_
  std::vector<std::thread> workers_;
};

// Worker threads for a rebuild on this machine: one per core, at least one, at most four.
unsigned rebuildThreads();

}  // namespace gongkai::indexer
