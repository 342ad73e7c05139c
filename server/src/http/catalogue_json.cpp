#include "catalogue_json.h"

#include "document_json.h"
#include "toolkit.h"

namespace gongkai::server::http {

Poco::JSON::Object::Ptr catalogueItemJson(const core::CatalogueItem& item) {
  return json::object({"id"_f = item.id, "version"_f = item.version, "org_unit"_f = item.org_unit,
                       "year"_f = item.year, "category"_f = item.category,
                       "sub_item"_f = item.sub_item, "content"_f = item.content,
                       "scope"_f = core::toString(item.scope), "mode"_f = core::toString(item.mode),
                       "period"_f = core::toString(item.period),
                       "rhythm"_f = json::textOrNull(item.rhythm),
                       "time_limit_working_days"_f = item.time_limit_working_days,
                       "channels"_f = json::array(item.channels),
                       "responsible"_f = item.responsible, "created_by"_f = item.created_by,
                       "created_at"_f = item.created_at, "updated_by"_f = item.updated_by,
                       "updated_at"_f = item.updated_at, "etag"_f = versionEtag(item.version)});
}

Poco::JSON::Array::Ptr categoriesJson(const std::vector<service::Category>& categories) {
  return json::array(categories, [](const service::Category& category) {
    return json::object({"code"_f = category.code, "name"_f = category.name,
                         "default_retention"_f = category.default_retention,
                         "items"_f = json::array(category.items)});
  });
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
  fields.channels = textArrayField(json, "channels");
  return fields;
}

}  // namespace gongkai::server::http
