#pragma once

// The steps of verifyBundle, in the order it takes them. Each adds its findings to the context;
// those returning bool return false when the check cannot go on.

#include "verify_context.h"

namespace gongkai::archive::verify {

// trusted_keys.cpp: the --key PEMs. False when one does not read or is of another kind.
bool loadKeys(VerifyContext& ctx);
// bag_reader.cpp: the tar, once, streaming: every file hashed (SHA-256, SHA-512) and, under
// data/, inspected; the files the checks read are kept. False when the tar is unsafe or empty.
bool readTar(VerifyContext& ctx);

// manifest_checks.cpp: bagit.txt and the tag files present (reads bag-info into ctx.info).
void checkBagDeclaration(VerifyContext& ctx);
// Both payload manifests, then the tag manifest, against the files seen.
void checkManifests(VerifyContext& ctx);
void checkTagManifest(VerifyContext& ctx);
void checkPayloadOxum(VerifyContext& ctx);

// trusted_keys.cpp: the tag manifest's signatures by the trusted keys.
void checkSignatures(VerifyContext& ctx);
// audit_checks.cpp: the checkpoint's signature, then every audit entry's inclusion proof
// against it; fills ctx.logged with the records the log vouches for.
void checkAudit(VerifyContext& ctx);
// item_checks.cpp: items (档号 sequences, metadata, records against the log, files against the
// records; fills ctx.declared), catalogue, feedback and application records against the log.
void checkItems(VerifyContext& ctx);
// file_checks.cpp: each file under data/ opens as its (declared) format and is safe.
void checkFiles(VerifyContext& ctx);

}  // namespace gongkai::archive::verify
