#pragma once

// http's routes, renderers and readers are written with net's HTTP toolkit, by its names: the
// Exchange and Router, the JSON answer builder, the body member readers and list paging.
#include "gongkai/server/net/exchange.h"
#include "gongkai/server/net/router.h"
#include "net/body_reader.h"
#include "net/json_build.h"
#include "net/paging.h"

namespace gongkai::server::http {
using namespace net;  // NOLINT(google-build-using-namespace): the toolkit is http's vocabulary
}  // namespace gongkai::server::http
