#pragma once

#include <Poco/Util/ServerApplication.h>

namespace gongkai::server::app {

// gongkai-server: reads the configuration file and command-line overrides, opens the store,
// serves the API until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish,
// and closes the store.
//
// Options: --config FILE, --data-dir DIR, --port N (0 picks a free port), --address ADDR,
// --define KEY=VALUE (any configuration key, e.g. a limit), --demo (load demo data built from
// the seeds into an empty store), --help.
// Once listening it writes the port to DATA_DIR/server.port and logs the URL.
class ServerApp : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  int main(const std::vector<std::string>& args) override;

 private:
  void onOption(const std::string& name, const std::string& value);
  bool helpRequested_ = false;
};

}  // namespace gongkai::server::app
