#pragma once

// The steps of verifyBundle, in the order it takes them. Each adds its findings to the context;
// those returning bool return false when the check cannot go on.

#include "gongkai/core/json_reader.h"
#include "item_formats.h"
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
// metadata_checks.cpp: an item's current record against DA/T 70's metadata items (1-2 to 1-6,
// 2-3, 2-4), named by its 档号; then the current records of all items for duplicates (1-8).
void checkCurrentRecord(VerifyContext& ctx, const std::string& code, const core::JsonValue& record);
// The item's metadata.xml: the DA/T 46 view of `record` (2-3) and valid against the shipped
// schema (each violation under the item of the element it is about, else 3-1).
// `formats`: what the item's files are, from the bytes read (formatsOf).
void checkMetadataXml(VerifyContext& ctx, const std::string& code, const std::string& record,
                      const std::optional<std::string>& xml, const ItemFormats& formats);
void checkDuplicates(VerifyContext& ctx, const std::map<std::string, core::JsonValue>& current);
// format_checks.cpp: the item's formats.json against what its files and renditions are (3-3),
// each rendition against the audit log (1-1) and PDF/A (3-8), each file's long-term
// preservation (3-8). `files` and `renditions` by name inside their folders.
void checkFormats(VerifyContext& ctx, const std::string& code,
                  const std::map<std::string, const SeenFile*>& files,
                  const std::map<std::string, const SeenFile*>& renditions,
                  const std::optional<std::string>& recorded);
// What the item's files and renditions are, from their bytes as read.
ItemFormats formatsOf(const std::map<std::string, const SeenFile*>& files,
                      const std::map<std::string, const SeenFile*>& renditions);
// package_checks.cpp: the index files (1-12), the layout of data/ (1-13) and bag-info's labels
// (2-10).
void checkPackage(VerifyContext& ctx);
// transfer_list_checks.cpp: the transfer list (移交清单) against bag-info (1-12), the item
// folders (2-1) and the content files (2-2).
void checkTransferList(VerifyContext& ctx);
// file_checks.cpp: each file under data/ opens as its (declared) format and is safe.
void checkFiles(VerifyContext& ctx);

}  // namespace gongkai::archive::verify
