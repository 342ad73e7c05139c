#include "json_log.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <chrono>
#include <iostream>

#include "gongkai/core/text.h"
#include "gongkai/core/time.h"
#include "gongkai/server/net/request_id.h"

namespace gongkai::server::app {
namespace {

const char* levelName(Poco::Message::Priority priority) {
  switch (priority) {
    case Poco::Message::PRIO_FATAL:
      return "fatal";
    case Poco::Message::PRIO_CRITICAL:
      return "critical";
    case Poco::Message::PRIO_ERROR:
      return "error";
    case Poco::Message::PRIO_WARNING:
      return "warning";
    case Poco::Message::PRIO_NOTICE:
      return "notice";
    case Poco::Message::PRIO_INFORMATION:
      return "info";
    case Poco::Message::PRIO_DEBUG:
      return "debug";
    default:
      return "trace";
  }
}

// `text` with every byte that does not start valid UTF-8 replaced by U+FFFD.
std::string validUtf8(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const std::size_t bad = core::firstInvalidUtf8(text);
    if (bad == std::string_view::npos) {
      out.append(text);
      break;
    }
    out.append(text.substr(0, bad));
    core::appendUtf8(out, U'\uFFFD');
    text.remove_prefix(bad + 1);
  }
  return out;
}

void field(std::string& out, const char* name, std::string_view value) {
  out += out.size() > 1 ? ",\"" : "\"";
  out += name;
  out += "\":";
  core::appendJsonString(out, validUtf8(value));
}

}  // namespace

void JsonLineFormatter::format(const Poco::Message& message, std::string& text) {
  const auto micros = message.getTime().epochMicroseconds();
  const core::TimePoint time{std::chrono::milliseconds(micros / 1000)};
  text = "{";
  field(text, "time", core::formatRfc3339(time));
  field(text, "level", levelName(message.getPriority()));
  field(text, "logger", message.getSource());
  field(text, "message", message.getText());
  if (const std::string& id = net::currentRequestId(); !id.empty()) field(text, "request_id", id);
  text += "}";
}

void useJsonLogLines() {
  Poco::AutoPtr<Poco::Formatter> json = new JsonLineFormatter;
  Poco::AutoPtr<Poco::Channel> console = new Poco::ConsoleChannel(std::clog);
  Poco::AutoPtr<Poco::Channel> lines = new Poco::FormattingChannel(json, console);
  Poco::Logger::setChannel("", lines);
}

}  // namespace gongkai::server::app
