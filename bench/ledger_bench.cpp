// The mock's ledger at scale: a million and ten million distinct notifications (ten per record)
// recorded into an empty ledger, and the table beneath it against two baselines measured in the
// same run: std::unordered_map, and the power-of-two linear-probing table of 16-byte slots that
// the ledger used before key_table.
//   build/bench/ledger_bench --benchmark_repetitions=3
// items_per_second is notifications (or keys); bytes_per_item is the memory held at the end.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

#include "mock_endpoint/key_table.hpp"
#include "mock_endpoint/ledger.hpp"
#include "soap/ids.hpp"

namespace {

using namespace outbound;
using mock_endpoint::key_table;

void ledger_record(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    mock_endpoint::ledger l(time_point{});
    soap::id_buffer id, record;  // ids as Salesforce makes them, written without allocation
    for (std::uint64_t i = 0; i < n; ++i) {
      l.record_notification(soap::make_id(id, "04l", i + 1),
                            soap::make_id(record, "001", i / 10 + 1), time_point{},
                            mock_endpoint::answer::ack(), {}, i);
    }
    bytes = l.memory_bytes();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["bytes_per_item"] = double(bytes) / double(n);
}
BENCHMARK(ledger_record)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// The ledger's table before key_table: 16-byte slots (key, arrival, counters), doubled at 80%.
class power_of_two_table {
 public:
  std::uint32_t& insert(std::uint64_t key) {
    if ((size_ + 1) * 5 > slots_.size() * 4) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      if (slots_[i].key == key) return slots_[i].value;
      if (slots_[i].key == 0) {
        slots_[i].key = key;
        ++size_;
        return slots_[i].value;
      }
    }
  }
  std::size_t memory_bytes() const { return slots_.capacity() * sizeof(slot); }

 private:
  struct slot {
    std::uint64_t key = 0;
    std::uint32_t value = 0, counters = 0;
  };
  void grow() {
    std::vector<slot> old = std::move(slots_);
    slots_ = std::vector<slot>(old.empty() ? 1024 : old.size() * 2);
    const std::size_t mask = slots_.size() - 1;
    for (const slot& s : old) {
      if (s.key == 0) continue;
      std::size_t i = s.key & mask;
      while (slots_[i].key != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

using map = std::unordered_map<std::uint64_t, std::uint32_t>;
void put(key_table<std::uint32_t, 9>& t, std::uint64_t key, std::uint32_t v) {
  t.insert(key).value = v;
}
void put(power_of_two_table& t, std::uint64_t key, std::uint32_t v) {
  t.insert(key) = v;
}
void put(map& t, std::uint64_t key, std::uint32_t v) {
  t[key] = v;
}

template <class Table>
std::size_t bytes_of(const Table& t) {
  return t.memory_bytes();
}
// A node (next pointer, key, value, and malloc's 16 bytes) and a bucket pointer per key.
std::size_t bytes_of(const map& t) {
  return t.size() * 48 + t.bucket_count() * sizeof(void*);
}

template <class Table>
void insert_random_keys(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    Table t;
    std::mt19937_64 random(1);
    for (std::uint64_t i = 0; i < n; ++i) {
      put(t, random() | 1, static_cast<std::uint32_t>(i));  // | 1: the old table's 0 is empty
    }
    bytes = bytes_of(t);
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["bytes_per_item"] = double(bytes) / double(n);
}
BENCHMARK(insert_random_keys<key_table<std::uint32_t, 9>>)
    ->Name("key_table")
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(insert_random_keys<power_of_two_table>)
    ->Name("power_of_two_table")
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(insert_random_keys<map>)
    ->Name("unordered_map")
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
