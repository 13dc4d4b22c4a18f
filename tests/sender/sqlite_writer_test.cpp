#include "sender/sqlite_writer.hpp"

#include <gmock/gmock.h>

#include "sender/sqlite_store.hpp"
#include "tests/sender/raw_sqlite.hpp"
#include "tests/sender/store_contract.hpp"
#include "tests/sender/temp_file.hpp"

namespace outbound::sender::testing {
namespace {

using detail::result_group;

// A store file with four queued notifications (sequences 1 to 4) of definitions.id 1.
class sqlite_writer_test : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite_store db(file.path());
    db.put_definition(account_definition());
    std::vector<record_change> changes{create("A"), create("B"), create("C"), create("D")};
    for (const auto& n : db.accept(changes, t0).notifications) ids.push_back(n.id);
  }
  notification row(std::size_t i) {
    return *sqlite_store(file.path(), sqlite_store::open_mode::existing).find(ids[i]);
  }
  state_counts counts() {
    return sqlite_store(file.path(), sqlite_store::open_mode::existing).counts();
  }
  static std::int64_t us(time_point t) { return t.time_since_epoch().count(); }

  temp_file file;
  std::vector<std::string> ids;
};

TEST_F(sqlite_writer_test, commits_jobs_in_order_with_their_counts) {
  detail::sqlite_writer w(file.path());
  const std::int64_t at = us(t0 + 1s);
  w.submit({{1, state::queued, state::delivered, 0, "", {{1, 2, at}}}});
  w.submit({{1, state::queued, state::retrying, us(t0 + 15s), "timeout", {{3, 3, at}}}});
  EXPECT_EQ(w.wait(), 2u);
  EXPECT_EQ(w.committed(), 2u);
  EXPECT_EQ(row(0).status, state::delivered);
  EXPECT_EQ(row(1).delivered_at, t0 + 1s);
  auto retry = row(2);
  EXPECT_EQ(retry.status, state::retrying);
  EXPECT_EQ(retry.next_attempt, t0 + 15s);
  EXPECT_EQ(retry.last_error, "timeout");
  EXPECT_EQ(retry.attempts, 1);
  auto c = counts();
  EXPECT_EQ(c[state::delivered], 2u);
  EXPECT_EQ(c[state::retrying], 1u);
  EXPECT_EQ(c[state::queued], 1u);
}

TEST_F(sqlite_writer_test, runs_touch_exactly_their_sequences) {
  detail::sqlite_writer w(file.path());
  // Sequences 1 and 3 of one group: two runs at different instants; 2 and 4 stay queued.
  w.submit(
      {{1, state::queued, state::delivered, 0, "", {{1, 1, us(t0 + 1s)}, {3, 3, us(t0 + 2s)}}}});
  w.wait();
  EXPECT_EQ(row(0).delivered_at, t0 + 1s);
  EXPECT_EQ(row(1).status, state::queued);
  EXPECT_EQ(row(2).delivered_at, t0 + 2s);
  EXPECT_EQ(row(3).status, state::queued);
  EXPECT_EQ(counts()[state::delivered], 2u);
}

TEST_F(sqlite_writer_test, a_row_changed_on_disk_meanwhile_keeps_its_change) {
  detail::sqlite_writer w(file.path());
  // Row 4 is queued on disk, not retrying as this result assumes (a user retried it, say).
  w.submit({{1, state::retrying, state::delivered, 0, "", {{4, 4, 1}}}});
  w.wait();
  EXPECT_EQ(row(3).status, state::queued);
  EXPECT_EQ(counts()[state::queued], 4u);
}

TEST_F(sqlite_writer_test, a_failed_write_is_rethrown_once_and_counted) {
  detail::sqlite_writer w(file.path());
  // Another program's trigger refuses the UPDATE: the job fails, and its transaction with it.
  sql(file.path(),
      "CREATE TRIGGER refuse BEFORE UPDATE ON notifications "
      "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END");
  w.submit({{1, state::queued, state::delivered, 0, "", {{1, 2, 1}}}});
  EXPECT_THAT([&] { w.wait(); }, ::testing::ThrowsMessage<std::runtime_error>(
                                     ::testing::HasSubstr("store " + file.path().string())));
  EXPECT_EQ(w.wait(), 1u);
  EXPECT_EQ(counts()[state::queued], 4u);  // rolled back
}

}  // namespace
}  // namespace outbound::sender::testing
