#pragma once

// The one deliberate exception to "no Poco in core's public headers": Poco Foundation's
// Dynamic::Var (with JSON::Object and Array) is core's JSON value type. Every record codec in
// core, the policy files and the server build and read records as Var trees, and canonicalJson
// over them makes the bytes that audit entries hash; a value type of core's own would mean
// rewriting every codec and the server's request and response bodies at once, with the canonical
// bytes of every stored record at stake. So this header, and only it, names Poco: other public
// headers take core's plain types (Field, StepBody, Disclosure) and leave JSON to their callers.
// Code that must not link Poco (core_base, the standalone verifier) reads JSON with json_reader.h.
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "gongkai/core/result.h"
#include "gongkai/core/text.h"  // appendJsonString, for the strings of canonical JSON

namespace gongkai::core {

// Parses one JSON text strictly: valid UTF-8 (also inside \u escapes), nesting no deeper than
// `maxDepth`, nothing but whitespace after the value. Errors are kMalformed with reason
// "invalid_utf8" or "malformed_json".
Result<Poco::Dynamic::Var> parseJson(std::string_view text, int maxDepth = 32);

// Like parseJson, but the top-level value must be an object.
Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view text, int maxDepth = 32);

// RFC 8785 (JCS) serialisation: object members sorted by UTF-16 code units, no whitespace,
// minimal string escaping, numbers as ECMAScript prints them. Throws std::invalid_argument for
// values JSON cannot hold (NaN, infinities) or types it does not know.
std::string canonicalJson(const Poco::Dynamic::Var& value);

// ECMAScript Number::toString for a finite double, as RFC 8785 requires.
std::string formatJsonNumber(double value);

}  // namespace gongkai::core
