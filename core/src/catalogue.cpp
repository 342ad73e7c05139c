#include "gongkai/core/catalogue.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "gongkai/core/json.h"

namespace gongkai::core {

bool CatalogueItem::sameContent(const CatalogueItem& o) const {
  return org_unit == o.org_unit && year == o.year && category == o.category &&
         sub_item == o.sub_item && content == o.content && scope == o.scope && mode == o.mode &&
         period == o.period && rhythm == o.rhythm &&
         time_limit_working_days == o.time_limit_working_days && channels == o.channels &&
         responsible == o.responsible;
}

std::string canonicalRecord(const CatalogueItem& item) {
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  root->set("catalogue_item_id", static_cast<Poco::Int64>(item.id));
  root->set("version", static_cast<Poco::Int64>(item.version));
  root->set("org_unit", item.org_unit);
  root->set("year", item.year);
  root->set("category", item.category);
  root->set("sub_item", item.sub_item);
  root->set("content", item.content);
  root->set("scope", std::string(toString(item.scope)));
  root->set("mode", std::string(toString(item.mode)));
  root->set("period", std::string(toString(item.period)));
  root->set("rhythm", item.rhythm);
  root->set("time_limit_working_days", item.time_limit_working_days);
  Poco::JSON::Array::Ptr channels = new Poco::JSON::Array;
  for (const auto& channel : item.channels) channels->add(channel);
  root->set("channels", channels);
  root->set("responsible", item.responsible);
  root->set("created_by", item.created_by);
  root->set("created_at", formatRfc3339(item.created_at));
  root->set("updated_by", item.updated_by);
  root->set("updated_at", formatRfc3339(item.updated_at));
  root->set("change", item.change);
  return canonicalJson(root);
}

Result<CatalogueItem> parseCatalogueRecord(std::string_view record) {
  const auto corrupt = [](const std::string& what) {
    return Error::make(ErrorCode::kCorrupt, "corrupt_record",
                       "目录记录损坏 (corrupt catalogue record): " + what);
  };
  auto parsed = parseJsonObject(record);
  if (!parsed.ok()) return corrupt(parsed.error().message);
  const auto& o = parsed.value();
  try {
    CatalogueItem item;
    item.id = o->getValue<Poco::Int64>("catalogue_item_id");
    item.version = o->getValue<Poco::Int64>("version");
    item.org_unit = o->getValue<std::string>("org_unit");
    item.year = o->getValue<int>("year");
    item.category = o->getValue<std::string>("category");
    item.sub_item = o->getValue<int>("sub_item");
    item.content = o->getValue<std::string>("content");
    const auto scope = parseScope(o->getValue<std::string>("scope"));
    const auto mode = parseMode(o->getValue<std::string>("mode"));
    const auto period = parsePeriod(o->getValue<std::string>("period"));
    if (!scope || !mode || !period) return corrupt("unknown enumeration value");
    item.scope = *scope;
    item.mode = *mode;
    item.period = *period;
    item.rhythm = o->getValue<std::string>("rhythm");
    item.time_limit_working_days = o->getValue<int>("time_limit_working_days");
    const auto channels = o->getArray("channels");
    if (!channels) return corrupt("channels");
    for (unsigned i = 0; i < channels->size(); ++i)
      item.channels.push_back(channels->getElement<std::string>(i));
    item.responsible = o->getValue<std::string>("responsible");
    item.created_by = o->getValue<std::string>("created_by");
    item.updated_by = o->getValue<std::string>("updated_by");
    item.change = o->getValue<std::string>("change");
    const auto created = parseRfc3339(o->getValue<std::string>("created_at"));
    const auto updated = parseRfc3339(o->getValue<std::string>("updated_at"));
    if (!created || !updated) return corrupt("timestamps");
    item.created_at = *created;
    item.updated_at = *updated;
    return item;
  } catch (const Poco::Exception& e) {
    return corrupt(e.displayText());
  }
}

}  // namespace gongkai::core
