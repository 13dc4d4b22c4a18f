#include "sender/sqlite_store.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "tests/sender/raw_sqlite.hpp"
#include "tests/sender/store_contract.hpp"
#include "tests/sender/temp_file.hpp"

namespace outbound::sender::testing {
namespace {

namespace fs = std::filesystem;

struct sqlite_factory {
  temp_file file;
  std::unique_ptr<store> make() { return std::make_unique<sqlite_store>(file.path()); }
};

INSTANTIATE_TYPED_TEST_SUITE_P(sqlite, store_contract, ::testing::Types<sqlite_factory>);

class sqlite_store_test : public ::testing::Test {
 protected:
  std::unique_ptr<sqlite_store> open() { return std::make_unique<sqlite_store>(file.path()); }
  // Records A and B, both taken at t0: A's notification retrying at t0 + 1h, B's delivered. The
  // store's reading of the due index is then past both.
  static accept_result past_a_retry(sqlite_store& s) {
    s.put_definition(account_definition());
    std::vector<record_change> changes{create("A"), create("B")};
    auto r = s.accept(changes, t0);
    const auto due = s.take_due("Notify_ERP", t0, 100);
    EXPECT_EQ(due.size(), 2u);
    std::vector<settlement> out;
    for (const auto& o : due)
      out.push_back(o.item.id == r.notifications[0].id
                        ? settlement{o.item.sequence, state::retrying, t0 + 1h}
                        : settlement{o.item.sequence, state::delivered, {}});
    s.record_attempt(out, t0, "timeout");
    s.flush();
    return r;
  }
  temp_file file;
};

TEST_F(sqlite_store_test, queued_notifications_survive_close_and_reopen) {
  std::vector<std::string> ids;
  {
    auto db = open();
    db->put_definition(account_definition());
    std::vector<record_change> changes{create("A"), create("B"), create("C")};
    for (const auto& n : db->accept(changes, t0).notifications) ids.push_back(n.id);
    auto due = db->take_due("Notify_ERP", t0, 1);
    std::vector<settlement> out{{due[0].item.sequence, state::retrying, t0 + 15s}};
    db->record_attempt(out, t0 + 1s, "SOAP response was a nack");
  }
  auto db = open();
  ASSERT_EQ(db->definitions().size(), 1u);
  EXPECT_EQ(db->definitions()[0], account_definition());
  auto a = *db->find(ids[0]);
  EXPECT_EQ(a.status, state::retrying);
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.last_error, "SOAP response was a nack");
  EXPECT_EQ(a.next_attempt, t0 + 15s);
  EXPECT_EQ(a.last_attempt, t0 + 1s);
  EXPECT_EQ(db->counts()[state::queued], 2u);
  EXPECT_EQ(db->counts()[state::retrying], 1u);
  auto due = db->take_due("Notify_ERP", t0 + 1min, 100);
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[2].item.id, ids[0]);  // the retry is due last
  EXPECT_EQ(sent_object(due[0]).fields[1].value, "B");
}

// Rows that clash with rows already in the file (a second store on it, whose next ids are out of
// date) roll the whole accept() back: the INSERTs roll back the transaction themselves, without
// a statement journal, and nothing of the call is left, counts included.
TEST_F(sqlite_store_test, an_accept_whose_rows_clash_leaves_nothing_behind) {
  auto first = open();
  first->put_definition(account_definition());
  auto second = open();  // reads the same next ids as `first`
  std::vector<record_change> three{create("A"), create("B"), create("C")};
  first->accept(three, t0);
  std::vector<record_change> two{create("D"), create("E")};
  EXPECT_ANY_THROW(second->accept(two, t0));
  EXPECT_EQ(second->counts()[state::queued], 3u);  // its connection is out of the transaction
  first.reset();
  second.reset();
  auto db = open();
  EXPECT_EQ(db->counts()[state::queued], 3u);
  const auto due = db->take_due("Notify_ERP", t0, 100);
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(sent_object(due[2]).fields[1].value, "C");
  std::vector<record_change> more{create("F")};
  EXPECT_EQ(db->accept(more, t0).notifications.size(), 1u);  // the store goes on
}

