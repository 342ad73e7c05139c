// DA/T 22 retention periods counted from the end of the record's year, and the disposed record's
// member of the canonical record surviving a round trip.
#include "gongkai/core/retention.h"

#include <gtest/gtest.h>

#include "gongkai/core/document.h"

namespace gongkai::core {
namespace {

TEST(Retention, PeriodsCountFromTheEndOfTheYear) {
  EXPECT_EQ(disposalDueDate(2014, "D10"), (Date{2025, 1, 1}));
  EXPECT_EQ(disposalDueDate(1995, "D30"), (Date{2026, 1, 1}));
  EXPECT_EQ(disposalDueDate(1900, "Y"), std::nullopt);
  EXPECT_EQ(disposalDueDate(2014, "D5"), std::nullopt);
  // On 2025-01-01 a 2014 D10 record is due, a 2015 one not yet.
  EXPECT_EQ(lastDueYear("D10", Date{2025, 1, 1}), 2014);
  EXPECT_EQ(lastDueYear("D10", Date{2024, 12, 31}), 2013);
  EXPECT_EQ(lastDueYear("D30", Date{2026, 6, 1}), 1995);
  EXPECT_EQ(lastDueYear("Y", Date{2999, 12, 31}), std::nullopt);
}

TEST(Retention, ADisposedRecordKeepsWhoWhyAndWhatWasRemoved) {
  DocumentVersion v;
  v.document_id = 7;
  v.version = 6;
  v.metadata.title = "到期档案";
  v.metadata.category = "ZZ";
  v.metadata.org_unit = "branch-1";
  v.status = DocumentStatus::kDisposed;
  v.disclosure.retention = "D10";
  v.disclosure.reference_code = "J001-2014-D10-ZZ-0001";
  const TimePoint at = parseRfc3339("2026-01-05T02:00:00Z").value();
  v.disclosure.disposed =
      Disposition{{"archivist1", at}, "期满", {"reviewer1", at}, {std::string(64, 'a')}};
  const std::string record = canonicalRecord(v);
  auto parsed = parseRecord(record);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value().status, DocumentStatus::kDisposed);
  EXPECT_EQ(parsed.value().disclosure, v.disclosure);
  EXPECT_EQ(canonicalRecord(parsed.value()), record);
}

}  // namespace
}  // namespace gongkai::core
