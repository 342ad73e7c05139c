#include "catalogue_json.h"

#include <Poco/JSON/Array.h>

#include "body_reader.h"
#include "document_json.h"
#include "gongkai/core/time.h"

namespace gongkai::server::http {

Poco::JSON::Object::Ptr catalogueItemJson(const core::CatalogueItem& item) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("id", static_cast<Poco::Int64>(item.id));
  out->set("version", static_cast<Poco::Int64>(item.version));
  out->set("org_unit", item.org_unit);
  out->set("year", item.year);
  out->set("category", item.category);
  out->set("sub_item", item.sub_item);
  out->set("content", item.content);
  out->set("scope", std::string(core::toString(item.scope)));
  out->set("mode", std::string(core::toString(item.mode)));
  out->set("period", std::string(core::toString(item.period)));
  out->set("rhythm", item.rhythm.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(item.rhythm));
  out->set("time_limit_working_days", item.time_limit_working_days);
  Poco::JSON::Array::Ptr channels = new Poco::JSON::Array;
  for (const auto& channel : item.channels) channels->add(channel);
  out->set("channels", channels);
  out->set("responsible", item.responsible);
  out->set("created_by", item.created_by);
  out->set("created_at", core::formatRfc3339(item.created_at));
  out->set("updated_by", item.updated_by);
  out->set("updated_at", core::formatRfc3339(item.updated_at));
  out->set("etag", versionEtag(item.version));
  return out;
}

Poco::JSON::Array::Ptr categoriesJson(const std::vector<policies::Category>& categories) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& category : categories) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
    item->set("code", category.code);
    item->set("name", category.name);
    item->set("default_retention", category.default_retention);
    Poco::JSON::Array::Ptr subItems = new Poco::JSON::Array;
    for (const auto& text : category.items) subItems->add(text);
    item->set("items", subItems);
    out->add(item);
  }
  return out;
}

service::CatalogueItemFields readCatalogueItemFields(const Poco::JSON::Object::Ptr& json) {
  service::CatalogueItemFields fields;
  fields.form_errors = unknownMembers(
      json, {"org_unit", "year", "category", "sub_item", "content", "scope", "mode", "period",
             "rhythm", "time_limit_working_days", "channels", "responsible"});
  fields.org_unit = textField(json, "org_unit");
  fields.category = textField(json, "category");
  fields.content = textField(json, "content");
  fields.scope = textField(json, "scope");
  fields.mode = textField(json, "mode");
  fields.period = textField(json, "period");
  fields.rhythm = textField(json, "rhythm");
  fields.responsible = textField(json, "responsible");
  fields.year = integerField(json, "year");
  fields.sub_item = integerField(json, "sub_item");
  fields.time_limit_working_days = integerField(json, "time_limit_working_days");
  // A channel that is not a string is the service's to name, so each is kept in its place.
  using Channels = std::vector<std::optional<std::string>>;
  fields.channels = memberField<Channels>(json, "channels", [](const Poco::Dynamic::Var& value) {
    std::optional<Channels> channels;
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) return channels;
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    channels.emplace();
    for (unsigned i = 0; i < array->size(); ++i) {
      const auto channel = array->get(i);
      channels->push_back(channel.isString() ? std::optional(channel.extract<std::string>())
                                             : std::nullopt);
    }
    return channels;
  });
  return fields;
}

}  // namespace gongkai::server::http
