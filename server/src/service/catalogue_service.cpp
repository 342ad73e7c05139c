#include "gongkai/server/service/catalogue_service.h"

#include <algorithm>
#include <set>

#include "gongkai/core/audit_entry.h"
#include "gongkai/core/text.h"
#include "gongkai/core/workflow.h"
#include "gongkai/policies/compliance.h"
#include "gongkai/server/store/catalogue_repository.h"
#include "gongkai/server/store/document_repository.h"
#include "gongkai/server/store/storage_error.h"
#include "versioned_save.h"

namespace gongkai::server::service {
namespace {

using core::Error;
using core::ErrorCode;
using core::FieldError;
using store::CatalogueRepository;

Error notFound(std::int64_t id) {
  return Error::make(ErrorCode::kNotFound, "catalogue_item_not_found",
                     "目录条目不存在 (no such catalogue item): " + std::to_string(id));
}

// What a caller who may not see an item is told: the same as when there is none.
Error unseen() {
  return Error::make(ErrorCode::kNotFound, "catalogue_item_not_found",
                     "目录条目不存在 (no such catalogue item)");
}

// Whether the patch moves the item to another unit or year (a year of the wrong type counts as a
// move: the validation refuses it anyway).
bool movesUnitOrYear(const core::CatalogueItem& current, const CatalogueItemFields& patch) {
  const bool unitChanges = patch.org_unit.hasValue() && patch.org_unit.value != current.org_unit;
  const bool yearChanges =
      patch.year.given() && !(patch.year.hasValue() && patch.year.value == current.year);
  return unitChanges || yearChanges;
}

}  // namespace

CatalogueService::CatalogueService(store::Store& store,
                                   const policies::CategoryCatalogue& categories,
                                   AuthorizerSource authorizer, UnitCheck unitExists)
    : store_(store),
      categories_(categories),
      authorizer_(std::move(authorizer)),
      unitExists_(std::move(unitExists)) {}

std::function<bool(const core::CatalogueItem&)> CatalogueService::seenBy(
    const Subject& subject) const {
  if (subject.system) return [](const core::CatalogueItem&) { return true; };
  // One authorizer for every item the use case judges: one policy, one unit tree.
  return [authorizer = authorizer_(), &principal = subject.principal](
             const core::CatalogueItem& i) { return authorizer.maySee(principal, i); };
}

core::Status CatalogueService::mayFileFor(const Subject& subject, std::string_view permission,
                                          const std::string& unit) const {
  if (subject.system) return core::okStatus();
  return authorizer_().requireForUnit(subject.principal, permission, unit, "public");
}

core::Status CatalogueService::apply(core::CatalogueItem& item, const CatalogueItemFields& fields,
                                     bool requireAll) const {
  std::vector<FieldError> errors = fields.form_errors;
  const auto add = [&](const std::string& field, const std::string& code,
                       const std::string& message) {
    errors.push_back({field, code, message});
  };
  const auto present = [&](const std::string& name, const auto& field, bool required) {
    if (field.filled()) return true;
    if (required && (requireAll || field.given()))
      add(name, "missing_field", "必填字段 (required field)");
    return false;
  };
  const auto text = [&](const std::string& name, const Field<std::string>& field, bool required,
                        std::size_t max, std::string& out) {
    if (!present(name, field, required)) {
      if (field.given() && !required) out.clear();  // null clears an optional field
      return;
    }
    if (!field.hasValue()) return add(name, "wrong_type", "必须是字符串 (must be a string)");
    const std::string& got = field.value;
    if (!core::isValidUtf8(got) || core::hasControlCharacters(got, true) ||
        core::codePointCount(got) > max) {
      return add(name, "invalid_value", "文字无效或过长 (invalid or too long)");
    }
    if (required && got.find_first_not_of(" \t\r\n") == std::string::npos) {
      return add(name, "invalid_value", "不能为空 (must not be blank)");
    }
    out = got;
  };
  const auto integer = [&](const std::string& name, const Field<std::int64_t>& field, bool required,
                           int low, int high, int& out) {
    if (!present(name, field, required)) return;
    if (!field.hasValue() || field.value < low || field.value > high) {
      return add(name, "invalid_value",
                 "须为 " + std::to_string(low) + "-" + std::to_string(high) + " 的整数");
    }
    out = static_cast<int>(field.value);
  };

  std::string unit = item.org_unit, category = item.category;
  text("org_unit", fields.org_unit, true, 64, unit);
  if (fields.org_unit.given() && unitExists_ && !unit.empty() && !unitExists_(unit)) {
    add("org_unit", "unknown_unit", "单位不存在 (no such organisation unit): " + unit);
  } else {
    item.org_unit = unit;
  }
  integer("year", fields.year, true, 1900, 2999, item.year);
  text("category", fields.category, true, 16, category);
  const policies::Category* known = categories_.find(category);
  if (fields.category.given() && !known)
    add("category", "unknown_category", "未知的公开类别代码 (unknown category code)");
  else
    item.category = category;
  if (known) {
    integer("sub_item", fields.sub_item, false, 0, static_cast<int>(known->items.size()),
            item.sub_item);
  }
  text("content", fields.content, true, 2000, item.content);
  // An enumeration member: kept as it is unless the JSON names a valid value.
  const auto enumeration = [&](const std::string& name, const Field<std::string>& field,
                               auto& target, auto parse, const char* allowed) {
    std::string value(core::toString(target));
    text(name, field, true, 32, value);
    if (auto parsed = parse(value))
      target = *parsed;
    else
      add(name, "invalid_value", std::string("必须是 ") + allowed);
  };
  enumeration("scope", fields.scope, item.scope, core::parseScope,
              "public、internal 或 restricted");
  enumeration("mode", fields.mode, item.mode, core::parseMode,
              "statutory、proactive 或 on_request");
  enumeration("period", fields.period, item.period, core::parsePeriod,
              "standing、periodic、staged 或 immediate");
  text("rhythm", fields.rhythm, false, 32, item.rhythm);
  integer("time_limit_working_days", fields.time_limit_working_days, false, 0, 365,
          item.time_limit_working_days);
  text("responsible", fields.responsible, false, 100, item.responsible);
  if (present("channels", fields.channels, false)) {
    if (!fields.channels.hasValue()) {
      add("channels", "wrong_type", "须为数组 (must be a list)");
    } else {
      std::vector<std::string> channels;
      const auto& asked = fields.channels.value;
      for (std::size_t i = 0; i < asked.size(); ++i) {
        const auto& channel = asked[i];
        if (!channel || std::find(std::begin(core::kChannels), std::end(core::kChannels),
                                  *channel) == std::end(core::kChannels)) {
          add("channels[" + std::to_string(i) + "]", "unknown_channel",
              "未知的公开渠道 (unknown channel)");
        } else if (std::find(channels.begin(), channels.end(), *channel) == channels.end()) {
          channels.push_back(*channel);
        }
      }
      item.channels = channels;
    }
  }
  // A periodic item needs its rhythm and a time limit; only periodic items have a rhythm.
  if (item.period == core::Period::kPeriodic) {
    if (!policies::parseRhythm(item.rhythm)) {
      add("rhythm", "invalid_value", "定期公开须指定 monthly、quarterly、half_yearly 或 yearly");
    }
  } else if (!item.rhythm.empty()) {
    add("rhythm", "invalid_value",
        "只有定期公开 (periodic) 才有周期 (only periodic items have a rhythm)");
  }
  if (!errors.empty()) {
    Error error = Error::make(ErrorCode::kInvalidArgument, "invalid_catalogue_item",
                              "目录条目有误 (invalid catalogue item)");
    error.fields = std::move(errors);
    return error;
  }
  return core::okStatus();
}

core::Result<core::CatalogueItem> CatalogueService::create(const Subject& subject,
                                                           const CatalogueItemFields& fields) {
  if (!subject.system) {
    if (auto allowed = authorizer_().require(subject.principal, "documents.create"); !allowed.ok())
      return allowed.error();
  }
  // Without a unit the validation below refuses it (422).
  if (const std::string& unit = fields.org_unit.value;
      fields.org_unit.hasValue() && !unit.empty()) {
    if (auto allowed = mayFileFor(subject, "documents.create", unit); !allowed.ok())
      return allowed.error();
  }
  core::CatalogueItem item;
  if (auto ok = apply(item, fields, true); !ok.ok()) return ok.error();
  item.version = 1;
  item.created_by = item.updated_by = subject.id;
  item.created_at = item.updated_at = core::nowUtc();
  item.change = "catalogue.create";
  return store_.write<core::CatalogueItem>(
      [&](store::Transaction& tx) -> core::Result<core::CatalogueItem> {
        item.id = CatalogueRepository::nextId(tx);
        saveWithAudit(tx, subject, item);
        return item;
      });
}

core::Result<core::CatalogueItem> CatalogueService::update(
    const Subject& subject, std::int64_t id, std::optional<std::int64_t> expectedVersion,
    const CatalogueItemFields& patch) {
  auto current = get(subject, id);
  if (!current.ok()) return current.error();
  // The unit it is in and the unit it moves to must both be the subject's to manage.
  std::set<std::string> units{current.value().org_unit};
  if (patch.org_unit.hasValue()) units.insert(patch.org_unit.value);
  for (const auto& unit : units) {
    if (auto allowed = mayFileFor(subject, "documents.update", unit); !allowed.ok())
      return allowed.error();
  }
  // An item documents already answer keeps its unit and year: the answers would lose it.
  if (movesUnitOrYear(current.value(), patch)) {
    auto inUse = answered(id);
    if (!inUse.ok()) return inUse.error();
    if (inUse.value()) {
      return Error::make(ErrorCode::kConflict, "catalogue_item_in_use",
                         "已有文件回应该目录条目，不能改变其单位或年份 "
                         "(documents answer this item; its unit and year stay)");
    }
  }
  core::CatalogueItem item = current.value();
  if (auto ok = apply(item, patch, false); !ok.ok()) return ok.error();
  if (item.sameContent(current.value())) return current;
  const std::int64_t expected = expectedVersion.value_or(current.value().version);
  return store_.write<core::CatalogueItem>(
      [&](store::Transaction& tx) -> core::Result<core::CatalogueItem> {
        auto latest = CatalogueRepository::current(tx, id);
        if (!latest) return notFound(id);
        if (latest->version != expected) {
          return Error::make(ErrorCode::kPreconditionFailed, "version_mismatch",
                             "目录条目已被修改 (the item has changed; current version is " +
                                 std::to_string(latest->version) + ")");
        }
        item.version = latest->version + 1;
        item.updated_by = subject.id;
        item.updated_at = core::nowUtc();
        item.change = "catalogue.update";
        saveWithAudit(tx, subject, item);
        return item;
      });
}

core::Result<core::CatalogueItem> CatalogueService::get(const Subject& subject, std::int64_t id) {
  try {
    auto rs = store_.read();
    auto found = CatalogueRepository::current(*rs, id);
    if (!found) return subject.system ? notFound(id) : unseen();
    if (!seenBy(subject)(*found)) return unseen();
    return *found;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<bool> CatalogueService::answered(std::int64_t id) {
  try {
    auto rs = store_.read();
    store::DocumentFilter filter;
    filter.catalogue_items = std::vector<std::int64_t>{id};
    filter.limit = 1;
    return store::DocumentRepository::list(*rs, filter).total > 0;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<std::vector<core::CatalogueItem>> CatalogueService::versions(const Subject& subject,
                                                                          std::int64_t id) {
  if (auto current = get(subject, id); !current.ok()) return current.error();
  try {
    auto rs = store_.read();
    auto all = CatalogueRepository::versions(*rs, id);
    if (all.empty()) return notFound(id);
    // Each version is judged by its own unit and scope, as document versions are: an item that
    // was restricted once keeps that version to those who may see it.
    const auto seen = seenBy(subject);
    std::erase_if(all, [&](const core::CatalogueItem& v) { return !seen(v); });
    return all;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<std::vector<core::CatalogueItem>> CatalogueService::list(
    const Subject& subject, const std::optional<std::string>& orgUnit,
    const std::optional<int>& year) {
  try {
    auto rs = store_.read();
    auto items = CatalogueRepository::list(*rs, orgUnit, year);
    const auto seen = seenBy(subject);
    std::erase_if(items, [&](const core::CatalogueItem& item) { return !seen(item); });
    return items;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

std::optional<std::string> CatalogueService::categoryName(std::string_view code) const {
  const auto* category = categories_.find(code);
  if (category == nullptr) return std::nullopt;
  return category->name;
}

}  // namespace gongkai::server::service