TEST_F(sqlite_store_test, in_flight_notifications_are_due_again_after_reopen) {
  {
    auto db = open();
    db->put_definition(account_definition());
    std::vector<record_change> changes{create("A"), create("B")};
    db->accept(changes, t0);
    EXPECT_EQ(db->take_due("Notify_ERP", t0, 100).size(), 2u);
    EXPECT_EQ(db->counts()[state::in_flight], 2u);
  }  // closed while both were in flight, as a crash would leave them
  auto db = open();
  EXPECT_EQ(db->counts()[state::in_flight], 0u);
  EXPECT_EQ(db->counts()[state::queued], 2u);
  EXPECT_EQ(db->next_due("Notify_ERP"), t0);
  EXPECT_EQ(db->take_due("Notify_ERP", t0, 100).size(), 2u);
}

TEST_F(sqlite_store_test, sequences_continue_across_reopen) {
  accept_result first;
  {
    auto db = open();
    db->put_definition(account_definition());
    std::vector<record_change> changes{create("A"), create("B")};
    first = db->accept(changes, t0);
  }
  auto db = open();
  std::vector<record_change> changes{create("C")};
  auto second = db->accept(changes, t0 + 1s);
  EXPECT_EQ(second.notifications[0].sequence, first.notifications[1].sequence + 1);
  EXPECT_NE(second.record_ids[0], first.record_ids[0]);
  EXPECT_NE(second.record_ids[0], first.record_ids[1]);
  EXPECT_EQ(db->find_record(first.record_ids[0])->fields[0].value, "A");
}

// New files get 32 KiB pages; a file made with other pages (an older outbound's, or one rebuilt
// with VACUUM) keeps them and works as before.
TEST_F(sqlite_store_test, a_new_file_gets_large_pages_and_an_older_one_keeps_its_own) {
  {
    auto db = open();
    db->put_definition(account_definition());
    std::vector<record_change> changes{create("A"), create("B")};
    db->accept(changes, t0);
  }
  EXPECT_EQ(sql_int(file.path(), "PRAGMA page_size"), 32768);
  sql(file.path(),
      "PRAGMA journal_mode=DELETE; PRAGMA page_size=4096; VACUUM; PRAGMA journal_mode=WAL");
  ASSERT_EQ(sql_int(file.path(), "PRAGMA page_size"), 4096);
  {
    auto db = open();
    std::vector<record_change> changes{create("C")};
    db->accept(changes, t0 + 1s);
    auto due = db->take_due("Notify_ERP", t0 + 1s, 100);
    ASSERT_EQ(due.size(), 3u);
    EXPECT_EQ(sent_object(due[0]).fields[1].value, "A");
    EXPECT_EQ(sent_object(due[2]).fields[1].value, "C");
    std::vector<settlement> out{{due[0].item.sequence, state::delivered, {}}};
    db->record_attempt(out, t0 + 2s, "");
  }
  EXPECT_EQ(sql_int(file.path(), "PRAGMA page_size"), 4096);
  EXPECT_EQ(open()->counts()[state::delivered], 1u);
}

