#pragma once

#include "gongkai/core/field.h"

namespace gongkai::server::service {

// Services judge request members as core::Field; the name stays for the services' callers.
template <typename T>
using Field = core::Field<T>;

}  // namespace gongkai::server::service
