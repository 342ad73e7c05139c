#include "case_record.h"

#include "step_record.h"

namespace gongkai::core::case_record {

Poco::JSON::Object::Ptr write(const Case& c, const Spelling& spelling) {
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  root->set(spelling.id_key, static_cast<Poco::Int64>(c.id));
  root->set("version", static_cast<Poco::Int64>(c.version));
  root->set("received_at", formatRfc3339(c.received_at));
  root->set("contact", c.contact);
  root->set("content", c.content);
  root->set("category", c.category);
  if (!spelling.org_unit_only_when_set || !c.org_unit.empty()) root->set("org_unit", c.org_unit);
  root->set("extended", stepJson(c.extended));
  root->set("answer", c.answer);
  root->set("receipt_sha256", c.receipt_sha256);
  root->set("created_by", c.created_by);
  root->set("created_at", formatRfc3339(c.created_at));
  root->set("updated_by", c.updated_by);
  root->set("updated_at", formatRfc3339(c.updated_at));
  root->set("change", c.change);
  return root;
}

std::string read(const Poco::JSON::Object::Ptr& o, Case& c, const Spelling& spelling) {
  c.id = o->getValue<Poco::Int64>(spelling.id_key);
  c.version = o->getValue<Poco::Int64>("version");
  c.contact = o->getValue<std::string>("contact");
  c.content = o->getValue<std::string>("content");
  c.category = o->getValue<std::string>("category");
  if (!spelling.org_unit_only_when_set || o->has("org_unit"))
    c.org_unit = o->getValue<std::string>("org_unit");
  c.extended = parseStep(o, "extended");
  c.answer = o->getValue<std::string>("answer");
  c.receipt_sha256 = o->getValue<std::string>("receipt_sha256");
  c.created_by = o->getValue<std::string>("created_by");
  c.updated_by = o->getValue<std::string>("updated_by");
  c.change = o->getValue<std::string>("change");
  const auto received = parseRfc3339(o->getValue<std::string>("received_at"));
  const auto created = parseRfc3339(o->getValue<std::string>("created_at"));
  const auto updated = parseRfc3339(o->getValue<std::string>("updated_at"));
  if (!received || !created || !updated) return "timestamps";
  c.received_at = *received;
  c.created_at = *created;
  c.updated_at = *updated;
  return "";
}

Error corrupt(const Spelling& spelling, const std::string& what) {
  return Error::make(ErrorCode::kCorrupt, "corrupt_record",
                     std::string(spelling.corrupt) + ": " + what);
}

}  // namespace gongkai::core::case_record