TEST_F(sqlite_store_test, accepted_is_durable_without_a_clean_close) {
  // The child accepts, takes and settles without flushing, then dies without destructors.
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto* db = new sqlite_store(file.path());
    db->put_definition(account_definition());
    std::vector<record_change> changes{create("A"), create("B")};
    auto r = db->accept(changes, t0);
    auto due = db->take_due("Notify_ERP", t0, 100);
    std::vector<settlement> out{{due[0].item.sequence, state::delivered, {}}};
    db->record_attempt(out, t0 + 1s, "");
    ::_exit(r.notifications.size() == 2 ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto db = open();
  // Accepted means stored; the unflushed delivery is simply sent again (at-least-once).
  EXPECT_EQ(db->counts()[state::queued], 2u);
  EXPECT_EQ(db->take_due("Notify_ERP", t0, 100).size(), 2u);
}

TEST_F(sqlite_store_test, a_missing_file_is_an_input_error_in_existing_mode) {
  EXPECT_THROW(sqlite_store(file.path(), sqlite_store::open_mode::existing), input_error);
  EXPECT_FALSE(fs::exists(file.path()));
  { auto db = open(); }
  EXPECT_NO_THROW(sqlite_store(file.path(), sqlite_store::open_mode::existing));
}

TEST_F(sqlite_store_test, a_file_that_is_not_a_store_is_an_input_error) {
  {
    std::FILE* f = std::fopen(file.path().c_str(), "w");
    std::fputs("not a database, just text that is long enough to have a header\n", f);
    std::fclose(f);
  }
  EXPECT_THROW(sqlite_store(file.path(), sqlite_store::open_mode::existing), std::exception);
}

TEST_F(sqlite_store_test, retries_and_deletes_are_visible_to_a_second_connection) {
  auto sender = open();
  sender->put_definition(account_definition());
  std::vector<record_change> changes{create("A"), create("B")};
  auto r = sender->accept(changes, t0);
  auto due = sender->take_due("Notify_ERP", t0, 100);
  std::vector<settlement> out{{due[0].item.sequence, state::failed, {}},
                              {due[1].item.sequence, state::retrying, t0 + 1h}};
  sender->record_attempt(out, t0, "timeout");
  sender->flush();
  {
    sqlite_store cli(file.path(), sqlite_store::open_mode::existing);  // outbound retry/delete
    EXPECT_EQ(cli.retry_failed(t0 + 1min), 1u);
    EXPECT_EQ(cli.remove(r.notifications[1].id), operation_result::done);
  }
  EXPECT_EQ(sender->next_due("Notify_ERP"), t0 + 1min);
  auto again = sender->take_due("Notify_ERP", t0 + 1min, 100);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].item.id, r.notifications[0].id);
  EXPECT_EQ(sender->counts()[state::deleted], 1u);
}

TEST_F(sqlite_store_test, takes_a_large_queue_in_order_across_many_batches) {
  auto db = open();
  db->put_definition(account_definition());
  db->accept(creates(5000), t0);
  std::size_t taken = 0;
  std::uint64_t last = 0;
  while (true) {
    auto batch = db->take_due("Notify_ERP", t0, 100);
    if (batch.empty()) break;
    std::vector<settlement> out;
    for (const auto& o : batch) {
      EXPECT_GT(o.item.sequence, last);
      last = o.item.sequence;
      out.push_back({o.item.sequence, state::delivered, {}});
    }
    db->record_attempt(out, t0, "");
    taken += batch.size();
  }
  EXPECT_EQ(taken, 5000u);
  EXPECT_EQ(db->counts()[state::delivered], 5000u);
  EXPECT_FALSE(db->next_due("Notify_ERP"));
}

// Rows accepted for new records are handed out from memory (no read back); what they carry must
// be what a store that reads the file hands out, and a change after accept() must win.
TEST_F(sqlite_store_test, fresh_rows_hand_out_what_the_file_holds) {
  std::vector<outgoing> from_memory;
  {
    auto db = open();
    db->put_definition(account_definition());
    db->accept(creates(300), t0);
    from_memory = db->take_due("Notify_ERP", t0, 300);
  }  // closed with all 300 in flight: they are due again on reopen, read from the file
  auto db = open();
  auto from_file = db->take_due("Notify_ERP", t0, 300);
  ASSERT_EQ(from_memory.size(), 300u);
  ASSERT_EQ(from_file.size(), 300u);
  for (std::size_t i = 0; i < 300; ++i) {
    EXPECT_EQ(from_memory[i].item, from_file[i].item) << i;
    ASSERT_TRUE(from_memory[i].data && from_file[i].data) << i;
    EXPECT_EQ(*from_memory[i].data, *from_file[i].data) << i;
  }
}

