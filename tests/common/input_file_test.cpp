#include "common/input_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "common/input_error.hpp"

namespace outbound {
namespace {

namespace fs = std::filesystem;

// The message of the input_error `read` throws ("" when it throws none).
template <class F>
std::string error_of(F read) {
  try {
    read();
  } catch (const input_error& e) {
    return e.what();
  }
  return "";
}

class input_file : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("outbound_input_file_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  fs::path dir_;
};

TEST_F(input_file, reads_a_whole_file_byte_for_byte) {
  const std::string text("a\0b\r\n\xFF", 6);
  EXPECT_EQ(read_input_file(write("f", text), "a file"), text);
  EXPECT_EQ(read_input_file(write("empty", ""), "a file"), "");
}

TEST_F(input_file, says_a_missing_file_does_not_exist) {
  const auto e = error_of([&] { read_input_file(dir_ / "nope.json", "a scenario file"); });
  EXPECT_NE(e.find("nope.json"), std::string::npos) << e;
  EXPECT_NE(e.find("a scenario file (the file does not exist)"), std::string::npos) << e;
}

TEST_F(input_file, says_a_directory_is_one) {
  const auto e = error_of([&] { read_input_file(dir_, "a scenario file"); });
  EXPECT_NE(e.find("is a directory"), std::string::npos) << e;
}

TEST_F(input_file, refuses_a_file_beyond_the_limit_before_reading_it) {
  const auto f = write("big", std::string(1000, 'x'));
  EXPECT_EQ(read_input_file(f, "a file", 1000).size(), 1000u);
  const auto e = error_of([&] { read_input_file(f, "a file", 999); });
  EXPECT_NE(e.find("at most 999 bytes (it has 1000 bytes)"), std::string::npos) << e;
}

TEST_F(input_file, stops_an_endless_device_at_the_limit) {
  if (!fs::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
  const auto e = error_of([&] { read_input_file("/dev/zero", "a definition file", 1 << 20); });
  EXPECT_NE(e.find("at most 1048576 bytes (reading stopped there)"), std::string::npos) << e;
}

TEST_F(input_file, says_an_unreadable_file_is_not_readable) {
  const auto f = write("secret", "x");
  fs::permissions(f, fs::perms::none);
  if (std::ifstream(f).good()) GTEST_SKIP() << "running as root: permissions do not apply";
  const auto e = error_of([&] { read_input_file(f, "a file"); });
  EXPECT_NE(e.find("not readable"), std::string::npos) << e;
}

TEST(input_stream, reads_a_stream_up_to_the_limit) {
  std::istringstream small("hello");
  EXPECT_EQ(read_input_stream(small, "standard input", "a request"), "hello");
  std::istringstream large(std::string(100'000, 'x'));
  const auto e = error_of([&] { read_input_stream(large, "standard input", "a request", 70'000); });
  EXPECT_NE(e.find("standard input"), std::string::npos) << e;
  EXPECT_NE(e.find("at most 70000 bytes"), std::string::npos) << e;
}

}  // namespace
}  // namespace outbound
