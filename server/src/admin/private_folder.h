#pragma once

#include <string>

#include "gongkai/core/result.h"

namespace gongkai::server::admin {

// Folders that backup and restore write: they hold keys and personal data, so they are the
// owner's alone (mode 0700), and they are only ever written when they start out empty.

// True when `path` does not exist or is an empty folder.
bool isMissingOrEmpty(const std::string& path);

// Creates `path` with mode 0700 (its parents as needed), or narrows an existing folder to 0700.
core::Status makePrivateFolder(const std::string& path);

}  // namespace gongkai::server::admin
