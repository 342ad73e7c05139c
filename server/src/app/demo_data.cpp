#include "gongkai/server/app/demo_data.h"

#include <Poco/JSON/Array.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "gongkai/core/json.h"
#include "gongkai/core/password.h"
#include "gongkai/server/http/case_json.h"
#include "http/catalogue_json.h"
#include "http/document_json.h"

namespace gongkai::server::app {

namespace {

// The body each procedure step takes in the demo.
Poco::JSON::Object::Ptr demoStepBody(const std::string& step) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  if (step == "approve") {
    body->set("confidentiality_reviewed", true);
    body->set("opinion", "经保密审查，同意公开");
  } else if (step == "reject") {
    body->set("opinion", "请补充培训计划的具体安排后重新提交");
  } else if (step == "publish") {
    Poco::JSON::Array::Ptr channels = new Poco::JSON::Array;
    channels->add("bulletin_board");
    channels->add("intranet");
    body->set("channels", channels);
  } else if (step == "withdraw") {
    body->set("reason", "上级文件已更新，原文件撤回");
  }
  return body;
}

int currentBeijingYear() {
  const std::chrono::year_month_day day{
      std::chrono::floor<std::chrono::days>(core::nowUtc() + std::chrono::hours(8))};
  return static_cast<int>(day.year());
}

// Each step of a demo record: {"step": name, "body": {...}} (body optional).
template <typename Apply>
core::Status takeSteps(const Poco::JSON::Object& item, Apply apply) {
  const auto steps = item.getArray("steps");
  if (!steps) return core::okStatus();
  for (unsigned k = 0; k < steps->size(); ++k) {
    const auto step = steps->getObject(k);
    Poco::JSON::Object::Ptr body = step->has("body")
                                       ? step->getObject("body")
                                       : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    if (auto done = apply(step->getValue<std::string>("step"), body); !done.ok()) return done;
  }
  return core::okStatus();
}

// Feedback and applications of the demo, entered by a handler (so not rate-limited), each taken
// through the steps listed. "document" is an index into the demo's documents.
core::Status loadDemoFeedback(const Poco::JSON::Object& manifest, const service::Subject& demo,
                              const std::vector<core::DocumentVersion>& documents,
                              service::FeedbackService& feedback,
                              service::RequestService& requests) {
  using core::Error;
  using core::ErrorCode;
  if (const auto list = manifest.getArray("feedback")) {
    for (unsigned i = 0; i < list->size(); ++i) {
      const auto item = list->getObject(i);
      Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
      for (const char* field : {"channel", "content", "name", "contact"}) {
        if (item->has(field)) body->set(field, item->getValue<std::string>(field));
      }
      auto submission = http::parseFeedbackSubmission(body);
      if (!submission.ok()) return submission.error();
      if (item->has("document")) {
        const auto index = item->getValue<unsigned>("document");
        if (index >= documents.size()) {
          return Error::make(ErrorCode::kInvalidArgument, "demo_invalid",
                             "demo.json: feedback.document");
        }
        // Its category and unit become the case's (FeedbackService::submit).
        submission.value().concerns.document_id = documents[index].document_id;
      }
      auto made = feedback.submit(demo, submission.value());
      if (!made.ok()) return made.error();
      const std::int64_t id = made.value().record.id;
      auto stepped =
          takeSteps(*item, [&](const std::string& step, const Poco::JSON::Object::Ptr& stepBody) {
            auto parsed = http::parseFeedbackStep(step, stepBody);
            if (!parsed.ok()) return core::Status(parsed.error());
            auto next = feedback.step(demo, id, parsed.value());
            return next.ok() ? core::okStatus() : core::Status(next.error());
          });
      if (!stepped.ok()) return stepped;
    }
  }
  if (const auto list = manifest.getArray("requests")) {
    for (unsigned i = 0; i < list->size(); ++i) {
      const auto item = list->getObject(i);
      Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
      for (const char* field : {"applicant", "content", "purpose", "contact", "org_unit"}) {
        if (item->has(field)) body->set(field, item->getValue<std::string>(field));
      }
      auto submission = http::parseApplicationSubmission(body);
      if (!submission.ok()) return submission.error();
      auto made = requests.submit(demo, submission.value());
      if (!made.ok()) return made.error();
      const std::int64_t id = made.value().record.id;
      auto stepped =
          takeSteps(*item, [&](const std::string& step, const Poco::JSON::Object::Ptr& stepBody) {
            auto parsed = http::parseApplicationStep(step, stepBody);
            if (!parsed.ok()) return core::Status(parsed.error());
            auto next = requests.step(demo, id, parsed.value());
            return next.ok() ? core::okStatus() : core::Status(next.error());
          });
      if (!stepped.ok()) return stepped;
    }
  }
  return core::okStatus();
}

// One account per role of the workbench (demo.json's "accounts"), so whoever tries the demo can
// sign in as an archivist, a reviewer, an inspector or a committee clerk. They share one random
// password, printed once like the first admin's; there are no default passwords, even here.
core::Status loadDemoAccounts(const Poco::JSON::Object& manifest, service::UserService& users) {
  const auto list = manifest.getArray("accounts");
  if (!list || list->size() == 0) return core::okStatus();
  const std::string password = core::newToken().substr(3, 20);
  service::Subject system;
  system.id = "system";
  system.system = true;
  std::string names;
  for (unsigned i = 0; i < list->size(); ++i) {
    const auto account = list->getObject(i);
    const std::string username = account->getValue<std::string>("username");
    if (users.find(username).ok()) continue;  // kept from an earlier start
    std::vector<store::UserRole> roles;
    const auto roleList = account->getArray("roles");
    for (unsigned k = 0; roleList && k < roleList->size(); ++k) {
      const auto role = roleList->getObject(k);
      roles.push_back(
          {role->getValue<std::string>("role"), role->optValue<std::string>("unit", "")});
    }
    auto made = users.addUser(system, username, password, roles,
                              account->optValue<std::string>("display_name", ""));
    if (!made.ok()) return made.error();
    names += (names.empty() ? "" : ", ") + username;
  }
  if (!names.empty()) {
    std::cout << "示例账户 (demo accounts): " << names
              << "；共用一次性密码 (shared password): " << password << std::endl;
  }
  return core::okStatus();
}

}  // namespace

