#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gongkai/archive/sm2_signer.h"
#include "gongkai/core/ed25519.h"
#include "gongkai/core/result.h"

namespace gongkai::archive {

// Writes a BagIt 1.0 bag (RFC 8493) as one pax tar with a single top-level folder, the same bytes
// for the same input: entries in path order, every time set to one given moment, no owner names
// or ids, fixed modes. The payload is streamed once; its SHA-256 and SHA-512 are taken on the way
// and the tag files (bagit.txt, bag-info.txt with Payload-Oxum, manifest-sha256.txt,
// manifest-sha512.txt, tagmanifest-sha256.txt) follow it.
class BagWriter {
 public:
  // `bagName`: the top-level folder, ASCII letters, digits, '-', '_', '.'. `mtime`: seconds since
  // the epoch written on every entry.
  BagWriter(std::string bagName, std::int64_t mtime);

  // A payload file under data/, from bytes in memory or a file on disk (streamed). Paths use '/',
  // are relative, and may not contain "." or ".." segments or control characters.
  // A file may come with its SHA-256 as recorded when it was stored (lower-case hex, e.g. a
  // content-addressed blob's name): the manifest then lists that digest and the writer does not
  // hash the file for it, so a file whose bytes have changed since is listed with the digest it
  // should have, and fails any check of the bag (SHA-512 is always taken from the bytes).
  void addBytes(std::string pathInData, std::string bytes);
  void addFile(std::string pathInData, std::string sourcePath, std::string recordedSha256 = {});
  // Signs tagmanifest-sha256.txt (which covers every other file) with Ed25519: the 64-byte
  // signature goes to signatures/tagmanifest-sha256.txt.ed25519.sig and the public key (PEM)
  // beside it, in a folder the tag manifest does not list. The stock openssl checks it:
  //   openssl pkeyutl -verify -pubin -inkey signatures/ed25519-public.pem -rawin
  //     -in tagmanifest-sha256.txt -sigfile signatures/tagmanifest-sha256.txt.ed25519.sig
  void signWith(const core::Ed25519Signer& signer) { signer_ = &signer; }
  // Also (or instead) signs it with SM2/SM3 (distinguishing ID 1234567812345678):
  // signatures/tagmanifest-sha256.txt.sm2.sig (DER) and signatures/sm2-public.pem, checked by
  //   openssl dgst -sm3 -verify signatures/sm2-public.pem -sigopt distid:1234567812345678
  //     -signature signatures/tagmanifest-sha256.txt.sm2.sig tagmanifest-sha256.txt
  // SM2 signatures are randomised, so an SM2-signed bag is reproducible except for that file.
  void signSm2With(const Sm2Signer& signer) { sm2Signer_ = &signer; }
  // A tag file of the bag's own beside bag-info.txt (RFC 8493 §2.2.4), listed in and so signed
  // with the tag manifest, outside the payload manifests. `name`: ASCII letters, digits, '-',
  // '_', '.', none of the standard tag files' names.
  void addTagFile(std::string name, std::string bytes);
  // An extra bag-info.txt field (written after Bagging-Date and Payload-Oxum, in the given order).
  void addInfo(std::string label, std::string value);

  // Called after each chunk of payload with the payload bytes written so far (and, with a check,
  // once more when the check has ended), always on the thread that called writeTo; returning
  // false stops the writing (writeTo then fails with kUnavailable, reason "cancelled").
  void onProgress(std::function<bool(std::int64_t payloadBytes)> progress) {
    progress_ = std::move(progress);
  }
  // Payload bytes the bag will hold (files as they are on disk now).
  std::int64_t payloadBytes() const;

  // What was written: the tar's size and SHA-256 (hex), taken as it was written.
  struct Written {
    std::int64_t size = 0;
    std::string sha256;
  };
  // Writes the bag to `tarPath` (replaced if present) and, when `durable`, fsyncs it before
  // returning. kInvalidArgument for a bad path or a duplicate, kIo when a source cannot be read
  // or the tar cannot be written; a partial tar is removed.
  core::Result<Written> writeTo(const std::string& tarPath, bool durable = false) const;

  // Tag files a check of the written bag adds (name, bytes), or why the check could not be made.
  using TagFiles = std::vector<std::pair<std::string, std::string>>;
  using Check = std::function<core::Result<TagFiles>(int tarStream)>;
  // As writeTo above, with `check` run on a thread of its own while the tar is written: it reads
  // the tar (whole and signed, without what the check adds) from `tarStream` as the writer
  // writes it, each byte as it goes to the file, up to the tar's end (what it leaves unread is
  // drained; the descriptor is not its to close). The tag files it returns are added:
  // everything after the payload (the tag files, the tag manifest and the signatures, a few KiB)
  // is cut off and written again with them, so the payload is written and hashed once and read
  // by the check as it is written. The result is the same bytes as a writeTo of a bag that had
  // those tag files from the start. Names as addTagFile takes them.
  core::Result<Written> writeTo(const std::string& tarPath, bool durable, const Check& check) const;

 private:
  struct Payload {
    std::string path;    // relative to data/
    std::string bytes;   // when from memory
    std::string source;  // when from disk
    std::string sha256;  // as recorded, or empty: taken from the bytes as they are written
  };
  std::string bagName_;
  std::int64_t mtime_;
  std::vector<Payload> payload_;
  std::vector<std::pair<std::string, std::string>> info_;
  std::vector<std::pair<std::string, std::string>> tagFiles_;
  const core::Ed25519Signer* signer_ = nullptr;
  const Sm2Signer* sm2Signer_ = nullptr;
  std::function<bool(std::int64_t)> progress_;
};

// The path as a manifest line writes it (RFC 8493 §2.1.3: CR, LF and '%' percent-encoded).
std::string manifestPath(const std::string& path);

}  // namespace gongkai::archive
