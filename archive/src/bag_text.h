#pragma once

// The bag's text formats (manifest lines, bag-info, decimal fields, JSON records) and what its
// paths mean, for the verifier's steps.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/json_reader.h"
#include "verify_context.h"

namespace gongkai::archive::verify {

bool startsWith(std::string_view text, std::string_view prefix);
bool endsWith(std::string_view text, std::string_view suffix);
// RFC 8493 §2.1.3: %0A, %0D and %25 are the only escapes in manifest paths.
std::string manifestUnescape(std::string_view path);
// Lines without their "\n" or "\r\n"; views into `text`.
std::vector<std::string_view> lines(std::string_view text);
// An audit entry, proof or record; why one does not parse is not reported, only that it does not.
std::optional<core::JsonValue> parseRecord(std::string_view text);
// bag-info.txt: "Label: value" lines; a line starting with white space continues the value.
BagInfo parseBagInfo(std::string_view text);
// The first value of `label`.
std::optional<std::string> infoValue(const BagInfo& info, std::string_view label);
// A non-negative decimal of at most 18 digits.
std::optional<std::int64_t> toInt(std::string_view text);

// The parts of a finding's message joined, "；" between problems by default.
std::string joinText(const std::vector<std::string>& parts, std::string_view separator = "；");

// The media type a non-payload file under data/ is checked as, by its extension ("" unknown).
std::string declaredTypeByExtension(std::string_view path);
bool isSignatureFile(std::string_view path);
// The files whose bytes the checks read (tag files, signatures, records, audit files, the CSV
// index); everything else is only hashed and inspected as it streams past, so memory stays
// small whatever a bundle holds.
bool mustRead(std::string_view path);

}  // namespace gongkai::archive::verify
