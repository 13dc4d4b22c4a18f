// queue_workload: every create, update and delete queues its notification, however many chunks
// the changes take (a flush every 10,000 changes once lost the record ids that updates and
// deletes name, and crashed), on both stores.
#include "sender/workload_queue.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "common/input_error.hpp"
#include "sender/memory_store.hpp"
#include "sender/sqlite_store.hpp"
#include "tests/sender/store_contract.hpp"
#include "tests/sender/temp_file.hpp"

namespace outbound::sender::testing {
namespace {

struct memory_factory {
  std::unique_ptr<store> make() { return std::make_unique<memory_store>(); }
};
struct sqlite_factory {
  std::deque<temp_file> files;  // a new store file for each make()
  std::unique_ptr<store> make() {
    return std::make_unique<sqlite_store>(files.emplace_back().path());
  }
};

template <typename Factory>
class workload_queue_test : public ::testing::Test {
 protected:
  // Queues `w` in chunks of `chunk` on a fresh store; checks the count returned against the
  // store's own count, and returns it.
  std::uint64_t queue(const workload& w, std::size_t chunk = 10'000) {
    auto db = factory_.make();
    const auto d = account_definition();
    db->put_definition(d);
    random rng(1);
    manual_clock clock(t0);
    const std::uint64_t queued = queue_workload(*db, d, w, rng, clock, chunk);
    EXPECT_EQ(db->counts()[state::queued], queued);
    return queued;
  }
  Factory factory_;
};

using store_kinds = ::testing::Types<memory_factory, sqlite_factory>;
TYPED_TEST_SUITE(workload_queue_test, store_kinds);

TYPED_TEST(workload_queue_test, more_than_one_chunk_of_records_with_an_update) {
  EXPECT_EQ(this->queue({.records = 10'000, .updates = 1}), 10'001u);
}

TYPED_TEST(workload_queue_test, more_than_one_chunk_of_records_with_deletes) {
  EXPECT_EQ(this->queue({.records = 15'000, .deletes = 6'000}), 21'000u);
  EXPECT_EQ(this->queue({.records = 20'000, .deletes = 200}), 20'200u);
}

TYPED_TEST(workload_queue_test, small_chunks_keep_every_change) {
  EXPECT_EQ(this->queue({.records = 25, .updates = 13, .deletes = 10}, 7), 48u);
  EXPECT_EQ(this->queue({.records = 1, .updates = 3}, 1), 4u);
}

TEST(check_workload, refuses_what_cannot_be_queued_naming_the_option) {
  auto message = [](const workload& w) {
    try {
      check_workload(w);
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message({.records = 2, .deletes = 3}).find("--deletes"), std::string::npos);
  EXPECT_NE(message({.records = 2, .updates = 1, .deletes = 2}).find("--updates"),
            std::string::npos);
  EXPECT_NE(message({.updates = 1}).find("--updates"), std::string::npos);
  EXPECT_NE(message({.records = max_workload_records + 1}).find("--records"), std::string::npos);
  EXPECT_EQ(message({.records = 2, .updates = 5, .deletes = 1}), "accepted");
}

}  // namespace
}  // namespace outbound::sender::testing
