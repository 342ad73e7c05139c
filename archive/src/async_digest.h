#pragma once

#include <openssl/evp.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gongkai::archive {

// A digest taken on a thread of its own: the bytes are copied into one of a few buffers and
// hashed there, so a second and third digest of a stream (SHA-512 beside SHA-256, the tar's own
// SHA-256) run on the machine's other core instead of after the first. Used by one thread.
class AsyncDigest {
 public:
  explicit AsyncDigest(const EVP_MD* md);
  ~AsyncDigest();
  AsyncDigest(const AsyncDigest&) = delete;
  AsyncDigest& operator=(const AsyncDigest&) = delete;

  void update(const char* data, std::size_t size);
  // Ends the current stream: its digest, in lower-case hex, is written to `*out` once the worker
  // gets there, and a new stream starts. The caller keeps `*out` alive and reads it after wait().
  // Ending streams this way, not waiting at each, keeps the worker busy across many small files.
  void finishInto(std::string* out);
  // Waits until everything given so far is hashed.
  void wait();
  // finishInto() and wait(): the digest of the current stream.
  std::string finishHex();
  // Where the current stream stands (after wait()), to go back to with restore(): a writer that
  // rewinds its output to an earlier point rewinds its digest with it. Owned by the caller
  // (EVP_MD_CTX_free).
  EVP_MD_CTX* save();
  void restore(const EVP_MD_CTX* saved);

 private:
  void loop();

  const EVP_MD* md_;
  EVP_MD_CTX* context_;
  std::mutex mutex_;
  std::condition_variable changed_;
  struct Piece {
    std::vector<char> bytes;
    std::string* finish = nullptr;  // set: the end of a stream, its digest goes here
  };
  std::deque<Piece> queue_;               // waiting to be hashed, in order
  std::vector<std::vector<char>> spare_;  // emptied, for reuse
  bool busy_ = false;                     // the worker holds a buffer
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace gongkai::archive
