#pragma once

#include <functional>

#include "gongkai/core/result.h"

namespace gongkai::server::service {

// What a request carries (its body, an upload), read only when the use case asks for it: after
// the use case has let the caller in, so that a refused caller's body is never read and no file
// of theirs is staged. The reader's error (a body too large, not JSON, malformed) is the answer.
template <typename T>
using Incoming = std::function<core::Result<T>()>;

}  // namespace gongkai::server::service
