#include "async_digest.h"

#include <algorithm>

namespace gongkai::archive {
namespace {

constexpr std::size_t kPiece = 1 << 20;
constexpr std::size_t kMaxQueued = 4;  // bounds memory: a few MiB whatever the stream

std::string hexOf(const unsigned char* bytes, unsigned int length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

}  // namespace

AsyncDigest::AsyncDigest(const EVP_MD* md) : md_(md), context_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(context_, md_, nullptr);
  worker_ = std::thread([this] { loop(); });
}

AsyncDigest::~AsyncDigest() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
  EVP_MD_CTX_free(context_);
}

void AsyncDigest::update(const char* data, std::size_t size) {
  while (size > 0) {
    const std::size_t piece = std::min(size, kPiece);
    std::vector<char> buffer;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
      if (!spare_.empty()) {
        buffer = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    buffer.assign(data, data + piece);
    {
      std::lock_guard lock(mutex_);
      queue_.push_back({std::move(buffer), nullptr});
    }
    changed_.notify_all();
    data += piece;
    size -= piece;
  }
}

void AsyncDigest::finishInto(std::string* out) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
    queue_.push_back({{}, out});
  }
  changed_.notify_all();
}

void AsyncDigest::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

std::string AsyncDigest::finishHex() {
  std::string out;
  finishInto(&out);
  wait();
  return out;
}

EVP_MD_CTX* AsyncDigest::save() {
  wait();
  EVP_MD_CTX* saved = EVP_MD_CTX_new();
  EVP_MD_CTX_copy_ex(saved, context_);
  return saved;
}

void AsyncDigest::restore(const EVP_MD_CTX* saved) {
  wait();
  EVP_MD_CTX_copy_ex(context_, saved);
}

void AsyncDigest::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    Piece piece = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    changed_.notify_all();
    if (piece.finish != nullptr) {
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int length = 0;
      EVP_DigestFinal_ex(context_, digest, &length);
      EVP_DigestInit_ex(context_, md_, nullptr);
      *piece.finish = hexOf(digest, length);
    } else {
      EVP_DigestUpdate(context_, piece.bytes.data(), piece.bytes.size());
    }
    lock.lock();
    busy_ = false;
    if (piece.finish == nullptr) {
      piece.bytes.clear();
      spare_.push_back(std::move(piece.bytes));
    }
    changed_.notify_all();
  }
}

}  // namespace gongkai::archive
