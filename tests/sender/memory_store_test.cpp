#include "sender/memory_store.hpp"

#include "tests/sender/store_contract.hpp"

namespace outbound::sender::testing {
namespace {

struct memory_factory {
  std::unique_ptr<store> make() { return std::make_unique<memory_store>(); }
};

INSTANTIATE_TYPED_TEST_SUITE_P(memory, store_contract, ::testing::Types<memory_factory>);

TEST(memory_store, takes_a_large_queue_in_batches_without_losing_any) {
  memory_store db;
  db.put_definition(account_definition());
  db.accept(creates(1000), t0);
  std::size_t taken = 0;
  std::uint64_t last = 0;
  while (true) {
    auto batch = db.take_due("Notify_ERP", t0, 100);
    if (batch.empty()) break;
    for (const auto& o : batch) {
      EXPECT_GT(o.item.sequence, last);
      last = o.item.sequence;
    }
    taken += batch.size();
  }
  EXPECT_EQ(taken, 1000u);
  EXPECT_EQ(db.counts()[state::in_flight], 1000u);
}

}  // namespace
}  // namespace outbound::sender::testing
