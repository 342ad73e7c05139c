#include "step_record.h"

#include <Poco/Exception.h>

#include "gongkai/core/time.h"

namespace gongkai::core {

using Poco::JSON::Object;

Poco::Dynamic::Var stepJson(const std::optional<Step>& step) {
  if (!step) return Poco::Dynamic::Var();
  Object::Ptr out = new Object;
  out->set("by", step->by);
  out->set("at", formatRfc3339(step->at));
  return out;
}

std::optional<Step> parseStep(const Object::Ptr& o, const std::string& name) {
  if (!o->has(name) || o->isNull(name)) return std::nullopt;
  const Object::Ptr step = o->getObject(name);
  if (!step) throw Poco::DataFormatException(name);
  const auto at = parseRfc3339(step->getValue<std::string>("at"));
  if (!at) throw Poco::DataFormatException(name + ".at");
  return Step{step->getValue<std::string>("by"), *at};
}

}  // namespace gongkai::core