// Records read from the file are filled again once nothing holds them (their memory reused);
// one still held, or held again, keeps its values while later rows are read.
TEST_F(sqlite_store_test, records_read_for_delivery_keep_their_values_while_held) {
  {
    auto db = open();
    db->put_definition(account_definition());
    db->accept(creates(3000), t0);
  }
  auto db = open();  // nothing fresh: every row is read from the file
  std::vector<outgoing> held;
  for (int round = 0; round < 30; ++round) {
    auto batch = db->take_due("Notify_ERP", t0, 100);
    ASSERT_EQ(batch.size(), 100u);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto expected = "R" + std::to_string(round * 100 + static_cast<int>(i));
      EXPECT_EQ(sent_object(batch[i]).fields[1].value, expected);
    }
    if (round % 7 == 0) held.push_back(batch[round % 100]);  // the rest come free
  }
  for (std::size_t k = 0; k < held.size(); ++k) {
    const int round = static_cast<int>(k) * 7;
    EXPECT_EQ(sent_object(held[k]).fields[1].value,
              "R" + std::to_string(round * 100 + round % 100));
  }
}

TEST_F(sqlite_store_test, a_change_after_accept_wins_over_the_fresh_copy) {
  auto db = open();
  db->put_definition(account_definition());
  std::vector<record_change> changes{create("A"), create("B"), create("C")};
  const auto r = db->accept(changes, t0);
  // A user deletes B's notification; A's record changes before anything is sent.
  EXPECT_EQ(db->remove(r.notifications[1].id), operation_result::done);
  std::vector<record_change> later{update(r.record_ids[0], {{"Name", "A2"}})};
  db->accept(later, t0);
  auto due = db->take_due("Notify_ERP", t0, 10);
  ASSERT_EQ(due.size(), 3u);  // A, C and A's update; not B
  EXPECT_EQ(due[0].item.id, r.notifications[0].id);
  EXPECT_EQ(due[1].item.id, r.notifications[2].id);
  EXPECT_EQ(sent_object(due[0]).fields[1].value, "A2");  // the values at send time
  EXPECT_EQ(sent_object(due[2]).fields[1].value, "A2");
}

// Due rows read from the file get their records by stepping along the records table: rows whose
// records come out of order (updates of older records), far apart (deleted notifications between)
// or deleted must each carry their own record's current values, as a join would give.
TEST_F(sqlite_store_test, due_rows_carry_their_own_records_in_any_order) {
  accept_result r;
  {
    auto db = open();
    db->put_definition(account_definition());
    r = db->accept(creates(20), t0);
    std::vector<record_change> later{update(r.record_ids[17], {{"Name", "R17 renamed"}}),
                                     update(r.record_ids[2], {{"Name", "R2 renamed"}}),
                                     remove(r.record_ids[9]), update(r.record_ids[19], {})};
    db->accept(later, t0);
    for (int i = 3; i < 15; ++i) {  // a gap of twelve records between due rows
      if (i == 9) continue;
      ASSERT_EQ(db->remove(r.notifications[i].id), operation_result::done);
    }
  }
  auto db = open();  // nothing fresh: every row is read from the file
  std::vector<outgoing> due;
  for (auto batch = db->take_due("Notify_ERP", t0, 3); !batch.empty();
       batch = db->take_due("Notify_ERP", t0, 3))
    due.insert(due.end(), batch.begin(), batch.end());
  ASSERT_EQ(due.size(), 13u);  // 0 to 2, 9, 15 to 19, and the four changes'
  for (const auto& o : due) {
    const auto stored = db->find_record(o.item.record_id);
    ASSERT_TRUE(stored && o.data) << o.item.id;
    EXPECT_EQ(o.data->id, stored->id);
    EXPECT_EQ(o.data->object, stored->object);
    EXPECT_EQ(o.data->fields, stored->fields) << o.item.id;
    EXPECT_EQ(o.data->deleted, stored->deleted) << o.item.id;
  }
  EXPECT_EQ(sent_object(due[2]).fields[1].value, "R2 renamed");  // its first, at send time
  EXPECT_TRUE(due[3].data->deleted);  // R9's first notification, sent after the record's delete
}

