#pragma once

#include <string>
#include <vector>

#include "gongkai/core/ed25519.h"
#include "gongkai/core/result.h"
#include "gongkai/core/signed_note.h"

namespace gongkai::server::service {

// The key that signs audit checkpoints, with the name it signs under (the log's origin).
struct CheckpointSigner {
  std::string key_file;
  std::string name;
  core::Ed25519Signer key;
  core::note::VerifierKey verifier;
};

// The private key lives in its own file (PKCS#8 PEM, mode 0600, in a folder of mode 0700),
// never in the database. Beside it, verifier-keys.txt lists the public verifier key of every
// signing key the log has used, current last, so checkpoints signed before a rotation stay
// verifiable.
std::string verifierKeysPath(const std::string& keyFile);

// Loads the key, creating it on first use; makes sure its verifier key is listed.
core::Result<CheckpointSigner> loadOrCreateSigningKey(const std::string& keyFile,
                                                      const std::string& name);

// Replaces the key with a new one (the old private key is destroyed; its verifier key stays
// listed) and returns the new signer. A running server picks it up when restarted.
core::Result<CheckpointSigner> rotateSigningKey(const std::string& keyFile,
                                                const std::string& name);

// Every verifier key listed beside `keyFile`.
core::Result<std::vector<core::note::VerifierKey>> readVerifierKeys(const std::string& keyFile);

// A secret of 32 random bytes (hex) kept in `path` with mode 0600 beside the signing key: read
// when it exists (refused when others may read it), made once otherwise.
core::Result<std::string> loadOrCreateSecret(const std::string& path);

}  // namespace gongkai::server::service
