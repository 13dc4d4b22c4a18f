// The crash test: `outbound send` with a durable store is killed with SIGKILL at several points
// of a run (after k deliveries reached the mock), resumed with `outbound send --store FILE`, and
// at the end every notification the store ever accepted is in the mock's ledger (or in the
// failed list): nothing is lost. The mock runs in this process so its ledger can be asked about
// each id.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <mutex>
#include <thread>

#include "mock_endpoint/responder.hpp"
#include "mock_endpoint/server.hpp"
#include "sender/sqlite_store.hpp"
#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

// The mock endpoint on its own thread.
class mock_in_process {
 public:
  mock_in_process()
      : ep_(mock_endpoint::fault_plan{}, 1, {}, clock_.now()),
        server_(io_, ep_, clock_, mock_endpoint::server_options{}) {
    server_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~mock_in_process() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return server_.url(); }
  std::uint64_t unique() {
    std::lock_guard lock(server_.mutex());
    return ep_.ledger().unique_notifications();
  }
  std::uint64_t duplicates() {
    std::lock_guard lock(server_.mutex());
    return ep_.ledger().duplicates();
  }
  bool contains(const std::string& id) {
    std::lock_guard lock(server_.mutex());
    return ep_.ledger().contains(id);
  }

 private:
  boost::asio::io_context io_;
  system_clock clock_;
  mock_endpoint::responder ep_;
  mock_endpoint::server server_;
  std::thread thread_;
};

// Kills `send` once the mock has seen at least `k` distinct notifications; false when it had
// already finished by then.
bool kill_after(child& send, mock_in_process& mock, std::uint64_t k) {
  for (int i = 0; i < 30000 && send.running() && mock.unique() < k; ++i)
    std::this_thread::sleep_for(1ms);
  const bool was_running = send.running();
  send.kill(SIGKILL);
  send.wait();
  return was_running;
}

TEST(send_crash, kill_9_at_several_points_loses_nothing) {
  temp_dir dir("send_crash");
  mock_in_process mock;
  const std::string store_file = dir / "store.db";
  const std::uint64_t records = 6000;

  {
    child first({OUTBOUND_BINARY, "send", "--definition", definition_file(), "--endpoint",
                 mock.url() + "/ack", "--store", store_file, "--records", std::to_string(records),
                 "--batch", "20", "--connections", "4", "--seed", "3"},
                dir.path());
    ASSERT_TRUE(kill_after(first, mock, 1)) << first.out() << first.err();
  }
  std::uint64_t killed = 1;
  for (std::uint64_t k : {records / 4, records / 2, records * 3 / 4}) {
    child again(
        {OUTBOUND_BINARY, "send", "--store", store_file, "--batch", "20", "--connections", "4"},
        dir.path());
    killed += kill_after(again, mock, k) ? 1 : 0;
  }
  child last({OUTBOUND_BINARY, "send", "--store", store_file}, dir.path());
  ASSERT_EQ(last.wait_for(60000ms), 0) << last.out() << last.err();

  sender::sqlite_store store(store_file, sender::sqlite_store::open_mode::existing);
  std::uint64_t accepted = 0, in_ledger = 0, failed = 0;
  store.for_each(sender::all_states, records * 2, [&](const sender::notification& n) {
    ++accepted;
    if (n.status == sender::state::failed) {
      ++failed;
      return;
    }
    EXPECT_EQ(n.status, sender::state::delivered) << n.id;
    if (mock.contains(n.id))
      ++in_ledger;
    else
      ADD_FAILURE() << "lost: " << n.id << " (" << sender::to_string(n.status) << ")";
  });
  // `send` queues its records in chunks while delivering, so a kill may come before the last of
  // them is accepted: what was never accepted is owed to nobody.
  EXPECT_GT(accepted, 0u);
  EXPECT_LE(accepted, records);
  EXPECT_EQ(in_ledger + failed, accepted);
  EXPECT_EQ(mock.unique(), in_ledger);
  std::cout << "crash test: " << killed << " kills, " << accepted << " accepted, "
            << mock.duplicates() << " duplicate deliveries (at-least-once)\n";
}

}  // namespace
}  // namespace outbound::integration
