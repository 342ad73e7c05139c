// The search query builder (indexer/src/search_query.h): whatever a user types becomes a Xapian
// query, with Xapian's parser errors caught inside; it never throws.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gongkai/server/service/search_query.h"
#include "search_query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The server refuses a longer ?q= before it builds a query (query_too_long): longer inputs
  // test nothing it runs, and CJK text of 4 KB, libFuzzer's usual limit, makes thousands of
  // n-gram queries.
  if (size > gongkai::server::service::kMaxSearchQueryBytes) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto query = gongkai::indexer::buildTextQuery(text);
  (void)query.query.get_description();
  return 0;
}
