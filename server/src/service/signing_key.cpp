#include "gongkai/server/service/signing_key.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace gongkai::server::service {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

Error ioError(const std::string& message) {
  return Error::make(ErrorCode::kIo, "signing_key_error", message);
}

std::optional<std::string> readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `contents` to `path` atomically with mode 0600: a temporary file, fsync, rename.
core::Status writePrivateFile(const fs::path& path, const std::string& contents) {
  const fs::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ioError("无法写入密钥文件 (cannot write key file) " + temporary.string());
  ::fchmod(fd, 0600);
  const bool written =
      ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return ioError("无法写入密钥文件 (cannot write key file) " + path.string());
  }
  const int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return core::okStatus();
}

// Holds an exclusive lock on the key folder's lock file while it lives: servers sharing a data
// folder (PostgreSQL mode) that start together must not each make a key of their own, nor both
// append to the verifier list at once. The lock is dropped when the file is closed.
class KeyFolderLock {
 public:
  explicit KeyFolderLock(const std::string& keyFile) {
    const fs::path path = fs::path(keyFile).parent_path() / "keys.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);  // failing: as before, one server alone is unaffected
  }
  ~KeyFolderLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  KeyFolderLock(const KeyFolderLock&) = delete;
  KeyFolderLock& operator=(const KeyFolderLock&) = delete;

 private:
  int fd_ = -1;
};

Error badOrigin(const std::string& name) {
  return Error::make(
      ErrorCode::kInvalidArgument, "bad_origin",
      "审计日志来源名称无效，不能为空或含空格、“+” (the audit origin must be non-empty "
      "without spaces or '+'): " +
          name);
}

core::Status ensureKeyFolder(const fs::path& keyFile) {
  const fs::path folder = keyFile.parent_path().empty() ? fs::path(".") : keyFile.parent_path();
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return ioError("无法创建密钥目录 (cannot create key folder) " + folder.string());
  // New or not, the folder is for this account alone: one made by hand with a looser mode (or
  // by an older version) is tightened, as the key file in it must not be listable by others.
  struct stat info {};
  if (::stat(folder.c_str(), &info) == 0 && (info.st_mode & 077) != 0 &&
      ::chmod(folder.c_str(), 0700) != 0) {
    return ioError("无法收紧密钥目录权限 (cannot make the key folder private) " + folder.string());
  }
  return core::okStatus();
}

// A private key that others may read is no longer private: refuse it, as ssh does, rather than
// sign with it. The operator tightens it (chmod 600) or rotates the key.
core::Status requirePrivateMode(const std::string& keyFile) {
  struct stat info {};
  if (::stat(keyFile.c_str(), &info) != 0) return core::okStatus();  // missing: made below
  if ((info.st_mode & 077) == 0) return core::okStatus();
  char mode[8];
  std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(info.st_mode & 0777));
  return ioError("签名密钥文件 " + keyFile + " 的权限为 " + mode +
                 "，其他用户可读：请执行 chmod 600 后重启，或更换密钥 (the signing key is readable "
                 "by others, mode " +
                 mode + ": chmod 600 it, or rotate the key)");
}

// Appends the verifier key to the list beside the key file unless it is there already.
core::Status listVerifierKey(const std::string& keyFile, const core::note::VerifierKey& key) {
  const fs::path path = verifierKeysPath(keyFile);
  const std::string line = core::note::formatVerifierKey(key);
  std::string contents = readFile(path).value_or(
      "# 审计检查点验证密钥 (verifier keys of the audit checkpoints), current last\n");
  if (contents.find(line + "\n") != std::string::npos) return core::okStatus();
  if (!contents.empty() && contents.back() != '\n') contents += '\n';
  contents += line + "\n";
  // Durably (fsync of the file and its folder) before the new private key is written: a crash
  // must never leave a signing key whose verifier key is not on the list.
  return writePrivateFile(path, contents);
}

