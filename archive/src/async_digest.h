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
  // Waits for everything given so far, returns the digest in lower-case hex and starts afresh.
  std::string finishHex();

 private:
  void loop();

  const EVP_MD* md_;
  EVP_MD_CTX* context_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<char>> queue_;   // filled, waiting to be hashed, in order
  std::vector<std::vector<char>> spare_;  // emptied, for reuse
  bool busy_ = false;                     // the worker holds a buffer
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace gongkai::archive
