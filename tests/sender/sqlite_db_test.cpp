#include "sender/sqlite_db.hpp"

#include <gtest/gtest.h>

#include "tests/sender/temp_file.hpp"

namespace outbound::sender::detail {
namespace {

// The usage lines at the top of sender/sqlite_db.hpp, as written there.
TEST(sqlite_db, the_header_example_holds) {
  testing::temp_file path;
  sqlite_db db(path.path(), /*create=*/true);
  db.exec("CREATE TABLE counts(state TEXT, n INTEGER)");
  db.exec("INSERT INTO counts VALUES ('queued', 2), ('queued', 3), ('failed', 7)");

  std::int64_t total = 0;
  statement_use use(db, "SELECT n FROM counts WHERE state = ?");
  use.bind(1, "queued");
  while (use.step()) total += use.int64(0);
  EXPECT_EQ(total, 5);
}

}  // namespace
}  // namespace outbound::sender::detail
