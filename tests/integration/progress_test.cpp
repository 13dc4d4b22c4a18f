// Progress of the long commands on a pipe (a CI log): nothing unless --progress asks, then plain
// lines (no carriage return or terminal escape), the first at once and the last with the final
// numbers. (A terminal always gets the redrawn line; a test has no terminal.)
#include <gtest/gtest.h>

#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

int count_of(const std::string& text, const std::string& word) {
  int n = 0;
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

TEST(progress, load_and_send_print_lines_on_a_pipe_only_when_asked) {
  temp_dir dir("progress_pipe");
  child mock({OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0"}, dir.path());
  const std::string url = mock.wait_for_line("listening on ") + "/ack";
  for (const bool asked : {false, true}) {
    std::vector<std::string> load{
        OUTBOUND_BINARY, "load",       "--endpoint", url,     "--rate",
        "50/s",          "--duration", "1s",         "--out", (dir.path() / "load").string()};
    std::vector<std::string> send{OUTBOUND_BINARY, "send", "--definition", definition_file(),
                                  "--endpoint",    url,    "--store",      ":memory:",
                                  "--records",     "30"};
    if (asked) {
      load.push_back("--progress");
      send.push_back("--progress");
    }
    child l(load, dir.path());
    ASSERT_EQ(l.wait_for(30s), 0) << l.out() << l.err();
    child s(send, dir.path());
    ASSERT_EQ(s.wait_for(30s), 0) << s.out() << s.err();
    EXPECT_EQ(l.out().find('\r'), std::string::npos) << l.out();
    EXPECT_EQ(s.out().find('\033'), std::string::npos) << s.out();
    if (!asked) {
      EXPECT_EQ(count_of(l.out(), " elapsed"), 0) << l.out();
      EXPECT_EQ(count_of(s.out(), " elapsed"), 0) << s.out();
      continue;
    }
    EXPECT_GE(count_of(l.out(), " elapsed"), 2) << l.out();
    EXPECT_NE(l.out().find("elapsed, done: 50 sent, 50 answered, 0 errors"), std::string::npos)
        << l.out();
    EXPECT_GE(count_of(s.out(), " elapsed"), 2) << s.out();
    EXPECT_NE(s.out().find(": 30 delivered, "), std::string::npos) << s.out();
  }
}

// Before a --start-at the line says when the shard starts, not "0s elapsed".
TEST(progress, load_says_when_it_starts_while_it_waits_for_start_at) {
  temp_dir dir("progress_start_at");
  child mock({OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0"}, dir.path());
  const std::string url = mock.wait_for_line("listening on ") + "/ack";
  const auto at = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count() +
                  3;
  child l({OUTBOUND_BINARY, "load", "--endpoint", url, "--rate", "10/s", "--duration", "1s",
           "--start-at", "@" + std::to_string(at), "--out", (dir.path() / "load").string(),
           "--progress"},
          dir.path());
  ASSERT_EQ(l.wait_for(30s), 0) << l.out() << l.err();
  EXPECT_EQ(l.out().rfind("starting in ", 0), 0u) << l.out();
  EXPECT_NE(l.out().find("elapsed, done: 10 sent, 10 answered"), std::string::npos) << l.out();
}

TEST(progress, run_prints_its_line_on_a_pipe_when_asked) {
  temp_dir dir("progress_run");
  const std::string scenario =
      std::string(OUTBOUND_SOURCE_DIR) + "/scenarios/library/slow_acks.json";
  child quiet({OUTBOUND_BINARY, "run", scenario, "--clock", "virtual", "--out",
               (dir.path() / "a").string()},
              dir.path());
  ASSERT_EQ(quiet.wait_for(60s), 0) << quiet.out() << quiet.err();
  EXPECT_EQ(quiet.out().find("failed attempts"), std::string::npos) << quiet.out();
  child asked({OUTBOUND_BINARY, "run", scenario, "--clock", "virtual", "--out",
               (dir.path() / "b").string(), "--progress"},
              dir.path());
  ASSERT_EQ(asked.wait_for(60s), 0) << asked.out() << asked.err();
  EXPECT_EQ(count_of(asked.out(), "] 100%  simulated 2h, draining"), 1) << asked.out();
  EXPECT_EQ(asked.out().find('\r'), std::string::npos) << asked.out();
}

}  // namespace
}  // namespace outbound::integration