core::Result<CheckpointSigner> makeSigner(const std::string& keyFile, const std::string& name,
                                          core::Ed25519Signer key) {
  if (!core::note::isValidKeyName(name)) return badOrigin(name);
  auto verifier = core::note::makeVerifierKey(name, key.publicKey());
  if (auto listed = listVerifierKey(keyFile, verifier); !listed.ok()) return listed.error();
  return CheckpointSigner{keyFile, name, std::move(key), std::move(verifier)};
}

}  // namespace

std::string verifierKeysPath(const std::string& keyFile) {
  return (fs::path(keyFile).parent_path() / "verifier-keys.txt").string();
}

core::Result<CheckpointSigner> loadOrCreateSigningKey(const std::string& keyFile,
                                                      const std::string& name) {
  if (!core::note::isValidKeyName(name)) return badOrigin(name);
  if (auto folder = ensureKeyFolder(keyFile); !folder.ok()) return folder.error();
  const KeyFolderLock locked(keyFile);
  if (auto mode = requirePrivateMode(keyFile); !mode.ok()) return mode.error();
  if (auto pem = readFile(keyFile)) {
    auto key = core::Ed25519Signer::fromPem(*pem);
    if (!key.ok())
      return ioError("签名密钥文件无法读取 (cannot read signing key) " + keyFile + ": " +
                     key.error().message);
    return makeSigner(keyFile, name, std::move(key).value());
  }
  if (fs::exists(keyFile))
    return ioError("签名密钥文件无法打开 (cannot open signing key) " + keyFile);
  auto key = core::Ed25519Signer::generate();
  if (!key.ok()) return key.error();
  if (auto written = writePrivateFile(keyFile, key.value().privateKeyPem()); !written.ok()) {
    return written.error();
  }
  return makeSigner(keyFile, name, std::move(key).value());
}

core::Result<CheckpointSigner> rotateSigningKey(const std::string& keyFile,
                                                const std::string& name) {
  if (!core::note::isValidKeyName(name)) return badOrigin(name);
  if (auto folder = ensureKeyFolder(keyFile); !folder.ok()) return folder.error();
  const KeyFolderLock locked(keyFile);
  auto key = core::Ed25519Signer::generate();
  if (!key.ok()) return key.error();
  // List the new verifier key first: a crash in between leaves an extra listed key, never a
  // signing key whose checkpoints nobody can verify.
  auto verifier = core::note::makeVerifierKey(name, key.value().publicKey());
  if (auto listed = listVerifierKey(keyFile, verifier); !listed.ok()) return listed.error();
  if (auto written = writePrivateFile(keyFile, key.value().privateKeyPem()); !written.ok()) {
    return written.error();
  }
  return makeSigner(keyFile, name, std::move(key).value());
}

core::Result<std::vector<core::note::VerifierKey>> readVerifierKeys(const std::string& keyFile) {
  const auto contents = readFile(verifierKeysPath(keyFile));
  if (!contents)
    return Error::make(ErrorCode::kNotFound, "no_verifier_keys",
                       "没有验证密钥列表 (no verifier key list) " + verifierKeysPath(keyFile));
  return core::note::parseVerifierKeys(*contents);
}

core::Result<std::string> loadOrCreateSecret(const std::string& path) {
  if (auto folder = ensureKeyFolder(path); !folder.ok()) return folder.error();
  const KeyFolderLock locked(path);
  if (auto mode = requirePrivateMode(path); !mode.ok()) return mode.error();
  if (auto existing = readFile(path)) {
    if (existing->size() != 64 ||
        existing->find_first_not_of("0123456789abcdef") != std::string::npos) {
      return ioError("密钥文件已损坏 (the secret file is damaged) " + path);
    }
    return *existing;
  }
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return ioError("RAND_bytes failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  if (auto written = writePrivateFile(path, hex); !written.ok()) return written.error();
  return hex;
}

}  // namespace gongkai::server::service