// Rows read ahead of a small batch are the file as it was: what another connection (a user's
// `outbound delete`, another `send` updating a record) changes since must not go out as it was.
TEST_F(sqlite_store_test, rows_read_ahead_follow_changes_made_by_another_connection) {
  accept_result r;
  {
    auto db = open();
    db->put_definition(account_definition());
    r = db->accept(creates(10), t0);
  }
  auto sender = open();  // nothing fresh: the first take reads the other nine ahead
  ASSERT_EQ(sender->take_due("Notify_ERP", t0, 1).size(), 1u);
  ASSERT_EQ(sender->take_due("Notify_ERP", t0, 1).size(), 1u);  // checked at t0: no change
  {
    sqlite_store user(file.path(), sqlite_store::open_mode::existing);
    EXPECT_EQ(user.remove(r.notifications[3].id), operation_result::done);
    std::vector<record_change> later{update(r.record_ids[5], {{"Name", "R5 renamed"}})};
    user.accept(later, t0);
  }
  // Takes within a millisecond of a check share it.
  auto due = sender->take_due("Notify_ERP", t0 + 1ms, 100);
  std::vector<std::string> ids;
  for (const auto& o : due) ids.push_back(o.item.id);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), r.notifications[3].id), 0);
  ASSERT_EQ(due.size(), 8u);  // 2, 4 to 9 and the update's own
  EXPECT_EQ(due[2].item.id, r.notifications[5].id);
  EXPECT_EQ(sent_object(due[2]).fields[1].value, "R5 renamed");
}

// A Retry made elsewhere can make a row due before the point the sender's reading reached (its
// clock read just before the sender's last take): the sender reads from the start again.
TEST_F(sqlite_store_test, a_retry_made_by_another_connection_is_taken_wherever_it_falls) {
  auto sender = open();
  const auto r = past_a_retry(*sender);
  EXPECT_TRUE(sender->take_due("Notify_ERP", t0 + 1ms, 100).empty());  // reading is past A
  {
    sqlite_store user(file.path(), sqlite_store::open_mode::existing);
    EXPECT_EQ(user.retry_now(r.notifications[0].id, t0), operation_result::done);  // A due at t0
  }
  const auto due = sender->take_due("Notify_ERP", t0 + 2ms, 100);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].item.id, r.notifications[0].id);
}

// The sender's own changes raise the revision too: one of its own right after one made elsewhere
// must not hide the other.
TEST_F(sqlite_store_test, a_change_of_our_own_does_not_hide_one_made_elsewhere) {
  auto sender = open();
  const auto r = past_a_retry(*sender);
  {
    sqlite_store user(file.path(), sqlite_store::open_mode::existing);
    EXPECT_EQ(user.retry_now(r.notifications[0].id, t0), operation_result::done);  // behind
  }
  std::vector<record_change> later{update(r.record_ids[1], {{"Name", "B2"}})};
  sender->accept(later, t0 + 1ms);  // our own revision, right after the user's
  const auto due = sender->take_due("Notify_ERP", t0 + 2ms, 100);
  ASSERT_EQ(due.size(), 2u);  // the retried A, and B's update
  EXPECT_EQ(due[0].item.id, r.notifications[0].id);
}

// The copies accept() keeps of new records follow changes made elsewhere as well.
TEST_F(sqlite_store_test, fresh_rows_follow_changes_made_by_another_connection) {
  auto sender = open();
  sender->put_definition(account_definition());
  const auto r = sender->accept(creates(10), t0);
  {
    sqlite_store user(file.path(), sqlite_store::open_mode::existing);
    std::vector<record_change> later{update(r.record_ids[2], {{"Name", "R2 renamed"}})};
    user.accept(later, t0);
  }
  auto due = sender->take_due("Notify_ERP", t0, 3);
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(sent_object(due[2]).fields[1].value, "R2 renamed");
}

}  // namespace
}  // namespace outbound::sender::testing