core::Result<int> loadDemoData(service::DocumentService& documents, service::UnitService& units,
                               service::UserService& users, service::CatalogueService& catalogue,
                               service::FeedbackService& feedback,
                               service::RequestService& requests, const std::string& demoDir) {
  using core::Error;
  using core::ErrorCode;
  service::Subject server;
  server.id = "system";
  server.system = true;
  auto existing = documents.list(server, service::DocumentQuery{});
  if (!existing.ok()) return existing.error();
  if (existing.value().total > 0) return 0;

  const auto manifestPath = std::filesystem::path(demoDir) / "demo.json";
  std::ifstream in(manifestPath, std::ios::binary);
  if (!in)
    return Error::make(ErrorCode::kIo, "demo_unreadable", "无法读取 " + manifestPath.string());
  std::ostringstream text;
  text << in.rdbuf();
  auto manifest = core::parseJsonObject(text.str());
  if (!manifest.ok()) return manifest.error();
  const auto list = manifest.value()->getArray("documents");
  if (!list)
    return Error::make(ErrorCode::kInvalidArgument, "demo_invalid", "demo.json: documents");

  service::Subject demo;
  demo.id = "demo";
  demo.system = true;
  // The units the demo documents belong to, unless they exist already.
  if (const auto unitList = manifest.value()->getArray("org_units")) {
    for (unsigned i = 0; i < unitList->size(); ++i) {
      const auto unit = unitList->getObject(i);
      if (units.unitTree()->contains(unit->getValue<std::string>("code"))) continue;
      auto made = units.createUnit(demo, service::NewUnit{unit->getValue<std::string>("code"),
                                                          unit->getValue<std::string>("name"),
                                                          unit->optValue<std::string>("parent", ""),
                                                          {}});
      if (!made.ok()) return made.error();
    }
  }
  // The catalogue for this year (year 0 in the file), before the documents that answer it.
  std::vector<std::int64_t> itemIds;
  if (const auto items = manifest.value()->getArray("catalogue")) {
    for (unsigned i = 0; i < items->size(); ++i) {
      Poco::JSON::Object::Ptr item = new Poco::JSON::Object(*items->getObject(i));
      if (item->getValue<int>("year") == 0) item->set("year", currentBeijingYear());
      auto made = catalogue.create(demo, http::readCatalogueItemFields(item));
      if (!made.ok()) return made.error();
      itemIds.push_back(made.value().id);
    }
  }
  // The reviewer's steps are taken by another actor than the archivist's: nobody approves their
  // own submission, not even in the demo.
  service::Subject reviewer;
  reviewer.id = "system";
  reviewer.system = true;
  int created = 0;
  std::vector<core::DocumentVersion> createdDocuments;
  for (unsigned i = 0; i < list->size(); ++i) {
    const auto item = list->getObject(i);
    auto metadata = item->getObject("metadata");
    if (item->has("catalogue")) {
      const auto index = item->getValue<unsigned>("catalogue");
      if (index >= itemIds.size())
        return Error::make(ErrorCode::kInvalidArgument, "demo_invalid", "demo.json: catalogue");
      metadata->set("catalogue_item", static_cast<Poco::Int64>(itemIds[index]));
    }
    std::vector<service::IncomingFile> files;
    if (const auto names = item->getArray("files")) {
      for (unsigned k = 0; k < names->size(); ++k) {
        const std::string name = names->getElement<std::string>(k);
        std::ifstream file(std::filesystem::path(demoDir) / "files" / name, std::ios::binary);
        if (!file)
          return Error::make(ErrorCode::kIo, "demo_unreadable", "无法读取 demo 文件 " + name);
        auto staged = documents.stageFile(file, std::int64_t{1} << 30, name, "");
        if (!staged.ok()) return staged.error();
        files.push_back(std::move(staged).value());
      }
    }
    auto document = documents.create(demo, http::readMetadataFields(metadata), std::move(files));
    if (!document.ok()) return document.error();
    if (const auto steps = item->getArray("steps")) {
      for (unsigned k = 0; k < steps->size(); ++k) {
        const std::string step = steps->getElement<std::string>(k);
        const bool byReviewer =
            step == "approve" || step == "reject" || step == "publish" || step == "withdraw";
        auto next = documents.step(
            byReviewer ? reviewer : demo, document.value().document_id, std::nullopt, step,
            core::readStepRequest(step, http::readStepBody(demoStepBody(step))));
        if (!next.ok()) return next.error();
      }
    }
    createdDocuments.push_back(document.value());
    ++created;
  }
  // The accounts before the cases, which are handed to one of them.
  if (auto made = loadDemoAccounts(*manifest.value(), users); !made.ok()) return made.error();
  if (auto loaded = loadDemoFeedback(*manifest.value(), demo, createdDocuments, feedback, requests);
      !loaded.ok()) {
    return loaded.error();
  }
  return created;
}

}  // namespace gongkai::server::app
