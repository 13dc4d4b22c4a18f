#pragma once
// Test helpers for the definition loaders: reference file paths, temporary files, and a check that
// a call throws input_error naming the expected file and field path.
//   expect_input_error([&] { load_definition(p); }, p.string(), "/fields/2/type");

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <unistd.h>

#include "common/input_error.hpp"

namespace outbound::soap::testing {

inline std::filesystem::path examples_dir() {
  return std::filesystem::path(OUTBOUND_SOURCE_DIR) / "examples" / "definitions";
}

// The real Salesforce files (a generated outbound WSDL, a retrieved workflow) ship as examples.
inline std::filesystem::path reference_dir() {
  return examples_dir();
}

// The file's bytes; a file that is missing fails the test rather than reading as empty.
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) ADD_FAILURE() << "test data missing: " << p;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A file under a fresh directory of this test, removed with it.
class temp_dir {
 public:
  temp_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("outbound_defs_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
            std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  const std::filesystem::path& path() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

// Runs f, expecting input_error with this file and field path; returns the message for more checks.
inline std::string expect_input_error(const std::function<void()>& f, const std::string& file,
                                      const std::string& path) {
  try {
    f();
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), file) << e.what();
    EXPECT_EQ(e.path(), path) << e.what();
    EXPECT_FALSE(e.expected().empty());
    return e.what();
  }
  ADD_FAILURE() << "expected input_error for " << file << " at " << path;
  return {};
}

}  // namespace outbound::soap::testing
