#include "gongkai/core/audit_entry.h"

#include <Poco/JSON/Object.h>

#include "gongkai/core/json.h"
#include "gongkai/core/sha256.h"

namespace gongkai::core {
namespace {

using Poco::JSON::Object;

constexpr int kFormatVersion = 1;

Error corrupt(std::string message) {
  return Error::make(ErrorCode::kCorrupt, "corrupt_audit_entry", std::move(message));
}

bool readString(const Object::Ptr& object, const std::string& key, std::string& out) {
  if (!object->has(key) || !object->get(key).isString()) return false;
  out = object->getValue<std::string>(key);
  return true;
}

bool readInteger(const Object::Ptr& object, const std::string& key, std::int64_t& out) {
  if (!object->has(key) || !object->get(key).isInteger()) return false;
  out = object->get(key).convert<Poco::Int64>();
  return true;
}

}  // namespace

std::string canonicalBytes(const AuditEntry& entry) {
  Object::Ptr target = new Object;
  target->set("type", entry.object_type);
  target->set("id", entry.object_id);
  if (entry.object_version) target->set("version", static_cast<Poco::Int64>(*entry.object_version));

  Object::Ptr root = new Object;
  root->set("v", kFormatVersion);
  root->set("seq", static_cast<Poco::Int64>(entry.seq));
  root->set("time", formatRfc3339(entry.time));
  root->set("actor", entry.actor);
  root->set("client", entry.client);
  root->set("action", entry.action);
  root->set("object", target);
  root->set("content_sha256", entry.content_sha256);
  root->set("prev_hash", entry.prev_hash);
  return canonicalJson(root);
}

Result<AuditEntry> parseAuditEntry(std::string_view bytes) {
  auto parsed = parseJsonObject(bytes);
  if (!parsed.ok()) return corrupt("不是有效的 JSON (not valid JSON): " + parsed.error().message);
  const Object::Ptr& root = parsed.value();
  AuditEntry entry;
  std::int64_t version = 0;
  std::string time;
  if (!readInteger(root, "v", version) || version != kFormatVersion) {
    return corrupt("格式版本不符 (unknown format version)");
  }
  if (!readInteger(root, "seq", entry.seq) || !readString(root, "time", time) ||
      !readString(root, "actor", entry.actor) || !readString(root, "client", entry.client) ||
      !readString(root, "action", entry.action) ||
      !readString(root, "content_sha256", entry.content_sha256) ||
      !readString(root, "prev_hash", entry.prev_hash) || !root->isObject("object")) {
    return corrupt("缺少字段或类型错误 (missing or mistyped field)");
  }
  const auto parsedTime = parseRfc3339(time);
  if (!parsedTime) return corrupt("时间格式错误 (bad time)");
  entry.time = *parsedTime;
  const Object::Ptr target = root->getObject("object");
  if (!readString(target, "type", entry.object_type) || !readString(target, "id", entry.object_id)) {
    return corrupt("对象字段错误 (bad object field)");
  }
  if (target->has("version")) {
    std::int64_t objectVersion = 0;
    if (!readInteger(target, "version", objectVersion)) return corrupt("对象版本错误 (bad object version)");
    entry.object_version = objectVersion;
  }
  if (canonicalBytes(entry) != bytes) {
    return corrupt("字节不是规范形式 (bytes are not in canonical form)");
  }
  return entry;
}

std::string entryHash(std::string_view bytes) { return sha256Hex(bytes); }

}  // namespace gongkai::core
