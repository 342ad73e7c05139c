#pragma once

#include <cstdint>
#include <vector>

namespace gongkai::server::service {

// One page of a list read in SQL, with how many there are in all.
template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
};

}  // namespace gongkai::server::service
